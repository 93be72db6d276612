from odoo import fields, models, tools
from odoo.tools import SQL

from odoo.addons.islah_beneficiary.tools.constants import SECTION_SELECTION


class IslahSatisfactionReport(models.Model):
    """The satisfaction invitations as officers may analyse them: averages
    by service, channel, section and month. No beneficiary, officer, comment
    or token here: the analysis by officer is the managers' (on the
    invitations themselves)."""

    _name = "islah.satisfaction.report"
    _description = "Beneficiary satisfaction analysis"
    _auto = False
    _order = "invited_on desc"
    # flush these before reading the view
    _depends = {
        "survey.user_input": [
            "islah_request_id",
            "islah_invited_on",
            "islah_service_type_id",
            "islah_medium_id",
            "islah_section",
            "islah_company_id",
            "islah_invitation_state",
            "islah_score",
            "islah_scored",
        ],
    }

    invited_on = fields.Datetime(string="Invitation date", readonly=True)
    service_type_id = fields.Many2one("islah.service.type", string="Service", readonly=True)
    medium_id = fields.Many2one("utm.medium", string="Channel", readonly=True)
    section = fields.Selection(SECTION_SELECTION, readonly=True)
    company_id = fields.Many2one("res.company", string="Association", readonly=True)
    invitation_state = fields.Selection(
        [
            ("invited", "Invited"),
            ("reminded", "Reminded"),
            ("answered", "Answered"),
            ("expired", "Expired"),
        ],
        string="Invitation status",
        readonly=True,
    )
    invitation_count = fields.Integer(string="Invitations", readonly=True)
    answered_count = fields.Integer(string="Answers", readonly=True)
    score = fields.Float(
        string="Average satisfaction", aggregator="avg", digits=(5, 1), readonly=True
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    SELECT ui.id AS id,
                           ui.islah_invited_on AS invited_on,
                           ui.islah_service_type_id AS service_type_id,
                           ui.islah_medium_id AS medium_id,
                           ui.islah_section AS section,
                           ui.islah_company_id AS company_id,
                           ui.islah_invitation_state AS invitation_state,
                           1 AS invitation_count,
                           CASE WHEN ui.islah_invitation_state = 'answered' THEN 1 ELSE 0 END
                               AS answered_count,
                           -- unscored answers stay out of the average (NULL)
                           CASE WHEN ui.islah_scored THEN ui.islah_score END AS score
                      FROM survey_user_input ui
                     WHERE ui.islah_request_id IS NOT NULL
                       AND ui.islah_invitation_state IS NOT NULL
                )
                """,
                table=SQL.identifier(self._table),
            )
        )
