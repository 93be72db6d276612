import re
import uuid

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

FORM_FIELDS = (
    "name",
    "national_id",
    "gender",
    "mobile",
    "email",
    "city",
    "service_type_id",
    "description",
    "declaration",
    "form_token",
)
FORM_TOKEN_RE = re.compile(r"[0-9a-f]{32}")


class IslahRequestForm(http.Controller):
    """The public support request form (website channel), no login needed.

    CSRF is checked by Odoo before the handler runs (400 on a missing or
    forged token). Validation and creation are model methods shared with the
    back office; the route only reads the form and renders the result.
    """

    def _islah_form_values(self, values=None, errors=None):
        Request = request.env["islah.support.request"]
        values = dict(values or {})
        values.setdefault("form_token", uuid.uuid4().hex)
        return {
            "values": values,
            "errors": errors or {},
            "service_types": Request._islah_web_form_service_types(request.env.company),
            "max_upload_mb": request.env.company.islah_max_upload_mb or 5,
        }

    @http.route(
        "/islah/request", type="http", auth="public", methods=["GET"], website=True, sitemap=True
    )
    def islah_request_form(self, **kwargs):
        return request.render("islah_beneficiary.request_form_page", self._islah_form_values())

    @http.route(
        "/islah/request",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def islah_request_submit(self, **post):
        values = {key: (post.get(key) or "").strip() for key in FORM_FIELDS}
        if not FORM_TOKEN_RE.fullmatch(values["form_token"]):
            # not one of ours: a fresh token, so the request is still created once
            values["form_token"] = uuid.uuid4().hex
        files = [
            (upload.filename, upload.read())
            for upload in request.httprequest.files.getlist("attachments")
            if upload.filename
        ]
        company = request.env.company
        # sudo: the visitor has no rights; the model method validates
        # everything itself and sets officer and channel explicitly.
        # A new beneficiary gets the language the applicant used on the site.
        Request = (
            request.env["islah.support.request"]
            .sudo()
            .with_context(islah_applicant_lang=self._islah_applicant_lang())
        )
        if existing := Request._islah_find_by_form_token(values["form_token"]):
            return self._islah_render_confirmation(existing)
        errors = Request._islah_web_form_errors(values, files, company)
        if not errors:
            try:
                support_request = Request._islah_create_from_web_form(values, files, company)
            except ValidationError as error:
                errors = {"form": error.args[0]}
            else:
                return self._islah_render_confirmation(support_request)
        return request.render(
            "islah_beneficiary.request_form_page",
            self._islah_form_values(values, errors),
        )

    def _islah_applicant_lang(self):
        """The site's language for this visitor (set by http_routing)."""
        lang = getattr(request, "lang", None)
        return lang.code if lang else request.env.lang

    def _islah_render_confirmation(self, support_request):
        # sudo: the visitor cannot read the request they filed (found by their
        # form's own token); the page shows its reference and the tokenised
        # link to follow it, which the e-mail acknowledgement also carries
        support_request = support_request.sudo()
        return request.render(
            "islah_beneficiary.request_form_confirmation",
            {
                "support_request": support_request,
                "follow_url": support_request.get_portal_url(),
            },
        )
