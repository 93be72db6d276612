from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.committee import FINAL_OUTCOMES
from ..tools.constants import GROUP_MANAGER, GROUP_OFFICER

NOTIFICATION_METHODS = [("email", "E-mail"), ("letter", "Letter"), ("phone", "Phone call")]


class IslahCommitteeDecisionLetterMixin(models.AbstractModel):
    """The letter of a final decision and how the beneficiary was told of it:
    its number and date, the e-mail, the notification recorded by hand, a
    resend or a correction, each a step of the transition table taken by
    the meeting's chair, secretary or a manager (the officer records a
    notification too). Kept apart from the decision itself, which the
    meeting closes; the host model (``islah.committee.decision``) provides
    ``outcome``, ``meeting_id``, ``request_id``, ``partner_id`` and the chatter."""

    _name = "islah.committee.decision.letter.mixin"
    _description = "Research Committee decision letter"
    _inherit = ["islah.flow.mixin"]

    letter_number = fields.Char(readonly=True, copy=False, index="btree_not_null")
    letter_date = fields.Date(readonly=True, copy=False)
    notified_on = fields.Datetime(readonly=True, copy=False, tracking=True)
    notification_method = fields.Selection(
        NOTIFICATION_METHODS, string="Notified by", readonly=True, copy=False, tracking=True
    )
    letter_state = fields.Selection(
        [("none", "No letter"), ("to_notify", "To notify"), ("notified", "Notified")],
        string="Letter",
        compute="_compute_letter_state",
        help="A final decision is notified to the beneficiary once, by its letter.",
    )
    # what the current user may do now (see _get_transition_roles): the buttons
    can_issue_letter = fields.Boolean(compute="_compute_transition_rights")
    can_send_decision_letter = fields.Boolean(compute="_compute_transition_rights")
    can_resend_decision_letter = fields.Boolean(compute="_compute_transition_rights")
    can_record_notification = fields.Boolean(compute="_compute_transition_rights")
    can_correct_notification = fields.Boolean(compute="_compute_transition_rights")

    @api.depends("outcome", "notified_on")
    def _compute_letter_state(self):
        for decision in self:
            if decision.outcome not in FINAL_OUTCOMES:
                decision.letter_state = "none"
            else:
                decision.letter_state = "notified" if decision.notified_on else "to_notify"

    @api.depends_context("uid")
    @api.depends("outcome", "notified_on", "meeting_id.chair_id", "meeting_id.secretary_id")
    def _compute_transition_rights(self):
        self._islah_set_transition_rights()

    # ------------------------------------------------------------------
    # Transition table: the letter and its notification
    # ------------------------------------------------------------------

    def _get_transition_roles(self):
        """The letter of a final decision is issued and sent once by the
        chair, the secretary or a manager; a resend or a correction of the
        notification is its own step, with a reason. The officer who hands
        the letter in person (or phones) records it once. Extend with
        ``super()``."""
        organisers = {"groups": (GROUP_MANAGER,), "roles": ("chair", "secretary")}
        return {
            **super()._get_transition_roles(),
            "issue_letter": {
                "label": self.env._("Issue the letter"),
                "states": ["to_notify", "notified"],
                **organisers,
            },
            "send_decision_letter": {
                "label": self.env._("Send decision letter"),
                "states": ["to_notify"],
                **organisers,
            },
            "resend_decision_letter": {
                "label": self.env._("Send the letter again"),
                "states": ["notified"],
                **organisers,
            },
            "record_notification": {
                "label": self.env._("Record the notification"),
                "states": ["to_notify"],
                "groups": (GROUP_OFFICER,),
                "roles": ("chair", "secretary"),
            },
            "correct_notification": {
                "label": self.env._("Correct the notification"),
                "states": ["notified"],
                **organisers,
            },
        }

    def _islah_flow_state(self):
        self.ensure_one()
        return self.letter_state

    def _islah_flow_roles(self):
        self.ensure_one()
        # sudo: officers do not read meetings; only who chairs and keeps it
        meeting = self.sudo().meeting_id
        user = self.env.user
        roles = set()
        if user == meeting.chair_id:
            roles.add("chair")
        if user == meeting.secretary_id:
            roles.add("secretary")
        return roles

    def _islah_flow_role_labels(self):
        return {
            "chair": self.env._("the chair of the meeting"),
            "secretary": self.env._("the secretary of the meeting"),
        }

    def _islah_check_flow_states(self, states):
        for decision in self:
            if decision.letter_state in states:
                continue
            if decision.letter_state == "none":
                raise UserError(
                    self.env._(
                        "The decision on %(request)s is not final: there is no letter to issue.",
                        request=decision.request_id.name,
                    )
                )
            if decision.letter_state == "notified":
                raise UserError(
                    self.env._(
                        "The decision on %(request)s was notified on %(date)s: send the "
                        "letter again or correct the notification, with the reason.",
                        request=decision.request_id.name,
                        date=decision.notified_on,
                    )
                )
            raise UserError(
                self.env._(
                    "The decision on %(request)s has not been notified yet.",
                    request=decision.request_id.name,
                )
            )

    # ------------------------------------------------------------------
    # Letter and notification
    # ------------------------------------------------------------------

    def _issue_letter(self):
        """Give the decision letter its number and date (once)."""
        for decision in self.filtered(lambda d: not d.letter_number):
            # sudo: the letter's number and date are locked to every user
            decision.sudo().write(
                {
                    "letter_number": self.env["ir.sequence"]
                    .with_company(decision.company_id)
                    .next_by_code("islah.committee.letter"),
                    "letter_date": fields.Date.context_today(decision),
                }
            )

    def action_issue_letter(self):
        self._check_transition("issue_letter")
        self._issue_letter()
        return True

    def action_send_decision_letter(self):
        """E-mail the beneficiary the decision letter (PDF attached) in their
        language, once; without an e-mail address, ask the officer to notify
        them (and record it with ``action_record_notification``)."""
        decisions = self
        if self.env.su:
            # the shipped automation: a letter already notified is not sent again
            decisions = self.filtered(lambda d: d.letter_state != "notified")
        decisions._check_transition("send_decision_letter")
        decisions._issue_letter()
        for decision in decisions:
            if decision._islah_email_letter():
                # sudo: the notification fields are locked to every user
                decision.sudo().write(
                    {"notified_on": fields.Datetime.now(), "notification_method": "email"}
                )
        return True

    def _islah_email_letter(self):
        """E-mail the letter; False (and a to-do for the officer) without an address."""
        self.ensure_one()
        if not self.partner_id.email:
            # no e-mail address: a to-do for the request's officer
            self.request_id._islah_schedule_notify_todo(self.letter_number)
            return False
        template = self._islah_letter_template()
        # sudo: the template and its letter report are rendered as the system
        messages = self.sudo().message_post_with_source(template, subtype_xmlid="mail.mt_comment")
        # the letter leaves once the decision is committed, not with the next
        # run of the mail queue
        # sudo: mails are not readable by their senders
        self.env["mail.mail"].sudo().search(
            [("mail_message_id", "in", messages.ids), ("state", "=", "outgoing")]
        ).send_after_commit()
        return True

    def _islah_letter_template(self):
        """The e-mail of the letter (an appeal's: its outcome letter)."""
        return self.env.ref("islah_beneficiary.mail_template_committee_decision")

    def _islah_reason(self, reason, message):
        reason = (reason or "").strip()
        if not reason:
            raise UserError(message)
        return reason

    def action_resend_decision_letter(self, reason=None):
        """Send the letter again (lost, wrong address...): the reason, who and
        when are recorded in the chatter; the first ``notified_on`` stays."""
        self._check_transition("resend_decision_letter")
        reason = self._islah_reason(
            reason, self.env._("Say why the decision letter is sent again.")
        )
        for decision in self:
            if not decision.partner_id.email:
                raise UserError(
                    self.env._(
                        "%(name)s has no e-mail address: hand the letter %(letter)s over "
                        "again and correct the notification instead.",
                        name=decision.beneficiary_id.name,
                        letter=decision.letter_number,
                    )
                )
            decision._islah_email_letter()
            decision.message_post(
                body=self.env._(
                    "Decision letter %(letter)s sent again by %(user)s: %(reason)s",
                    letter=decision.letter_number,
                    user=self.env.user.name,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _islah_check_notification(self, method, notified_on):
        if method not in dict(NOTIFICATION_METHODS):
            raise UserError(self.env._("Choose how the beneficiary was notified."))
        notified_on = fields.Datetime.to_datetime(notified_on) or fields.Datetime.now()
        if notified_on > fields.Datetime.now():
            raise ValidationError(self.env._("A notification cannot be dated in the future."))
        return notified_on

    def action_record_notification(self, method, notified_on=None):
        """The beneficiary was told without the e-mail (letter handed over,
        phone call): recorded once, by the officer or the meeting's chair or
        secretary."""
        self._check_transition("record_notification")
        notified_on = self._islah_check_notification(method, notified_on)
        self._issue_letter()
        # sudo: the notification fields are locked to every user; the step was checked
        self.sudo().write({"notification_method": method, "notified_on": notified_on})
        return True

    def action_correct_notification(self, method, notified_on, reason=None):
        """Correct how or when the beneficiary was notified (a letter handed in
        person, recorded wrongly): the chair, the secretary or a manager,
        with the reason, logged with the former values."""
        self._check_transition("correct_notification")
        reason = self._islah_reason(
            reason, self.env._("Say why the notification of the decision is corrected.")
        )
        notified_on = self._islah_check_notification(method, notified_on)
        labels = dict(self._fields["notification_method"]._description_selection(self.env))
        for decision in self:
            decision.message_post(
                body=self.env._(
                    "Notification corrected by %(user)s, from %(old_method)s on %(old_date)s "
                    "to %(method)s on %(date)s: %(reason)s",
                    user=self.env.user.name,
                    old_method=labels.get(decision.notification_method, ""),
                    old_date=decision.notified_on,
                    method=labels[method],
                    date=notified_on,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        # sudo: the notification fields are locked to every user; the step was checked
        self.sudo().write({"notification_method": method, "notified_on": notified_on})
        return True

    def action_open_notification_wizard(self):
        """The form's buttons: resend the letter, record or correct the notification."""
        mode = self.env.context.get("islah_notification_mode", "record")
        step = {
            "resend": "resend_decision_letter",
            "record": "record_notification",
            "correct": "correct_notification",
        }[mode]
        self._check_transition(step)
        return {
            "type": "ir.actions.act_window",
            "name": self._get_transition_roles()[step]["label"],
            "res_model": "islah.committee.decision.notify",
            "view_mode": "form",
            "target": "new",
            "context": {"default_decision_ids": self.ids, "default_mode": mode},
        }
