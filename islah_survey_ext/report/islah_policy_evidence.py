from odoo import models
from odoo.fields import Domain


class IslahPolicyEvidence(models.TransientModel):
    """The satisfaction clause of the policy's evidence report: requests
    surveyed after delivery, the response rate and the average score."""

    _inherit = "islah.policy.evidence"

    def _islah_evidence_figures(self, date_from, date_to):
        figures = super()._islah_evidence_figures(date_from, date_to)
        return figures + self._islah_satisfaction_evidence_figures(date_from, date_to)

    def _islah_satisfaction_evidence_figures(self, date_from, date_to):
        env = self._islah_env()
        requests = self._islah_request_domain(date_from, date_to)
        surveyed, delivered = self._islah_request_policy_shares(env, requests, ["surveyed"]).get(
            "surveyed", (0, 0)
        )
        UserInput = env["survey.user_input"]
        invitations = Domain("islah_request_id", "any", requests) & Domain(
            "islah_invitation_state", "!=", False
        )
        answered_domain = invitations & Domain("islah_invitation_state", "=", "answered")
        invited = UserInput.search_count(invitations)
        answered = UserInput.search_count(answered_domain)
        scored_domain = answered_domain & Domain("islah_scored", "=", True)
        [(average, scored)] = UserInput._read_group(
            scored_domain, [], ["islah_score:avg", "__count"]
        )
        return [
            self._islah_evidence_figure(
                "satisfaction",
                "surveyed",
                self.env._("Surveyed after delivery"),
                self.env._(
                    "Requests of the period whose service was delivered and whose "
                    "beneficiary was invited to the satisfaction survey, over the "
                    "requests of the period delivered."
                ),
                numerator=surveyed,
                denominator=delivered,
            ),
            self._islah_evidence_figure(
                "satisfaction",
                "response_rate",
                self.env._("Survey response rate"),
                self.env._(
                    "Satisfaction-survey invitations answered, over the invitations sent "
                    "for the requests of the period."
                ),
                numerator=answered,
                denominator=invited,
            ),
            self._islah_evidence_figure(
                "satisfaction",
                "satisfaction",
                self.env._("Average satisfaction (0-100)"),
                self.env._(
                    "Average satisfaction score, from 0 to 100, of the answered surveys of "
                    "the requests of the period."
                ),
                value=f"{average:.1f}" if scored else self.env._("no case"),
            ),
        ]
