from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.fields import Domain

DEFAULT_PUBLISH_MONTHS = 3


class IslahImprovementActionSummaryMixin(models.AbstractModel):
    """ "You said, we did" over a period: the themes the beneficiaries raised
    (suggestions, complaints and thanks received, by kind and category) and
    the actions done, with their public summary and measured effect.

    Figures and public summaries only: never a staff member's or a
    beneficiary's name, for the printed summary and the public page alike."""

    _name = "islah.improvement.action.summary.mixin"
    _description = "Improvement actions: you said, we did"

    @api.model
    def _islah_published_period(self, company, today=None):
        """The period the public page shows: the company's last months
        (``islah_you_said_we_did_months``), ending today."""
        today = today or fields.Date.context_today(self)
        months = company.islah_you_said_we_did_months or DEFAULT_PUBLISH_MONTHS
        return today - relativedelta(months=months), today

    @api.model
    def _islah_you_said_we_did(self, date_from, date_to, company):
        """The summary of ``company`` over ``date_from``..``date_to`` (both
        included), in the environment's language::

            {"date_from", "date_to",
             "themes": [{"kind", "category", "count"}, ...],
             "kinds": [{"kind", "count"}, ...], "feedback_count",
             "actions": [{"summary", "service", "indicator", "before",
                          "after", "effect", "improved", "measured"}, ...],
             "action_count"}
        """
        return {
            "date_from": date_from,
            "date_to": date_to,
            **self._islah_summary_themes(date_from, date_to, company),
            **self._islah_summary_actions(date_from, date_to, company),
        }

    @api.model
    def _islah_summary_themes(self, date_from, date_to, company):
        themes, kinds, total = [], [], 0
        if "islah.feedback" not in self.env:
            return {"themes": themes, "kinds": kinds, "feedback_count": total}
        # sudo: counts of every section's feedback; no record leaves this method
        Feedback = self.env["islah.feedback"].sudo()
        received = self._islah_feedback_received_field()
        domain = (
            Domain("company_id", "=", company.id)
            & Domain("state", "!=", "cancelled")
            & self._islah_datetime_bounds(received, date_from, date_to)
        )
        kind_labels = dict(Feedback._fields["kind"]._description_selection(self.env))
        category_labels = dict(Feedback._fields["category"]._description_selection(self.env))
        by_kind = {}
        for kind, category, count in Feedback._read_group(
            domain, ["kind", "category"], ["__count"], order="kind, category"
        ):
            themes.append(
                {
                    "kind": kind_labels.get(kind, kind or ""),
                    "category": category_labels.get(category, "")
                    if category
                    else self.env._("Not classified"),
                    "count": count,
                }
            )
            by_kind[kind] = by_kind.get(kind, 0) + count
            total += count
        kinds = [
            {"kind": kind_labels.get(kind, kind or ""), "count": count}
            for kind, count in by_kind.items()
        ]
        return {"themes": themes, "kinds": kinds, "feedback_count": total}

    @api.model
    def _islah_summary_actions(self, date_from, date_to, company):
        # sudo: every section's actions; only their public summary and figures leave
        actions = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "done"),
                ("done_on", ">=", date_from),
                ("done_on", "<=", date_to),
            ],
            order="done_on, id",
        )
        indicator_labels = dict(self._fields["indicator"]._description_selection(self.env))
        rows = []
        for action in actions.with_context(lang=self.env.lang):
            if not (action.public_summary or "").strip():
                continue
            measured = bool(
                action.indicator and (action.indicator_before_count or action.indicator_after_count)
            )
            rows.append(
                {
                    "summary": action.public_summary,
                    "service": action.service_type_id.name or "",
                    "indicator": indicator_labels.get(action.indicator, "")
                    if action.indicator
                    else "",
                    "before": action.indicator_before,
                    "after": action.indicator_after,
                    "effect": action.indicator_effect,
                    "improved": action.indicator_improved,
                    "measured": measured,
                }
            )
        return {"actions": rows, "action_count": len(actions)}
