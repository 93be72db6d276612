from odoo import fields, models, tools
from odoo.tools import SQL

# the models first: the controllers import this package before the models
# package, and the view's tables must be created before it (models are set
# up in the order their classes are defined)
from .. import models as _models  # noqa: F401
from ..models.islah_beneficiary_review_schedule import DEFAULT_TZ
from ..tools.constants import SECTION_SELECTION


class IslahBeneficiaryReviewReport(models.Model):
    """The periodic reviews as figures: each confirmed review, on time (on
    or before its due date) or late, and each file whose review is overdue
    today. No name, income or need: counts by section and month only."""

    _name = "islah.beneficiary.review.report"
    _description = "Periodic reviews analysis"
    _auto = False
    _order = "date desc"
    _depends = {
        "islah.beneficiary.review": [
            "state",
            "reviewed_on",
            "due_date",
            "on_time",
            "section",
            "company_id",
        ],
        "islah.beneficiary": [
            "state",
            "next_review_date",
            "review_suspended_on",
            "anonymised_on",
            "section",
            "company_id",
        ],
    }

    date = fields.Date(readonly=True, help="The review's date, or the overdue file's review date.")
    due_date = fields.Date(string="Due on", readonly=True)
    section = fields.Selection(SECTION_SELECTION, readonly=True)
    company_id = fields.Many2one("res.company", string="Association", readonly=True)
    timeliness = fields.Selection(
        [
            ("on_time", "Reviewed on time"),
            ("late", "Reviewed late"),
            ("overdue", "File overdue"),
        ],
        readonly=True,
    )
    review_count = fields.Integer(string="Reviews", readonly=True)
    on_time_count = fields.Integer(string="Reviews on time", readonly=True)
    late_count = fields.Integer(string="Reviews late", readonly=True)
    overdue_count = fields.Integer(string="Files overdue", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    SELECT r.id * 2 AS id,
                           r.reviewed_on AS date,
                           r.due_date AS due_date,
                           r.section AS section,
                           r.company_id AS company_id,
                           CASE WHEN r.on_time THEN 'on_time' ELSE 'late' END AS timeliness,
                           1 AS review_count,
                           CASE WHEN r.on_time THEN 1 ELSE 0 END AS on_time_count,
                           CASE WHEN r.on_time THEN 0 ELSE 1 END AS late_count,
                           0 AS overdue_count
                      FROM islah_beneficiary_review r
                     WHERE r.state = 'done'
                    UNION ALL
                    -- files overdue today: the day of the association's time
                    -- zone (its address, else Riyadh), not the server's
                    SELECT b.id * 2 + 1 AS id,
                           b.next_review_date AS date,
                           b.next_review_date AS due_date,
                           b.section AS section,
                           b.company_id AS company_id,
                           'overdue' AS timeliness,
                           0 AS review_count,
                           0 AS on_time_count,
                           0 AS late_count,
                           1 AS overdue_count
                      FROM islah_beneficiary b
                      JOIN res_partner p ON p.id = b.partner_id
                      JOIN res_company c ON c.id = b.company_id
                      JOIN res_partner cp ON cp.id = c.partner_id
                     WHERE p.active
                       AND b.anonymised_on IS NULL
                       AND b.next_review_date
                           < (now() AT TIME ZONE COALESCE(NULLIF(cp.tz, ''), %(tz)s))::date
                       AND (b.state = 'registered'
                            OR (b.state = 'suspended' AND b.review_suspended_on IS NOT NULL))
                )
                """,
                table=SQL.identifier(self._table),
                tz=DEFAULT_TZ,
            )
        )
