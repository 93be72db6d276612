from odoo import api, fields, models
from odoo.exceptions import UserError

from .islah_beneficiary import SENSITIVE_GROUPS
from .res_partner import SECTIONS


class CrmLead(models.Model):
    """An inquiry received by the beneficiary relations teams, through any of
    the policy's channels (``medium_id``), before it becomes a support request."""

    _inherit = "crm.lead"

    islah_beneficiary_id = fields.Many2one(
        "islah.beneficiary",
        string="Beneficiary",
        index="btree_not_null",
        copy=False,
        tracking=True,
    )
    islah_request_ids = fields.One2many(
        "islah.support.request", "lead_id", string="Support requests"
    )
    islah_request_count = fields.Integer(
        compute="_compute_islah_request_count", string="Support request count"
    )
    islah_national_id = fields.Char(
        string="National ID / Iqama",
        groups=SENSITIVE_GROUPS,
        copy=False,
        help="Used by the conversion to find the beneficiary, or to register them.",
    )
    islah_gender = fields.Selection([("male", "Male"), ("female", "Female")], string="Gender")
    islah_section = fields.Selection(
        SECTIONS,
        string="Beneficiary section",
        compute="_compute_islah_section",
        store=True,
        index=True,
        help="The section of the beneficiary (or of its contact, or of the applicant's "
        "gender): only the staff of this section see the inquiry.",
    )
    islah_service_type_id = fields.Many2one(
        "islah.service.type",
        string="Requested service",
        domain="[('company_id', 'in', [company_id, False])]",
    )

    @api.depends("islah_beneficiary_id.section", "partner_id.islah_section", "islah_gender")
    def _compute_islah_section(self):
        for lead in self:
            lead.islah_section = (
                lead.islah_beneficiary_id.section
                or lead.partner_id.islah_section
                or {"male": "men", "female": "women"}.get(lead.islah_gender, False)
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._islah_check_partners(vals.get("partner_id") for vals in vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and vals.get("partner_id"):
            self._islah_check_partners([vals["partner_id"]])
        return super().write(vals)

    @api.model
    def _islah_check_partners(self, partner_ids):
        """CRM copies the contact's name, e-mail, phone and address onto the
        inquiry with full rights: link only a contact the user may read."""
        self.env["res.partner"].browse(pid for pid in partner_ids if pid).check_access("read")

    @api.depends("islah_request_ids")
    def _compute_islah_request_count(self):
        Request = self.env["islah.support.request"]
        counts = {}
        if self.ids and Request.has_access("read"):
            counts = dict(
                Request._read_group([("lead_id", "in", self.ids)], ["lead_id"], ["__count"])
            )
        for lead in self:
            lead.islah_request_count = counts.get(lead, 0)

    def action_islah_convert_to_request(self):
        """Open the conversion wizard; a lead already converted opens its
        request instead (a second conversion would duplicate the request)."""
        self.ensure_one()
        if self.islah_request_ids:
            return self.action_islah_view_requests()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Convert to support request"),
            "res_model": "crm.lead.convert.request",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_id": self.id},
        }

    def action_islah_view_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "islah_beneficiary.islah_support_request_action"
        )
        requests = self.islah_request_ids
        if len(requests) == 1:
            action.update(views=[(False, "form")], view_mode="form", res_id=requests.id)
        else:
            action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"default_lead_id": self.id}
        return action

    def _islah_check_not_converted(self):
        for lead in self:
            if lead.islah_request_ids:
                raise UserError(
                    self.env._(
                        'The inquiry "%(lead)s" was already converted to the support '
                        "request %(request)s.",
                        lead=lead.name,
                        request=lead.islah_request_ids[0].name,
                    )
                )

    @api.model
    def default_get(self, fields):
        """A new inquiry from the Inquiries menu goes to the team of the
        officer's section (when they serve one section only)."""
        defaults = super().default_get(fields)
        if self.env.context.get("islah_inquiry") and "team_id" in fields:
            sections = self.env.user._islah_sections()
            if len(sections) == 1:
                team = self.env["crm.team"]._islah_team_for_section(sections[0])
                if team:
                    defaults["team_id"] = team.id
        return defaults
