from odoo import api, fields, models


class IslahFeedbackVoiceMixin(models.AbstractModel):
    """Measures of the beneficiary's voice for the analysis views and the
    managers' workbook: 0 or 100 per record, so that their average (the
    pivot's aggregate) is the share in percent."""

    _name = "islah.feedback.voice.mixin"
    _description = "Measures of a suggestion or complaint"

    answered_on_time_rate = fields.Integer(
        string="Answered on time (%)",
        compute="_compute_voice_rates",
        store=True,
        aggregator="avg",
        help="100 when the written answer was sent by the response deadline, else 0. "
        'Averaged over the records whose answer is due (filter "Answer due"), it is '
        "the share answered on time.",
    )
    accepted_rate = fields.Integer(
        string="Answer accepted (%)",
        compute="_compute_voice_rates",
        store=True,
        aggregator="avg",
        help="100 when the author accepted the answer, else 0. Averaged over the records "
        'whose author gave their response (filter "Author responded"), it is the share '
        "of answers accepted.",
    )
    has_author_response = fields.Boolean(
        string="Author responded",
        compute="_compute_voice_rates",
        store=True,
        help="The author accepted the answer or said they did not.",
    )
    is_due = fields.Boolean(
        string="Answer due",
        compute="_compute_voice_rates",
        store=True,
        help="Answered, or overdue without an answer: counted in the share answered on time.",
    )

    @api.depends("answered_on", "answered_on_time", "sla_state", "author_response", "state")
    def _compute_voice_rates(self):
        for feedback in self:
            answered = bool(feedback.answered_on)
            feedback.is_due = feedback.state != "cancelled" and (
                answered or feedback.sla_state == "overdue"
            )
            feedback.answered_on_time_rate = 100 if feedback.answered_on_time else 0
            feedback.has_author_response = feedback.author_response in ("accepted", "not_accepted")
            feedback.accepted_rate = 100 if feedback.author_response == "accepted" else 0
