from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class IslahPortal(CustomerPortal):
    """``/my/requests``: a beneficiary follows their support requests and
    sends the documents still missing. Access follows the record rule
    (portal users see the requests of their own partner) or an access token."""

    _items_per_page = 20

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "islah_request_count" in counters:
            Request = request.env["islah.support.request"]
            values["islah_request_count"] = (
                Request.search_count([]) if Request.has_access("read") else 0
            )
        return values

    @http.route(
        ["/my/requests", "/my/requests/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_islah_requests(self, page=1, **kwargs):
        Request = request.env["islah.support.request"]
        values = self._prepare_portal_layout_values()
        count = Request.search_count([]) if Request.has_access("read") else 0
        pager = portal_pager(url="/my/requests", total=count, page=page, step=self._items_per_page)
        requests_ = (
            Request.search([], limit=self._items_per_page, offset=pager["offset"])
            if count
            else Request
        )
        values.update(
            {
                "islah_requests": requests_,
                "page_name": "islah_request",
                "pager": pager,
                "default_url": "/my/requests",
            }
        )
        return request.render("islah_beneficiary.portal_my_islah_requests", values)

    @http.route("/my/requests/<int:request_id>", type="http", auth="public", website=True)
    def portal_my_islah_request(self, request_id, access_token=None, **kwargs):
        try:
            request_sudo = self._document_check_access(
                "islah.support.request", request_id, access_token
            )
        except (AccessError, MissingError):
            # not yours (or no such request): say nothing about it
            raise request.not_found() from None
        values = self._islah_request_page_values(request_sudo, access_token, **kwargs)
        return request.render("islah_beneficiary.portal_my_islah_request", values)

    def _islah_request_page_values(self, request_sudo, access_token, **kwargs):
        values = {
            "page_name": "islah_request",
            "support_request": request_sudo,
            "access_token": access_token,
            "timeline": request_sudo._islah_portal_timeline(),
            "state_label": dict(request_sudo._fields["state"]._description_selection(request.env))[
                request_sudo.state
            ],
            "max_upload_mb": request_sudo.company_id.islah_max_upload_mb or 5,
        }
        return self._get_page_view_values(
            request_sudo, access_token, values, "my_islah_requests_history", False, **kwargs
        )

    @http.route(
        "/my/requests/<int:request_id>/documents/<int:line_id>",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_my_islah_request_upload(self, request_id, line_id, access_token=None, **post):
        """Send a missing document of the checklist (CSRF-checked POST)."""
        try:
            request_sudo = self._document_check_access(
                "islah.support.request", request_id, access_token
            )
        except (AccessError, MissingError):
            raise request.not_found() from None
        upload = request.httprequest.files.get("file")
        line = request_sudo.document_ids.filtered(lambda doc: doc.id == line_id)
        status, upload_message, upload_error = 200, False, False
        if not line:
            raise request.not_found() from None
        if not upload or not upload.filename:
            status, upload_error = 400, request.env._("Choose a file to send.")
        else:
            try:
                with request.env.cr.savepoint():
                    request_sudo._islah_portal_upload_document(line, upload.filename, upload.read())
            except (UserError, ValidationError) as exc:
                status, upload_error = 400, exc.args[0]
            else:
                upload_message = request.env._("Thank you: your document was received.")
        values = self._islah_request_page_values(request_sudo, access_token)
        values.update(upload_message=upload_message, upload_error=upload_error)
        return request.render("islah_beneficiary.portal_my_islah_request", values, status=status)
