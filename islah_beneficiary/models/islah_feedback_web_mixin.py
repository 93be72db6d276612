import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import email_normalize

from ..tools import normalize_saudi_mobile
from ..tools.constants import SECTIONS

# what a field of the public page may hold, in characters
WEB_FEEDBACK_MAX_LENGTHS = {
    "author_name": 128,
    "author_email": 254,
    "author_phone": 20,
    "description": 4000,
}
WEB_FEEDBACK_FIELDS = [
    "kind",
    "category",
    "section",
    "description",
    "author_name",
    "author_email",
    "author_phone",
    "wants_outcome",
]
PORTAL_FEEDBACK_FIELDS = ["kind", "category", "request_id", "description", "wants_outcome"]
WEBSITE_CHANNEL = "islah_beneficiary.utm_medium_website"


class IslahFeedbackWebMixin(models.AbstractModel):
    """The public page's and the portal's side of a suggestion or
    complaint: the choices offered, the validation of what was typed
    (translated messages, per field), the throttle and the creation."""

    _name = "islah.feedback.web.mixin"
    _description = "Suggestion or complaint from the website or the portal"

    submit_ip = fields.Char(
        string="Sent from (address)", readonly=True, copy=False, groups="base.group_system"
    )
    web_form_token = fields.Char(
        readonly=True, copy=False, index="btree_not_null", groups="base.group_system"
    )

    @api.model
    def _islah_web_labels(self):
        """The page's fields as the visitor reads them, for the error summary."""
        return {
            "kind": self.env._("What would you like to tell us?"),
            "category": self.env._("About"),
            "section": self.env._("Section"),
            "request_id": self.env._("Your request"),
            "description": self.env._("Your message"),
            "author_name": self.env._("Your name"),
            "author_email": self.env._("E-mail"),
            "author_phone": self.env._("Mobile"),
        }

    @api.model
    def _islah_web_choices(self):
        """``{field: [(value, label), ...]}`` in the reader's language."""
        return {
            fname: self._fields[fname]._description_selection(self.env)
            for fname in ("kind", "category", "section")
        }

    @api.model
    def _islah_web_errors(self, values, required=("kind", "description", "section")):
        """Validate a submission: ``{field: message}``, empty when valid."""
        errors = {}
        for fname, size in WEB_FEEDBACK_MAX_LENGTHS.items():
            if len(values.get(fname) or "") > size:
                errors[fname] = self.env._("Write at most %(size)s characters.", size=size)
        for fname in required:
            if fname not in errors and not values.get(fname):
                errors[fname] = self.env._("This field is required.")
        choices = self._islah_web_choices()
        for fname in ("kind", "category", "section"):
            value = values.get(fname)
            if value and fname not in errors and value not in dict(choices[fname]):
                errors[fname] = self.env._("Choose a value from the list.")
        email = values.get("author_email")
        if email and "author_email" not in errors and not email_normalize(email):
            errors["author_email"] = self.env._(
                "%(email)s is not a valid e-mail address.", email=email
            )
        phone = values.get("author_phone")
        if phone and "author_phone" not in errors and not normalize_saudi_mobile(phone):
            errors["author_phone"] = self.env._(
                "%(phone)s is not a valid Saudi mobile number (for example 05XXXXXXXX).",
                phone=phone,
            )
        return errors

    @api.model
    def _islah_web_throttled(self, ip, company=None):
        """Whether this address sent the company's allowed number of
        messages within its period already (the request form's setting)."""
        company = company or self.env.company
        if not ip:
            return False
        since = fields.Datetime.now() - timedelta(minutes=company.islah_intake_rate_minutes or 10)
        limit = company.islah_intake_rate_limit or 5
        # sudo: the address is a system field; a count only
        return (
            self.sudo().search_count(
                [("create_date", ">=", since), ("submit_ip", "=", ip)], limit=limit
            )
            >= limit
        )

    @api.model
    def _islah_find_by_web_token(self, token):
        if not token:
            return self.browse()
        # sudo: the token field is for system users; the page's own token only
        return self.sudo().search([("web_form_token", "=", token)], limit=1)

    @api.model
    def _islah_new_web_token(self):
        return secrets.token_hex(16)

    @api.model
    def _islah_submit_web(self, values, company=None, ip=None, lang=None, token=None):
        """Validate and create a suggestion or complaint of the public page.
        Called as superuser (the visitor has no rights). Returns
        ``(feedback, errors)``: one of them is empty."""
        company = company or self.env.company
        errors = self._islah_web_errors(values)
        if errors:
            return self.browse(), errors
        name = values.get("author_name") or ""
        email = values.get("author_email") or ""
        phone = values.get("author_phone") or ""
        vals = {
            "kind": values["kind"],
            "category": values.get("category") or "other",
            "section": values["section"],
            "description": values["description"],
            "author_name": name,
            "author_email": email_normalize(email) if email else False,
            "author_phone": normalize_saudi_mobile(phone) if phone else False,
            "is_anonymous": not (name or email or phone),
            "wants_outcome": bool(values.get("wants_outcome")),
            "channel_id": self.env.ref(WEBSITE_CHANNEL).id,
            "company_id": company.id,
            "lang": lang or self.env.lang,
            "submit_ip": ip,
            "web_form_token": token,
        }
        return self.create(vals), {}

    @api.model
    def _islah_submit_portal(self, beneficiary, values):
        """A suggestion or complaint of a beneficiary from their portal.
        Called as superuser once the caller checked that ``beneficiary`` is
        the portal user's own. Returns ``(feedback, errors)``."""
        errors = self._islah_web_errors(values, required=("kind", "description"))
        request_record = self.env["islah.support.request"]
        if values.get("request_id"):
            try:
                request_id = int(values["request_id"])
            except (TypeError, ValueError):
                request_id = 0
            request_record = request_record.search(
                [("id", "=", request_id), ("beneficiary_id", "=", beneficiary.id)], limit=1
            )
            if not request_record:
                errors["request_id"] = self.env._("Choose one of your requests from the list.")
        if errors:
            return self.browse(), errors
        partner = beneficiary.partner_id
        section = beneficiary.section if beneficiary.section in SECTIONS else False
        feedback = self.create(
            {
                "kind": values["kind"],
                "category": values.get("category") or "other",
                "beneficiary_id": beneficiary.id,
                "request_id": request_record.id or False,
                "section": request_record.section or section,
                "description": values["description"],
                "author_name": partner.name or beneficiary.name,
                "author_email": partner.email or False,
                "author_phone": partner.phone or False,
                "wants_outcome": bool(values.get("wants_outcome")),
                "channel_id": self.env.ref(WEBSITE_CHANNEL).id,
                "company_id": beneficiary.company_id.id,
                "lang": partner.lang or self.env.lang,
            }
        )
        return feedback, {}

    def _islah_portal_respond(self, accepted):
        """The beneficiary says from the portal whether they accept the
        answer: the record is closed. Called as superuser once the caller
        checked the record is theirs."""
        self.ensure_one()
        self._islah_check_flow_states(["answered"])
        response = "accepted" if accepted else "not_accepted"
        self._islah_close(response)
        self.message_post(
            body=self.env._(
                "The person answered from the portal: %(response)s.",
                response=dict(self._fields["author_response"]._description_selection(self.env))[
                    response
                ],
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return True
