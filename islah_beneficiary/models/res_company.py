from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    islah_decision_days = fields.Integer(
        string="Committee decision deadline (days)",
        default=14,
        help="The policy's commitment: the Research Committee answers within two weeks.",
    )
    islah_deadline_working_days = fields.Boolean(
        string="Count working days",
        help="Count the deadline in working days of the company's working calendar "
        "(public holidays as leaves) instead of calendar days.",
    )
    islah_at_risk_days = fields.Integer(
        string="At-risk warning (days before deadline)", default=3
    )
    islah_committee_quorum = fields.Integer(string="Committee quorum", default=3)
    islah_max_upload_mb = fields.Integer(string="Largest upload (MB)", default=5)
    islah_bank_account = fields.Char(string="Bank account number")
    islah_iban = fields.Char(string="IBAN")
    islah_men_phone = fields.Char(string="Men's section phone")
    islah_women_phone = fields.Char(string="Women's section phone")

    _islah_decision_days_positive = models.Constraint(
        "CHECK(islah_decision_days > 0)",
        "The committee decision deadline must be at least one day.",
    )
    _islah_at_risk_days_positive = models.Constraint(
        "CHECK(islah_at_risk_days >= 0)",
        "The at-risk warning cannot be negative.",
    )
    _islah_quorum_positive = models.Constraint(
        "CHECK(islah_committee_quorum > 0)",
        "The committee quorum must be at least one member.",
    )
