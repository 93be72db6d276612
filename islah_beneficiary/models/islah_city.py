from odoo import api, fields, models


class IslahCity(models.Model):
    """A city the association serves: the place of residence of a
    beneficiary, and what a service's eligibility may be limited to."""

    _name = "islah.city"
    _description = "City"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _name_uniq = models.Constraint("UNIQUE(name)", "A city with this name already exists.")

    @api.model
    def _islah_match(self, text):
        """The active city whose name, in any installed language, is the
        typed ``text`` (case and surrounding spaces aside); empty when none
        or several match: the officer picks it then."""
        text = (text or "").strip()
        if not text:
            return self.browse()
        cities = self.browse()
        for code, _name in self.env["res.lang"].get_installed():
            cities |= self.with_context(lang=code).search([("name", "=ilike", text)], limit=2)
        return cities if len(cities) == 1 else self.browse()
