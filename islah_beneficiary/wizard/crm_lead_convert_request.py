from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext


class CrmLeadConvertRequest(models.TransientModel):
    """Turn an inquiry (crm.lead) into a support request: find the beneficiary
    by national ID or register them from the lead's contact data."""

    _name = "crm.lead.convert.request"
    _description = "Convert an inquiry to a support request"

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="lead_id.company_id")
    national_id = fields.Char(
        string="National ID / Iqama",
        compute="_compute_from_lead",
        store=True,
        precompute=True,
        readonly=False,
    )
    gender = fields.Selection(
        [("male", "Male"), ("female", "Female")],
        compute="_compute_from_lead",
        store=True,
        precompute=True,
        readonly=False,
    )
    service_type_id = fields.Many2one(
        "islah.service.type",
        string="Service",
        compute="_compute_from_lead",
        store=True,
        precompute=True,
        readonly=False,
    )
    medium_id = fields.Many2one(
        "utm.medium",
        string="Channel",
        compute="_compute_from_lead",
        store=True,
        precompute=True,
        readonly=False,
        domain=[("islah_channel", "=", True)],
    )
    beneficiary_id = fields.Many2one(
        "islah.beneficiary",
        string="Existing beneficiary",
        compute="_compute_beneficiary_id",
        help="The beneficiary registered with this national ID, reused by the "
        "conversion; empty: a new beneficiary is registered from the inquiry.",
    )

    @api.depends("lead_id")
    def _compute_from_lead(self):
        for wizard in self:
            lead = wizard.lead_id
            wizard.national_id = lead.islah_national_id or lead.islah_beneficiary_id.national_id
            wizard.gender = lead.islah_gender or lead.islah_beneficiary_id.gender
            wizard.service_type_id = lead.islah_service_type_id
            wizard.medium_id = lead.medium_id if lead.medium_id.islah_channel else False

    @api.depends("national_id", "lead_id")
    def _compute_beneficiary_id(self):
        for wizard in self:
            wizard.beneficiary_id = wizard._find_beneficiary()

    def _find_beneficiary(self):
        """The beneficiary with this national ID in the lead's company, as the
        current user may see it (record rules apply)."""
        self.ensure_one()
        national_id = (self.national_id or "").strip()
        if not national_id:
            return self.env["islah.beneficiary"]
        company = self.lead_id.company_id or self.env.company
        return self.env["islah.beneficiary"].search(
            [("national_id", "=", national_id), ("company_id", "=", company.id)], limit=1
        )

    def _beneficiary_exists_elsewhere(self, national_id, company):
        """Whether a beneficiary the user cannot see holds this national ID.

        Runs as superuser on purpose, and only answers yes or no: without it
        the conversion would try to register the person a second time and
        fail on the unique national ID with an obscure database error.
        """
        # sudo: an unseen file of the other section; a yes or no, which the
        # unique national ID of the company would give away on create anyway
        return bool(
            self.env["islah.beneficiary"]
            .sudo()
            .with_context(active_test=False)
            .search_count(
                [("national_id", "=", national_id), ("company_id", "=", company.id)], limit=1
            )
        )

    def _get_or_create_beneficiary(self):
        self.ensure_one()
        lead = self.lead_id
        company = lead.company_id or self.env.company
        national_id = (self.national_id or "").strip()
        if not national_id:
            raise UserError(self.env._("Enter the national ID or iqama number of the applicant."))
        Beneficiary = self.env["islah.beneficiary"].with_company(company)
        # the back office's own rule and message for a bad number
        Beneficiary.new({"national_id": national_id})._check_national_id()
        if beneficiary := self._find_beneficiary():
            return beneficiary
        if self._beneficiary_exists_elsewhere(national_id, company):
            raise UserError(
                self.env._(
                    "A beneficiary with the national ID %(number)s is registered in a section "
                    "you do not have access to. Ask an officer of that section to convert "
                    "this inquiry.",
                    number=national_id,
                )
            )
        if not self.gender:
            raise UserError(self.env._("Give the applicant's gender: it decides their section."))
        section = {"male": "men", "female": "women"}[self.gender]
        if not self.env.su and section not in self.env.user._islah_sections():
            raise UserError(
                self.env._(
                    "This applicant belongs to the %(section)s, which you do not serve. "
                    "Ask an officer of that section to convert this inquiry.",
                    section=dict(Beneficiary._fields["section"]._description_selection(self.env))[
                        section
                    ],
                )
            )
        return Beneficiary.create(
            {
                "name": lead.contact_name or lead.partner_name or lead.name,
                "national_id": national_id,
                "gender": self.gender,
                "email": lead.email_from or False,
                "phone": lead.phone or False,
                "city": lead.city or False,
                "company_id": company.id,
            }
        )

    def action_convert(self):
        """Create the request on the lead's channel and open it."""
        self.ensure_one()
        lead = self.lead_id
        lead._islah_check_not_converted()
        if not self.service_type_id:
            raise UserError(self.env._("Choose the service requested."))
        if not self.medium_id:
            raise UserError(self.env._("Choose the channel through which the inquiry came."))
        beneficiary = self._get_or_create_beneficiary()
        request = self.env["islah.support.request"].create(
            {
                "beneficiary_id": beneficiary.id,
                "service_type_id": self.service_type_id.id,
                "medium_id": self.medium_id.id,
                "description": html2plaintext(lead.description) if lead.description else False,
                "lead_id": lead.id,
                "company_id": beneficiary.company_id.id,
            }
        )
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

    @api.constrains("national_id")
    def _check_national_id(self):
        for wizard in self:
            if wizard.national_id:
                self.env["islah.beneficiary"].new(
                    {"national_id": wizard.national_id.strip()}
                )._check_national_id()
