from odoo import models
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.islah_beneficiary.report import islah_xlsx_writer as xw
from odoo.addons.islah_beneficiary.tools.constants import GROUP_MANAGER


class IslahRequestXlsxReport(models.AbstractModel):
    """The satisfaction sheet and the policy's "surveyed after delivery"
    share, added to the managers' workbook when surveys are installed."""

    _inherit = "islah.request.xlsx.report"

    def _xlsx_sheets(self):
        return super()._xlsx_sheets() + ["satisfaction"]

    def _write_satisfaction_sheet(self, book, export):
        """Response rate and average score of the satisfaction surveys."""
        sheet = book.add_sheet(
            self.env._("Satisfaction"),
            [
                (self.env._("Breakdown"), 14, xw.TEXT),
                (self.env._("Item"), 30, xw.TEXT),
                (self.env._("Invited"), 10, xw.INTEGER),
                (self.env._("Answered"), 10, xw.INTEGER),
                (self.env._("Response rate"), 14, xw.PERCENT),
                (self.env._("Average score"), 14, xw.DECIMAL),
            ],
        )
        for row in self._satisfaction_rows(export):
            sheet.write_row(row)

    def _policy_columns(self, export):
        columns = super()._policy_columns(export)
        columns.append(
            {
                "key": "surveyed",
                "header": self.env._("Surveyed after delivery"),
                "numerator": lambda alias: SQL(
                    "EXISTS (SELECT 1 FROM survey_user_input ui WHERE ui.islah_request_id = %s "
                    "AND ui.islah_invitation_state IS NOT NULL)",
                    SQL.identifier(alias, "id"),
                ),
                "denominator": lambda alias: SQL("%s = 'done'", SQL.identifier(alias, "state")),
            }
        )
        return columns

    def _satisfaction_domain(self, export):
        """The invitations of the exported requests (as the user may read them)."""
        return Domain("islah_request_id", "any", export._request_domain()) & Domain(
            "islah_invitation_state", "!=", False
        )

    def _satisfaction_groupbys(self):
        """``(label, groupby, name of a group value)``; officers for managers only."""
        groupbys = [
            (self.env._("Service"), "islah_service_type_id", lambda service: service.name),
            (self.env._("Channel"), "islah_medium_id", lambda medium: medium.display_name),
            (self.env._("Month"), "islah_invited_on:month", lambda month: month.strftime("%Y-%m")),
        ]
        if self.env.user.has_group(GROUP_MANAGER):
            groupbys.append((self.env._("Officer"), "islah_officer_id", lambda user: user.name))
        return groupbys

    def _satisfaction_rows(self, export):
        """``[breakdown, item, invited, answered, response rate, average]``,
        counted and averaged by the database."""
        UserInput = self.env["survey.user_input"]
        domain = self._satisfaction_domain(export)
        answered_domain = domain & Domain("islah_invitation_state", "=", "answered")
        scored_domain = answered_domain & Domain("islah_scored", "=", True)
        none = self.env._("None")
        rows = []
        invited = UserInput.search_count(domain)
        answered = UserInput.search_count(answered_domain)
        [(average,)] = UserInput._read_group(scored_domain, [], ["islah_score:avg"])
        rows.append(
            [self.env._("Total"), self.env._("All"), invited, answered,
             answered / invited if invited else None, average]
        )  # fmt: skip
        for label, groupby, name in self._satisfaction_groupbys():
            invited_by = dict(UserInput._read_group(domain, [groupby], ["__count"]))
            answered_by = dict(UserInput._read_group(answered_domain, [groupby], ["__count"]))
            average_by = dict(UserInput._read_group(scored_domain, [groupby], ["islah_score:avg"]))
            for key, count in invited_by.items():
                done = answered_by.get(key, 0)
                rows.append(
                    [label, name(key) if key else none, count, done, done / count,
                     average_by.get(key)]
                )  # fmt: skip
        return rows
