import datetime

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import policy_text
from ..tools.constants import GROUP_MANAGER

# the policy steps measured on the requests, as defined (SQL) by the Excel
# workbook's "Policy compliance" sheet: key -> the clause they evidence
REQUEST_POLICY_CLAUSES = {
    "verified": "verification",
    "declaration": "declaration",
    "deadline": "committee",
    "informed": "committee",
}


class IslahPolicyEvidence(models.TransientModel):
    """The filters of the policy's evidence report (a PDF on the letterhead
    for the board and the regulator's governance reviews) and its figures.

    The figures are counts and shares only, never a name, a national ID or
    a file number. Each is a dict (see ``_islah_evidence_figure``); modules
    add theirs by overriding ``_islah_evidence_figures`` (the survey addon
    adds satisfaction). They are computed as the printing manager may read
    the records: a manager of one section gets that section's figures, and
    the report says which sections it covers."""

    _name = "islah.policy.evidence"
    _description = "Evidence report of the beneficiary relations policy"

    date_from = fields.Date(
        string="Period from", required=True, default=lambda self: self._default_date_from()
    )
    date_to = fields.Date(string="Period to", required=True, default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    lang = fields.Selection(
        selection="_selection_lang",
        string="Language",
        required=True,
        default=lambda self: self._default_lang(),
    )

    def _default_date_from(self):
        return fields.Date.context_today(self).replace(month=1, day=1)

    def _default_lang(self):
        codes = [code for code, _name in self._selection_lang()]
        lang = self.env.lang or self.env.user.lang
        return lang if lang in codes else (codes[0] if codes else "en_US")

    @api.model
    def _selection_lang(self):
        return self.env["res.lang"].get_installed()

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(self.env._("The period ends before it starts."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_print(self):
        """Print the report in the chosen language."""
        self.ensure_one()
        self._check_evidence_access()
        return (
            self.env.ref("islah_beneficiary.action_report_policy_evidence")
            .with_context(lang=self.lang)
            .report_action(self)
        )

    def _check_evidence_access(self):
        """Only managers print the evidence: it is checked again when the
        report is rendered (report model), whatever calls it."""
        if not self.env.su and not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(self.env._("Only managers may print the policy's evidence report."))

    # ------------------------------------------------------------------
    # What the report prints
    # ------------------------------------------------------------------

    def _islah_evidence_clauses(self):
        """``[{"key", "text", "figures"}]`` in the policy's order, each
        clause with its figures, in the report's language; a clause without
        figures is left out."""
        self.ensure_one()
        figures = self._islah_evidence_figures(self.date_from, self.date_to)
        clauses = []
        for key in policy_text.CLAUSE_ORDER:
            own = [figure for figure in figures if figure["clause"] == key]
            if own:
                clauses.append(
                    {"key": key, "text": policy_text.clause_text(key, self.lang), "figures": own}
                )
        return clauses

    def _islah_letter_date(self):
        """The report's date: the day it is printed, in the user's time zone."""
        return fields.Date.context_today(self)

    def _islah_approval_text(self):
        return policy_text.approval_text(self.lang)

    def _islah_sections_text(self):
        """The sections the figures cover: those the printing user may see."""
        labels = dict(
            self.env["islah.support.request"]._fields["section"]._description_selection(self.env)
        )
        return ", ".join(labels[code] for code in self.env.user._islah_sections() if code in labels)

    def _islah_evidence_figures(self, date_from, date_to):
        """The figures of the period, a list of dicts (see
        ``_islah_evidence_figure``). Override to add figures: call super()
        and append yours; ``clause`` names the policy clause they evidence
        (``tools/policy_text.CLAUSES``)."""
        self.ensure_one()
        return (
            self._islah_request_evidence_figures(date_from, date_to)
            + self._islah_feedback_evidence_figures(date_from, date_to)
            + self._islah_improvement_evidence_figures(date_from, date_to)
            + self._islah_appeal_evidence_figures(date_from, date_to)
        )

    def _islah_evidence_figure(
        self, clause, key, label, definition, numerator=None, denominator=None, value=None
    ):
        """One figure: a count (``value``), or a share ``numerator`` over
        ``denominator`` (its value is the percentage, "no case" when the
        denominator is zero)."""
        if value is None and denominator is not None:
            value = policy_text.format_share(numerator, denominator) or self.env._("no case")
        return {
            "clause": clause,
            "key": key,
            "label": label,
            "definition": definition,
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
        }

    # ------------------------------------------------------------------
    # Period and scope
    # ------------------------------------------------------------------

    def _tz(self):
        return self.env.context.get("tz") or self.env.user.tz or "UTC"

    def _utc_bounds(self, date_from, date_to):
        """The period as UTC datetimes: midnight of ``date_from`` to midnight
        after ``date_to``, in the user's time zone."""
        tz = pytz.timezone(self._tz())
        start = tz.localize(datetime.datetime.combine(date_from, datetime.time.min))
        end = tz.localize(
            datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min)
        )
        return (
            start.astimezone(pytz.utc).replace(tzinfo=None),
            end.astimezone(pytz.utc).replace(tzinfo=None),
        )

    def _islah_datetime_period(self, field_name, date_from, date_to):
        start, end = self._utc_bounds(date_from, date_to)
        return (
            Domain(field_name, ">=", start)
            & Domain(field_name, "<", end)
            & Domain("company_id", "=", self.company_id.id)
        )

    def _islah_date_period(self, field_name, date_from, date_to):
        return (
            Domain(field_name, ">=", date_from)
            & Domain(field_name, "<=", date_to)
            & Domain("company_id", "=", self.company_id.id)
        )

    def _islah_request_domain(self, date_from, date_to):
        """The requests received in the period (record rules apply on search)."""
        return self._islah_datetime_period("create_date", date_from, date_to)

    def _islah_env(self):
        """The environment the figures are read in: the printing user's,
        with the report's company allowed (record rules still apply)."""
        return self.with_company(self.company_id).env

    # ------------------------------------------------------------------
    # Requests
    # ------------------------------------------------------------------

    def _islah_request_evidence_figures(self, date_from, date_to):
        env = self._islah_env()
        Request = env["islah.support.request"]
        domain = self._islah_request_domain(date_from, date_to)
        figures = []
        by_channel = dict(Request._read_group(domain, ["medium_id"], ["__count"]))
        channels = env["utm.medium"].search([("islah_channel", "=", True)], order="id")
        for channel in channels:
            figures.append(
                self._islah_evidence_figure(
                    "channels",
                    f"channel_{channel.id}",
                    channel.name,
                    self.env._("Requests received in the period through this channel."),
                    value=by_channel.pop(channel, 0),
                )
            )
        other = sum(by_channel.values())
        if other:
            figures.append(
                self._islah_evidence_figure(
                    "channels",
                    "channel_other",
                    self.env._("Other or no channel"),
                    self.env._(
                        "Requests received in the period through no policy channel "
                        "(e.g. the portal)."
                    ),
                    value=other,
                )
            )
        figures.append(
            self._islah_evidence_figure(
                "channels",
                "requests",
                self.env._("All requests"),
                self.env._("Requests received in the period, every channel."),
                value=Request.search_count(domain),
            )
        )
        shares = self._islah_request_policy_shares(env, domain)
        definitions = {
            "verified": (
                self.env._("Data and documents verified before the committee"),
                self.env._(
                    "Requests whose data and every document were verified before their "
                    "submission to the committee, over the requests of the period "
                    "submitted to the committee."
                ),
            ),
            "declaration": (
                self.env._("Applicant's declaration recorded"),
                self.env._(
                    "Requests where the applicant's declaration of responsibility for the "
                    "correctness of the data is recorded, over all requests of the period."
                ),
            ),
            "deadline": (
                self.env._("Decided within the deadline"),
                self.env._(
                    "Requests decided by their decision deadline (two weeks, on the working "
                    "calendar), over the requests of the period whose decision was due "
                    "and has been made or missed."
                ),
            ),
            "informed": (
                self.env._("Informed of the decision in writing"),
                self.env._(
                    "Decided requests whose committee decision was notified to the "
                    "applicant (decision letter sent or handed), over the requests of "
                    "the period decided by the committee."
                ),
            ),
        }
        for key, (label, definition) in definitions.items():
            numerator, denominator = shares.get(key, (0, 0))
            figures.append(
                self._islah_evidence_figure(
                    REQUEST_POLICY_CLAUSES[key],
                    key,
                    label,
                    definition,
                    numerator=numerator,
                    denominator=denominator,
                )
            )
        return figures

    def _islah_request_policy_shares(self, env, domain, keys=None):
        """``{key: (numerator, denominator)}`` of the workbook's policy
        columns (one definition for the Excel sheet and this report), over
        the requests of ``domain`` the user may read, by one query."""
        report = env["islah.request.xlsx.report"]
        keys = set(keys or REQUEST_POLICY_CLAUSES)
        columns = [
            column
            for column in report._policy_columns(None)
            if column["key"] in keys and column.get("numerator")
        ]
        query = env["islah.support.request"]._search(domain)
        if query.is_empty() or not columns:
            return {column["key"]: (0, 0) for column in columns}
        alias = query.table
        sums = []
        for column in columns:
            sums.append(
                SQL(
                    "COALESCE(SUM(CASE WHEN (%s) AND (%s) THEN 1 ELSE 0 END), 0)",
                    column["numerator"](alias),
                    column["denominator"](alias),
                )
            )
            sums.append(
                SQL(
                    "COALESCE(SUM(CASE WHEN %s THEN 1 ELSE 0 END), 0)",
                    column["denominator"](alias),
                )
            )
        [row] = env.execute_query(query.select(SQL(", ").join(sums)))
        return {
            column["key"]: (int(row[2 * index]), int(row[2 * index + 1]))
            for index, column in enumerate(columns)
        }

    # ------------------------------------------------------------------
    # Suggestions and complaints
    # ------------------------------------------------------------------

    def _islah_feedback_domain(self, date_from, date_to):
        """The suggestions and complaints received in the period (thanks are
        not measured), cancelled ones left out."""
        return (
            self._islah_datetime_period("received_on", date_from, date_to)
            & Domain("kind", "in", ["suggestion", "complaint"])
            & Domain("state", "!=", "cancelled")
        )

    def _islah_feedback_evidence_figures(self, date_from, date_to):
        Feedback = self._islah_env()["islah.feedback"]
        domain = self._islah_feedback_domain(date_from, date_to)
        kinds = dict(Feedback._read_group(domain, ["kind"], ["__count"]))
        due = Feedback.search_count(domain & Domain("is_due", "=", True))
        on_time = Feedback.search_count(
            domain & Domain("is_due", "=", True) & Domain("answered_on_time", "=", True)
        )
        responded = Feedback.search_count(domain & Domain("has_author_response", "=", True))
        accepted = Feedback.search_count(domain & Domain("author_response", "=", "accepted"))
        return [
            self._islah_evidence_figure(
                "answers",
                "suggestions",
                self.env._("Suggestions received"),
                self.env._("Suggestions received in the period, from every channel."),
                value=kinds.get("suggestion", 0),
            ),
            self._islah_evidence_figure(
                "answers",
                "complaints",
                self.env._("Complaints received"),
                self.env._("Complaints received in the period, from every channel."),
                value=kinds.get("complaint", 0),
            ),
            self._islah_evidence_figure(
                "answers",
                "feedback_on_time",
                self.env._("Suggestions and complaints answered on time"),
                self.env._(
                    "Suggestions and complaints of the period answered in writing by their "
                    "response deadline, over those answered or overdue."
                ),
                numerator=on_time,
                denominator=due,
            ),
            self._islah_evidence_figure(
                "answers",
                "feedback_accepted",
                self.env._("Answers accepted by their author"),
                self.env._(
                    "Suggestions and complaints of the period whose author accepted the "
                    "answer, over those whose author gave their response."
                ),
                numerator=accepted,
                denominator=responded,
            ),
        ]

    # ------------------------------------------------------------------
    # Improvement actions
    # ------------------------------------------------------------------

    def _islah_improvement_evidence_figures(self, date_from, date_to):
        Action = self._islah_env()["islah.improvement.action"]
        not_cancelled = Domain("state", "!=", "cancelled")
        opened = Action.search_count(
            self._islah_datetime_period("create_date", date_from, date_to) & not_cancelled
        )
        done_domain = self._islah_date_period("done_on", date_from, date_to) & Domain(
            "state", "=", "done"
        )
        done = Action.search_count(done_domain)
        late = Action.search_count(done_domain & Domain("is_late", "=", True))
        measured_domain = done_domain & Domain("measured_on", "!=", False)
        measured = Action.search_count(measured_domain)
        improved = Action.search_count(measured_domain & Domain("indicator_improved", "=", True))
        return [
            self._islah_evidence_figure(
                "improvement",
                "improvement_opened",
                self.env._("Improvement actions opened"),
                self.env._(
                    "Improvement actions opened in the period (from suggestions and "
                    "complaints, low satisfaction scores or an indicator), cancelled ones "
                    "left out."
                ),
                value=opened,
            ),
            self._islah_evidence_figure(
                "improvement",
                "improvement_done",
                self.env._("Improvement actions done"),
                self.env._("Improvement actions done in the period."),
                value=done,
            ),
            self._islah_evidence_figure(
                "improvement",
                "improvement_late",
                self.env._("Improvement actions done late"),
                self.env._(
                    "Improvement actions done in the period after their due date, over the "
                    "actions done in the period."
                ),
                numerator=late,
                denominator=done,
            ),
            self._islah_evidence_figure(
                "improvement",
                "improvement_improved",
                self.env._("Improvement actions with a measured improvement"),
                self.env._(
                    "Improvement actions done in the period whose indicator moved the right "
                    "way between the period before and the period after, over those done "
                    "and measured."
                ),
                numerator=improved,
                denominator=measured,
            ),
        ]

    # ------------------------------------------------------------------
    # Appeals
    # ------------------------------------------------------------------

    def _islah_appeal_evidence_figures(self, date_from, date_to):
        Appeal = self._islah_env()["islah.appeal"]
        submitted = Appeal.search_count(
            self._islah_datetime_period("submitted_on", date_from, date_to)
            & Domain("state", "!=", "cancelled")
        )
        decided_domain = self._islah_datetime_period("decided_on", date_from, date_to) & Domain(
            "state", "=", "decided"
        )
        outcomes = dict(Appeal._read_group(decided_domain, ["outcome"], ["__count"]))
        decided = sum(outcomes.values())
        return [
            self._islah_evidence_figure(
                "rights",
                "appeals_submitted",
                self.env._("Appeals submitted"),
                self.env._("Appeals of a rejection submitted in the period."),
                value=submitted,
            ),
            self._islah_evidence_figure(
                "rights",
                "appeals_upheld",
                self.env._("Appeals decided: rejection upheld"),
                self.env._(
                    "Appeals decided in the period where the committee upheld the rejection."
                ),
                value=outcomes.get("upheld", 0),
            ),
            self._islah_evidence_figure(
                "rights",
                "appeals_overturned",
                self.env._("Appeals decided: rejection overturned"),
                self.env._(
                    "Appeals decided in the period where the committee overturned the "
                    "rejection, over the appeals decided in the period."
                ),
                numerator=outcomes.get("overturned", 0),
                denominator=decided,
            ),
        ]
