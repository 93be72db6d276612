from odoo import api, fields, models
from odoo.tools.translate import html_translate


class IslahPrivacyNotice(models.Model):
    """The association's privacy notice, one record per version: a consent
    refers to the version the beneficiary was shown, so a published text is
    never rewritten, a new version is added instead."""

    _name = "islah.privacy.notice"
    _description = "Privacy notice"
    _order = "date_published desc, id desc"

    version = fields.Char(required=True, help="For example 1.0, 1.1, 2.0.")
    name = fields.Char(string="Title", required=True, translate=True)
    # translated by terms (paragraphs, list items), as Odoo does for any
    # sanitized HTML: the translation dialog shows each sentence
    body = fields.Html(string="Text", translate=html_translate, sanitize_style=True)
    date_published = fields.Date(
        string="Published on",
        help="From this date the notice is the one shown on the request form, the "
        "portal and the privacy page. Leave empty for a draft.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    active = fields.Boolean(default=True)
    consent_count = fields.Integer(string="Consents", compute="_compute_consent_count")

    _version_company_uniq = models.Constraint(
        "UNIQUE(company_id, version)",
        "This version of the privacy notice already exists.",
    )

    @api.depends("name", "version")
    def _compute_display_name(self):
        for notice in self:
            notice.display_name = f"{notice.name} ({notice.version})"

    def _compute_consent_count(self):
        # sudo: a count for the managers who edit notices, whatever section they serve
        counts = dict(
            self.env["islah.consent"]
            .sudo()
            ._read_group([("notice_id", "in", self.ids)], ["notice_id"], ["__count"])
        )
        for notice in self:
            notice.consent_count = counts.get(notice, 0)

    @api.model
    def _islah_current(self, company=None):
        """The notice in force for ``company`` (default: the current one):
        the latest active notice published on or before today, or an empty
        recordset. Returned as superuser: it is public text, shown to
        visitors and portal users who have no right on the model."""
        company = company or self.env.company
        return self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("date_published", "!=", False),
                ("date_published", "<=", fields.Date.context_today(self)),
            ],
            order="date_published desc, id desc",
            limit=1,
        )
