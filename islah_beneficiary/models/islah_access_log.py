from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools.constants import SECTION_OR_BOTH_SELECTION

# the field that says which section a logged record belongs to
SECTION_FIELDS = {
    "islah.beneficiary": "section",
    "islah.support.request": "section",
    "crm.lead": "islah_section",
}


class IslahAccessLog(models.Model):
    """Who exported or looked at whose sensitive data, and why: one line per
    export (Excel or Odoo's) and per read of sensitive fields from the web
    client. Written by the system only; managers read it, nobody edits it."""

    _name = "islah.access.log"
    _description = "Access to personal data"
    _order = "create_date desc, id desc"
    _rec_name = "kind"

    user_id = fields.Many2one(
        "res.users", required=True, readonly=True, index=True, ondelete="restrict"
    )
    create_date = fields.Datetime(string="Date", readonly=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(
        [
            ("export", "Odoo export"),
            ("xlsx_export", "Excel export"),
            ("read", "Read of sensitive fields"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    model = fields.Char(string="Model (technical name)", required=True, readonly=True, index=True)
    model_id = fields.Many2one("ir.model", string="Data", readonly=True, ondelete="cascade")
    res_ids = fields.Text(
        string="Record IDs", readonly=True, help="The database IDs of the records, comma-separated."
    )
    record_count = fields.Integer(string="Records", readonly=True)
    field_names = fields.Text(string="Fields", readonly=True)
    filters = fields.Text(readonly=True)
    row_count = fields.Integer(string="Rows", readonly=True)
    with_identifiers = fields.Boolean(
        string="With identifiers",
        readonly=True,
        help="Names or national IDs were part of what was exported.",
    )
    purpose = fields.Text(readonly=True)
    section = fields.Selection(
        SECTION_OR_BOTH_SELECTION,
        readonly=True,
        index=True,
        help="The section of the files read or exported: only the managers of "
        "that section (both: of both sections) see the line.",
    )

    @api.model
    def _islah_log(self, kind, records_or_model, **vals):
        """Record one access: ``records_or_model`` is the recordset read or
        exported, or a model name (e.g. an Excel export of many requests).
        ``field_names`` may be given as a list."""
        if isinstance(records_or_model, models.BaseModel):
            model_name = records_or_model._name
            ids = [record_id for record_id in records_or_model._ids if isinstance(record_id, int)]
            vals.setdefault("res_ids", ",".join(map(str, ids)))
            vals.setdefault("record_count", len(ids))
            if "section" not in vals and (fname := SECTION_FIELDS.get(model_name)):
                # sudo: the sections of records the caller has just read
                sections = set(records_or_model.browse(ids).sudo().mapped(fname))
                vals["section"] = self._islah_section_of(sections)
        else:
            model_name = records_or_model
        if isinstance(vals.get("field_names"), (list, tuple)):
            vals["field_names"] = ", ".join(vals["field_names"])
        vals.update(
            kind=kind,
            model=model_name,
            # ormcached: no query once warm
            model_id=self.env["ir.model"]._get_id(model_name),
            # the real user, also when the caller runs as superuser
            user_id=self.env.uid,
            company_id=self.env.company.id,
        )
        # sudo: users may not create log lines themselves (no create right,
        # so they cannot forge or fill the log); the system writes them
        return self.sudo().create(vals)

    @api.model
    def _islah_section_of(self, sections):
        """One section, or "both" when the lines span the two sections."""
        sections = {section for section in sections if section} - {False}
        if "both" in sections or len(sections) > 1:
            return "both"
        return next(iter(sections), False)

    def write(self, vals):
        # the log is evidence: refused to everyone, managers included; only
        # the superuser (maintenance scripts, a future purge) may change it
        if not self.env.su:
            raise AccessError(self.env._("The access log cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_superuser(self):
        if not self.env.su:
            raise AccessError(self.env._("Lines of the access log cannot be deleted."))
