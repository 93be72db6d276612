import re

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import STORED_SESSION_BYTES, request

from ..tools import normalize_national_id
from .throttled import throttled_response

FORM_FIELDS = [
    "name",
    "national_id",
    "gender",
    "mobile",
    "email",
    "city",
    "service_type_id",
    "need",
    "declaration",
    "consent",
    "form_token",
]
FORM_TOKEN_RE = re.compile(r"[0-9a-f]{32}")
DOCUMENT_INPUT_RE = re.compile(r"document_(\d+)")
# the hidden field a person never sees, and a bot fills
HONEYPOT = "website_url"


class IslahRequestForm(http.Controller):
    """The public support request form (website channel), no login needed.

    A submission becomes an intake (crm.lead) whose identity an officer
    checks; it is never bound to a beneficiary by the national ID typed.
    CSRF is checked by Odoo before the handler runs (400); the body size by
    ir.http before it is read (413). Validation and creation are crm.lead
    methods; the route reads the form and renders the answer, the same for
    every national ID.
    """

    def _islah_notice(self):
        """The current privacy notice, shown on the form and recorded with the consent."""
        # sudo: the public reads the current notice, nothing else
        notice = request.env["islah.privacy.notice"].sudo()._islah_current(request.env.company)
        return notice or None

    def _islah_session_key(self):
        # the part of the session id that survives its rotation (as CSRF uses)
        return request.session.sid[:STORED_SESSION_BYTES]

    def _islah_form_values(self, values=None, errors=None):
        Lead = request.env["crm.lead"]
        values = dict(values or {})
        if not values.get("form_token"):
            values["form_token"] = Lead._islah_new_form_token(self._islah_session_key())
        services = Lead._islah_web_intake_services(request.env.company)
        return {
            "values": values,
            "errors": errors or {},
            "labels": Lead._islah_web_intake_labels(),
            "service_types": services,
            "document_types": services.document_type_ids.sorted(lambda d: (d.sequence, d.id)),
            "max_upload_mb": request.env.company.islah_max_upload_mb or 5,
            "notice": self._islah_notice(),
        }

    @http.route(
        "/islah/request", type="http", auth="public", methods=["GET"], website=True, sitemap=True
    )
    def islah_request_form(self, service_type_id=None, **kwargs):
        values = {}
        closed_service = None
        # ?service_type_id=<id> (the services guide's "apply" button, an
        # invitation): preselected when it is one of the services offered;
        # one outside its application window says when it opens
        if service_type_id and str(service_type_id).isdigit():
            Lead = request.env["crm.lead"]
            company = request.env.company
            service = Lead._islah_web_intake_all_services(company).filtered(
                lambda s: s.id == int(service_type_id)
            )
            if service in Lead._islah_web_intake_services(company):
                values["service_type_id"] = str(service.id)
            elif service:
                closed_service = service
        form_values = self._islah_form_values(values)
        form_values["closed_service"] = closed_service
        return request.render("islah_beneficiary.request_form_page", form_values)

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
        values["national_id"] = normalize_national_id(values["national_id"])
        company = request.env.company
        # sudo: the visitor has no rights; the model validates everything itself
        Lead = request.env["crm.lead"].sudo()
        session_key = self._islah_session_key()
        if not (
            FORM_TOKEN_RE.fullmatch(values["form_token"])
            and Lead._islah_form_token_valid(values["form_token"], session_key)
        ):
            # not one this session was given: a fresh token, so the intake is
            # created once and bound to no one else's post
            values["form_token"] = Lead._islah_new_form_token(session_key)
        if existing := Lead._islah_find_by_form_token(values["form_token"]):
            return self._islah_render_received(existing.islah_intake_ref)
        if post.get(HONEYPOT):
            # a bot: nothing is created, the answer looks the same
            return self._islah_render_received(Lead._islah_new_intake_ref())
        ip = request.httprequest.remote_addr
        if Lead._islah_web_intake_throttled(ip, values["national_id"], company):
            return self._islah_render_throttled(company)
        files = self._islah_uploaded_files()
        # the model validates once: the errors to show, or the intake created
        try:
            lead, errors = Lead._islah_submit_web_intake(
                values, files, company, ip=ip, notice=self._islah_notice()
            )
        except ValidationError as error:
            # a rule checked on creation only (a record constraint)
            lead, errors = Lead.browse(), {"form": error.args[0]}
        if lead:
            return self._islah_render_received(lead.islah_intake_ref)
        return request.render(
            "islah_beneficiary.request_form_page",
            self._islah_form_values(values, errors),
        )

    def _islah_uploaded_files(self):
        """``(document type id, filename, content)`` of each file sent, from
        the input of the document type the applicant put it in."""
        files = []
        for key, upload in request.httprequest.files.items(multi=True):
            match = DOCUMENT_INPUT_RE.fullmatch(key)
            if match and upload.filename:
                files.append((int(match.group(1)), upload.filename, upload.read()))
        return files

    def _islah_render_received(self, reference):
        return request.render(
            "islah_beneficiary.request_form_confirmation", {"reference": reference}
        )

    def _islah_render_throttled(self, company):
        minutes = company.islah_intake_rate_minutes
        return throttled_response(
            "islah_beneficiary.request_form_refused",
            minutes,
            request.env._("Too many requests"),
            request.env._(
                "Too many requests were sent. Please try again in %(minutes)s minutes.",
                minutes=minutes,
            ),
        )

    @http.route(
        "/islah/intake/confirm/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def islah_intake_confirm_page(self, token, **kwargs):
        """The link of the acknowledgement e-mail: a page with a button.
        Opening the link confirms nothing (mail scanners open links); the
        applicant's POST does."""
        lead = request.env["crm.lead"]._islah_email_token_lead(token)
        if not lead:
            return self._islah_render_link_not_valid()
        return request.render(
            "islah_beneficiary.intake_email_confirm_page", {"reference": lead.islah_intake_ref}
        )

    @http.route(
        "/islah/intake/confirm/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def islah_intake_confirm(self, token, **kwargs):
        """The applicant pressed the button (CSRF checked by Odoo): the
        address is theirs. Nothing of any file is shown, no portal link."""
        lead = request.env["crm.lead"]._islah_confirm_email(token)
        if not lead:
            return self._islah_render_link_not_valid()
        return request.render(
            "islah_beneficiary.intake_email_confirmed", {"reference": lead.islah_intake_ref}
        )

    def _islah_render_link_not_valid(self):
        return request.render(
            "islah_beneficiary.request_form_refused",
            {
                "title": request.env._("Link not valid"),
                "message": request.env._(
                    "This confirmation link is not valid or has expired (links are "
                    "valid for 7 days). If you sent a request, an officer will "
                    "contact you by phone."
                ),
            },
            status=404,
        )
