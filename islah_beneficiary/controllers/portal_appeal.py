from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..tools.upload import MAX_UPLOAD_FILES, upload_limits

# the grounds of an appeal, at most (characters)
MAX_REASON_LENGTH = 5000


class IslahAppealPortal(CustomerPortal):
    """A beneficiary appeals the rejection of their own request from the
    portal (``/my/requests/<id>/appeal``) and follows the appeal
    (``/my/appeals/<id>``). Logged-in beneficiaries only, no access token:
    an appeal is the beneficiary's own statement."""

    def _islah_own_request(self, request_id):
        """The request, if the logged-in portal user is its beneficiary."""
        support_request = request.env["islah.support.request"].browse(request_id).exists()
        try:
            # the portal rule: the requests of the user's own partner
            support_request.check_access("read")
        except AccessError:
            support_request = support_request.browse()
        if not support_request or support_request.partner_id != request.env.user.partner_id:
            raise request.not_found()
        return support_request

    def _islah_appeal_form_values(self, support_request, **kwargs):
        company = support_request.company_id
        per_file, _total = upload_limits(company.islah_max_upload_mb)
        return {
            "page_name": "islah_appeal",
            "support_request": support_request,
            "appeal_problem": support_request._islah_appeal_problem(),
            "appeal_deadline": support_request.appeal_deadline,
            "max_upload_mb": per_file // (1024 * 1024),
            "max_upload_files": MAX_UPLOAD_FILES,
            "max_reason_length": MAX_REASON_LENGTH,
            **kwargs,
        }

    @http.route(
        "/my/requests/<int:request_id>/appeal",
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
    )
    def portal_islah_appeal_form(self, request_id, **kwargs):
        support_request = self._islah_own_request(request_id)
        values = self._prepare_portal_layout_values()
        values.update(self._islah_appeal_form_values(support_request))
        return request.render("islah_beneficiary.portal_islah_appeal_form", values)

    @http.route(
        "/my/requests/<int:request_id>/appeal",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_islah_appeal_submit(self, request_id, reason="", **post):
        """Lodge the appeal (CSRF-checked POST). Every check is the model's:
        the window, one open appeal, the documents; on a refusal, the form
        comes back with the grounds typed, and the message."""
        support_request = self._islah_own_request(request_id)
        files = [
            (upload.filename, upload.read())
            for upload in request.httprequest.files.getlist("documents")
            if upload and upload.filename
        ]
        reason = (reason or "")[: MAX_REASON_LENGTH + 1]
        try:
            with request.env.cr.savepoint():
                # sudo: the portal user checked above as the request's own
                # beneficiary; the appeal is created by the system for them
                appeal = support_request.sudo()._islah_portal_appeal(
                    reason, files, request.env.user.partner_id
                )
        except (UserError, ValidationError) as exc:
            values = self._prepare_portal_layout_values()
            values.update(
                self._islah_appeal_form_values(
                    support_request, appeal_error=exc.args[0], reason=reason
                )
            )
            return request.render("islah_beneficiary.portal_islah_appeal_form", values, status=400)
        return request.redirect(f"/my/appeals/{appeal.id}?submitted=1")

    @http.route("/my/appeals/<int:appeal_id>", type="http", auth="user", website=True)
    def portal_islah_appeal(self, appeal_id, submitted=None, **kwargs):
        appeal = request.env["islah.appeal"].browse(appeal_id).exists()
        try:
            # the portal rule: the user's own appeals
            appeal.check_access("read")
        except AccessError:
            appeal = appeal.browse()
        if not appeal:
            raise request.not_found()
        try:
            appeal.name  # noqa: B018 (read as the user: the rules decide)
        except (AccessError, MissingError):
            raise request.not_found() from None
        values = self._prepare_portal_layout_values()
        labels = dict(appeal._fields["state"]._description_selection(request.env))
        outcomes = dict(appeal._fields["outcome"]._description_selection(request.env))
        values.update(
            {
                "page_name": "islah_appeal",
                "appeal": appeal,
                "support_request": appeal.request_id,
                "state_label": labels[appeal.state],
                "outcome_label": outcomes.get(appeal.outcome, ""),
                "submitted": bool(submitted),
            }
        )
        return request.render("islah_beneficiary.portal_islah_appeal", values)
