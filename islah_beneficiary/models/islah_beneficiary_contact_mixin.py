from odoo import api, models
from odoo.tools import SQL, clean_context

# The contact details a beneficiary's file keeps on its partner. Officers have
# no write access on res.partner: these are written as superuser once the ORM
# has checked the user's access to the file itself. Any other partner field
# (users, parent company, tags...) keeps the caller's own res.partner rights.
PARTNER_CONTACT_FIELDS = frozenset(
    {
        "name",
        "email",
        "phone",
        "street",
        "street2",
        "zip",
        "city",
        "state_id",
        "country_id",
        "lang",
        "image_1920",
        "active",
    }
)


class IslahBeneficiaryContactMixin(models.AbstractModel):
    """A beneficiary's contact details live on their partner (``_inherits``),
    which officers may not write: the file writes them as superuser, once
    the user's rights on the file itself are checked, and a contact keeps
    its section after its file is gone. Inherited by ``islah.beneficiary``
    only, first in its ``_inherit`` so that its ``create`` runs right
    above the mail thread's, as superuser."""

    _name = "islah.beneficiary.contact.mixin"
    _description = "Beneficiary contact on its partner"

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.su:
            return super().create(vals_list)
        # the checks of the ORM's create, made here because the files are
        # inserted as superuser below
        self.check_access("create")
        # context defaults apply to the file's own fields only, never as
        # superuser to the partner or to the records created along the file
        defaults = {
            key[8:]: value
            for key, value in self.env.context.items()
            if key.startswith("default_")
            and key[8:] in self._fields
            and not self._fields[key[8:]].inherited
        }
        Partner = self.env["res.partner"]
        for vals in vals_list:
            for name, value in defaults.items():
                vals.setdefault(name, value)
            for name in vals:
                if name not in self._fields:
                    raise ValueError(f"Invalid field {name!r} in {self._name!r}")
                self._check_field_access(self._fields[name], "write")
            partner_vals = {
                name: vals.pop(name) for name in list(vals) if self._fields[name].inherited
            }
            if vals.get("partner_id"):
                partner = Partner.browse(vals["partner_id"])
                self._islah_check_partner_link(partner)
            else:
                partner = self._islah_create_partner(
                    {
                        name: partner_vals.pop(name)
                        for name in list(partner_vals)
                        if name in PARTNER_CONTACT_FIELDS
                    }
                )
                vals["partner_id"] = partner.id
            if partner_vals:
                # other partner fields: with the user's own res.partner rights
                partner.write(partner_vals)
        # sudo: the ORM rewrites the partner's precomputed fields (computed
        # by itself, no partner value is left in vals) with the caller's
        # res.partner rights, which officers do not have; access and fields
        # were checked above, the record rules are checked just below
        Sudo = self.sudo().with_context(clean_context(self.env.context))
        beneficiaries = (
            super(IslahBeneficiaryContactMixin, Sudo).create(vals_list).with_env(self.env)
        )
        beneficiaries.check_access("create")
        return beneficiaries

    def write(self, vals):
        if not self.env.su:
            if vals.get("partner_id"):
                self._islah_check_partner_link(self.env["res.partner"].browse(vals["partner_id"]))
            elif not self._islah_partner_has_login():
                partner_vals = self._islah_pop_partner_vals(vals)
                if partner_vals:
                    self.check_access("write")
                    # sudo: officers have no res.partner write right; access to
                    # these files was just checked, and only contact fields pass
                    self.partner_id.sudo().write(partner_vals)
        return super().write(vals)

    def _islah_pop_partner_vals(self, vals):
        """Remove the contact details from ``vals`` and return them, after
        the field-level checks the ORM would have made."""
        partner_vals = {
            name: vals.pop(name) for name in list(vals) if name in PARTNER_CONTACT_FIELDS
        }
        for name in partner_vals:
            self._check_field_access(self._fields[name], "write")
        return partner_vals

    @api.model
    def _islah_create_partner(self, contact_vals):
        """The contact record of a new file, from its contact details only;
        the caller's ``default_*`` keys are not applied to it."""
        # sudo: officers have no res.partner create right; their right to
        # create the file was checked, its section rule is checked on create
        Partner = self.env["res.partner"].sudo().with_context(clean_context(self.env.context))
        return Partner.create(contact_vals).with_env(self.env)

    @api.model
    def _islah_check_partner_link(self, partner):
        """A file shows its contact's data and edits it as superuser: link
        only a contact the user may edit themselves."""
        partner.check_access("write")

    def _islah_partner_has_login(self):
        """Whether a user logs in with the contact of one of these files: its
        e-mail is then a login's e-mail, changed only with res.partner rights."""
        # sudo: only a yes/no on logins, whatever the caller may read of res.users
        return bool(self.sudo().with_context(active_test=False).partner_id.user_ids)

    def unlink(self):
        """A deleted draft file leaves its contact to the rest of the CRM,
        still within its section: without a file its section would be
        recomputed empty, and its personal data would reach every employee."""
        # sudo: the contact's section, whatever the user may read of it
        sections = {partner.id: partner.islah_section for partner in self.sudo().partner_id}
        result = super().unlink()
        self.env["res.partner"].flush_model(["islah_section"])
        for partner_id, section in sections.items():
            if section:
                self.env.execute_query(
                    SQL(
                        "UPDATE res_partner SET islah_section = %s"
                        " WHERE id = %s AND islah_section IS NULL",
                        section,
                        partner_id,
                    )
                )
        self.env["res.partner"].browse(sections).invalidate_recordset(["islah_section"])
        return result
