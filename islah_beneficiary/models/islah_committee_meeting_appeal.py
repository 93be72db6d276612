from odoo import api, fields, models


class IslahCommitteeMeeting(models.Model):
    """Where meetings get their agenda: the appeals waiting for a meeting
    go on the first one planned after they were submitted."""

    _inherit = "islah.committee.meeting"

    appeal_ids = fields.One2many("islah.appeal", "meeting_id", string="Appeals")

    @api.model_create_multi
    def create(self, vals_list):
        meetings = super().create(vals_list)
        meetings._islah_take_waiting_appeals()
        return meetings

    def action_pull_requests(self):
        result = super().action_pull_requests()
        self._islah_take_waiting_appeals()
        return result

    def _islah_take_waiting_appeals(self):
        """The submitted appeals of the company, on this planned meeting if
        it is their next one."""
        now = fields.Datetime.now()
        # sudo: appeals of every section wait for the committee
        Appeal = self.env["islah.appeal"].sudo()
        for meeting in self.filtered(lambda m: m.state == "draft" and m.date_start > now):
            waiting = Appeal.search(
                [("state", "=", "submitted"), ("company_id", "=", meeting.company_id.id)],
                order="submitted_on, id",
            )
            if waiting and Appeal._islah_next_meeting(meeting.company_id) == meeting.sudo():
                waiting._islah_schedule_on_next_meeting(meeting.sudo())

    def unlink(self):
        # sudo: the appeals' state, whoever deletes the meeting
        appeals = self.sudo().decision_ids.appeal_id
        result = super().unlink()
        # the meeting is deleted: its appeals wait for the next one
        appeals._islah_back_to_waiting()
        return result
