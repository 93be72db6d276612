from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from ..tools import normalize_national_id
from ..tools.constants import GENDER_SELECTION


class CrmLeadConvertRequest(models.TransientModel):
    """Turn an inquiry (crm.lead) into a support request: the officer matches
    it to a beneficiary (the one with its national ID is proposed) or
    registers a new one; a web intake needs the applicant's identity checked
    first, and brings its declaration, files and consent to the request."""

    _name = "crm.lead.convert.request"
    _description = "Convert an inquiry to a support request"

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade")
    # read from the lead with the user's rights: an onchange or a write with
    # another section's lead_id must not copy its values out (AccessError)
    company_id = fields.Many2one(related="lead_id.company_id", compute_sudo=False)
    national_id = fields.Char(
        string="National ID / Iqama",
        compute="_compute_from_lead",
        compute_sudo=False,
        store=True,
        precompute=True,
        readonly=False,
    )
    gender = fields.Selection(
        GENDER_SELECTION,
        compute="_compute_from_lead",
        compute_sudo=False,
        store=True,
        precompute=True,
        readonly=False,
    )
    service_type_id = fields.Many2one(
        "islah.service.type",
        string="Service",
        compute="_compute_from_lead",
        compute_sudo=False,
        store=True,
        precompute=True,
        readonly=False,
    )
    medium_id = fields.Many2one(
        "utm.medium",
        string="Channel",
        compute="_compute_from_lead",
        compute_sudo=False,
        store=True,
        precompute=True,
        readonly=False,
        domain=[("islah_channel", "=", True)],
    )
    city_id = fields.Many2one(
        "islah.city",
        string="City of residence",
        compute="_compute_from_lead",
        compute_sudo=False,
        store=True,
        precompute=True,
        readonly=False,
        help="Proposed from the city the applicant typed, when it names one of the "
        "association's cities; it decides the services whose conditions name a city.",
    )
    beneficiary_id = fields.Many2one(
        "islah.beneficiary",
        string="Existing beneficiary",
        compute="_compute_beneficiary_id",
        store=True,
        readonly=False,
        # proposed among the files this officer may see (record rules)
        compute_sudo=False,
        help="The beneficiary the request is for: the one registered with this "
        "national ID is proposed; empty: a new beneficiary is registered from the "
        "inquiry.",
    )
    identity_state = fields.Selection(related="lead_id.islah_identity_state", compute_sudo=False)
    identity_check_method = fields.Selection(
        [
            ("in_person", "In person"),
            ("documents", "By the documents"),
            ("phone_call", "By a phone call"),
        ],
        string="Identity checked",
        help="How you made sure the applicant is the person they say: required for "
        "a request sent from the website.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        # only a user who may read the lead, an officer of its section, opens
        # a wizard on it
        wizards.lead_id.check_access("read")
        wizards.lead_id._islah_check_section_officer()
        return wizards

    def write(self, vals):
        if vals.get("lead_id"):
            # the same check as create: a wizard is not moved to another lead
            lead = self.env["crm.lead"].browse(vals["lead_id"])
            lead.check_access("read")
            lead._islah_check_section_officer()
        return super().write(vals)

    @api.depends("lead_id")
    def _compute_from_lead(self):
        for wizard in self:
            lead = wizard.lead_id
            wizard.national_id = lead.islah_national_id or lead.islah_beneficiary_id.national_id
            wizard.gender = lead.islah_gender or lead.islah_beneficiary_id.gender
            wizard.service_type_id = lead.islah_service_type_id
            wizard.medium_id = lead.medium_id if lead.medium_id.islah_channel else False
            wizard.city_id = self.env["islah.city"]._islah_match(lead.city)

    @api.depends("national_id", "lead_id")
    def _compute_beneficiary_id(self):
        Beneficiary = self.env["islah.beneficiary"]
        for wizard in self:
            # as the current user may see it (record rules apply)
            company = wizard.lead_id.company_id or self.env.company
            wizard.beneficiary_id = Beneficiary._islah_find(wizard.national_id, company)

    def _get_or_create_beneficiary(self):
        """The file picked by the officer, else the one holding the national
        ID, else a new file registered from the inquiry."""
        self.ensure_one()
        lead = self.lead_id
        if self.beneficiary_id:
            # picked by the officer: one they may see (record rules)
            self.beneficiary_id.check_access("read")
            return self.beneficiary_id
        company = lead.company_id or self.env.company
        # a web applicant's typed address only once they confirmed it
        trusted_email = not lead.islah_identity_state or lead.islah_email_confirmed
        lang = lead.lang_id.code if lead.islah_identity_state else False
        beneficiary, _created = (
            self.env["islah.beneficiary"]
            .with_context(islah_applicant_lang=lang)
            ._islah_find_or_create(
                {
                    "name": lead.contact_name or lead.partner_name or lead.name,
                    "national_id": self.national_id,
                    "gender": self.gender,
                    "email": (trusted_email and lead.email_from) or False,
                    "phone": lead.phone or False,
                    "city": lead.city or False,
                    "city_id": self.city_id.id,
                    "company_id": company.id,
                }
            )
        )
        return beneficiary

    def action_convert(self):
        """Create the request on the lead's channel and open it."""
        self.ensure_one()
        lead = self.lead_id
        lead._islah_check_not_converted()
        lead._islah_check_section_officer()
        if lead.islah_identity_state == "unverified" and not self.identity_check_method:
            raise UserError(
                self.env._(
                    "This request came from the website: say how you checked the "
                    "applicant's identity before matching or registering them."
                )
            )
        if not self.service_type_id:
            raise UserError(self.env._("Choose the service requested."))
        if not self.medium_id:
            raise UserError(self.env._("Choose the channel through which the inquiry came."))
        beneficiary = self._get_or_create_beneficiary()
        if lead.islah_identity_state == "unverified":
            lead._islah_record_identity_check(self.identity_check_method)
        # sudo: the need as written is a sensitive field of the lead, which
        # this officer of its section converts
        need = lead.sudo().islah_need
        request = self.env["islah.support.request"].create(
            {
                "beneficiary_id": beneficiary.id,
                "service_type_id": self.service_type_id.id,
                "medium_id": self.medium_id.id,
                "description": need
                or (html2plaintext(lead.description) if lead.description else False),
                "lead_id": lead.id,
                "company_id": beneficiary.company_id.id,
            }
        )
        if lead.islah_declaration_date:
            # the applicant ticked it on the form: their date, not today's
            request._check_transition("record_declaration")
            request._islah_write_workflow(
                {"declaration_accepted": True, "declaration_date": lead.islah_declaration_date}
            )
        self._move_intake_files(request)
        self._record_intake_consent(beneficiary)
        lead.write(
            {
                "islah_beneficiary_id": beneficiary.id,
                "islah_national_id": beneficiary.national_id,
                "islah_gender": beneficiary.gender,
                "islah_service_type_id": self.service_type_id.id,
            }
        )
        lead.message_post(
            body=self.env._(
                "Converted to the support request %(request)s.", request=request._get_html_link()
            )
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "islah.support.request",
            "res_id": request.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def _move_intake_files(self, request):
        """Each file sent with the web form goes to its checklist line
        (received, not verified); a file of a document the service no
        longer asks stays on the request for the officer."""
        lead = self.lead_id
        # sudo: the applicant's files (created by the public user) move from
        # the lead this officer converts to its request, nothing is read
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)])
        )
        if not attachments:
            return
        attachments.write({"res_model": request._name, "res_id": request.id})
        for line in request.document_ids:
            files = attachments.filtered(
                lambda att, line=line: att.islah_document_type_id == line.document_type_id
            )
            if files:
                line.write({"attachment_ids": [Command.link(att.id) for att in files]})
        request.message_post(
            body=self.env._("Documents sent by the applicant with the web form."),
            attachment_ids=attachments.ids,
        )

    def _record_intake_consent(self, beneficiary):
        """The consent the applicant gave on the form, as given online."""
        lead = self.lead_id
        if not lead.islah_consent_given:
            return
        beneficiary._islah_record_consent(
            notice=lead.islah_privacy_notice_id or None,
            channel=self.env.ref("islah_beneficiary.utm_medium_website"),
            given_on=lead.islah_declaration_date or lead.create_date,
            recorded_by=False,
        )

    @api.constrains("national_id")
    def _check_national_id(self):
        for wizard in self:
            if wizard.national_id:
                self.env["islah.beneficiary"].new(
                    {"national_id": normalize_national_id(wizard.national_id)}
                )._check_national_id()
