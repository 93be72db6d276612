from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..tools.constants import GROUP_MANAGER

REPORT = "islah_beneficiary.action_report_you_said_we_did"


class IslahYouSaidWeDid(models.TransientModel):
    """Print "you said, we did" for a period, on the letterhead: the themes
    raised and the actions taken, without any name."""

    _name = "islah.you.said.we.did"
    _description = "You said, we did: periodic summary"

    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(months=3),
    )
    date_to = fields.Date(
        string="To", required=True, default=lambda self: fields.Date.context_today(self)
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(self.env._("The period must end after it starts."))

    def _islah_summary(self):
        """The summary shown by the report (see islah.improvement.action)."""
        self.ensure_one()
        return self.env["islah.improvement.action"]._islah_you_said_we_did(
            self.date_from, self.date_to, self.company_id
        )

    def action_print(self):
        if not self.env.su and not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(self.env._('Only managers print "you said, we did".'))
        return self.env.ref(REPORT).report_action(self)
