from odoo import api, models
from odoo.fields import Domain

# Documents whose followers tell who is a beneficiary (and, through the
# follower's name and e-mail, their contact data): a follower of one of them
# is visible only to users who may read the document, as Odoo does for
# messages and attachments.
ISLAH_PRIVATE_MODELS = (
    "islah.beneficiary",
    "islah.support.request",
    "islah.service.delivery",
    "islah.committee.meeting",
    "islah.committee.decision",
    "survey.user_input",
    "islah.feedback",
)
# Models whose records are private only when they carry a section.
ISLAH_SECTIONED_MODELS = ("res.partner", "crm.lead")


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    @api.model
    def _islah_followers_domain(self):
        """Followers of ordinary documents, plus those of the private
        documents the user may read (their record rules apply)."""
        private = [
            name for name in ISLAH_PRIVATE_MODELS + ISLAH_SECTIONED_MODELS if name in self.env
        ]
        domain = Domain("res_model", "not in", private)
        for name in private:
            Document = self.env[name].with_context(active_test=False)
            if Document.has_access("read"):
                domain |= Domain("res_model", "=", name) & Domain(
                    "res_id", "in", Document._search([])
                )
        return domain

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, *, bypass_access=False, **kwargs):
        if not (self.env.su or bypass_access):
            domain = Domain(domain) & self._islah_followers_domain()
        return super()._search(domain, offset, limit, order, bypass_access=bypass_access, **kwargs)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if self.env.su or not self:
            return result
        followers = self - result[0] if result else self
        forbidden = followers - followers.search([("id", "in", followers.ids)])
        if not forbidden:
            return result
        if result:
            return result[0] + forbidden, result[1]
        return forbidden, lambda: forbidden._make_access_error(operation)
