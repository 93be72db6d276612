from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools.constants import SECTION_SELECTION

KIND_SELECTION = [
    ("suggestion", "Suggestion"),
    ("complaint", "Complaint"),
    ("thanks", "Thanks"),
]
CATEGORY_SELECTION = [
    ("service", "The service"),
    ("reception", "Reception and courtesy"),
    ("waiting_time", "Waiting time"),
    ("information", "Information given"),
    ("premises", "Premises"),
    ("other", "Other"),
]
STATE_SELECTION = [
    ("new", "Received"),
    ("in_progress", "In progress"),
    ("answered", "Answered"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
SLA_SELECTION = [("on_time", "On time"), ("at_risk", "At risk"), ("overdue", "Overdue")]
RESPONSE_SELECTION = [
    ("accepted", "Accepted the answer"),
    ("not_accepted", "Did not accept the answer"),
    ("no_reply", "No reply"),
]
OPEN_FEEDBACK_STATES = ("new", "in_progress")
# fields deciding who may read a record: a write of one of them is checked
# afterwards, so that nobody moves a record into (or out of) their own reach
FEEDBACK_SCOPE_FIELDS = ("section", "company_id", "about_user_id", "beneficiary_id", "request_id")


class IslahFeedback(models.Model):
    """A suggestion, complaint or thanks from a beneficiary or a visitor
    (the policy's "suggestions and complaints"), received on any channel and
    followed to a written answer within the response deadline."""

    _name = "islah.feedback"
    _description = "Suggestion or complaint"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "islah.feedback.deadline.mixin",
        "islah.feedback.flow.mixin",
        "islah.feedback.mail.mixin",
        "islah.feedback.web.mixin",
        "islah.feedback.voice.mixin",
        "islah.feedback.improvement.mixin",
    ]
    _order = "id desc"
    _rec_names_search = ["name", "author_name", "beneficiary_id.name"]

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    kind = fields.Selection(KIND_SELECTION, required=True, default="suggestion", tracking=True)
    channel_id = fields.Many2one(
        "utm.medium",
        domain=[("islah_channel", "=", True)],
        tracking=True,
        index=True,
    )
    category = fields.Selection(CATEGORY_SELECTION, default="service", tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    beneficiary_id = fields.Many2one(
        "islah.beneficiary",
        index="btree_not_null",
        tracking=True,
        ondelete="restrict",
        compute="_compute_beneficiary_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    partner_id = fields.Many2one(
        related="beneficiary_id.partner_id", store=True, index="btree_not_null", string="Contact"
    )
    request_id = fields.Many2one(
        "islah.support.request",
        index="btree_not_null",
        tracking=True,
        ondelete="set null",
        domain="[('beneficiary_id', '=?', beneficiary_id)]",
    )
    service_type_id = fields.Many2one(
        "islah.service.type",
        string="Service",
        compute="_compute_service_type_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
    )
    section = fields.Selection(
        SECTION_SELECTION,
        required=True,
        index=True,
        tracking=True,
        compute="_compute_section",
        store=True,
        readonly=False,
        precompute=True,
    )
    is_anonymous = fields.Boolean(
        string="Anonymous", help="The person did not give their name: no reply can be sent."
    )
    author_name = fields.Char(
        string="Name", compute="_compute_author", store=True, readonly=False, precompute=True
    )
    author_email = fields.Char(
        string="E-mail", compute="_compute_author", store=True, readonly=False, precompute=True
    )
    author_phone = fields.Char(
        string="Phone", compute="_compute_author", store=True, readonly=False, precompute=True
    )
    lang = fields.Selection(
        "_lang_get",
        string="Language",
        compute="_compute_lang",
        store=True,
        readonly=False,
        precompute=True,
        help="The person's language: the acknowledgement and the answer are written in it.",
    )
    description = fields.Text(required=True)
    about_user_id = fields.Many2one(
        "res.users",
        string="About staff member",
        index="btree_not_null",
        domain=[("share", "=", False)],
        help="The staff member a complaint is about: they never see it; a manager owns it.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        index="btree_not_null",
        tracking=True,
        domain=[("share", "=", False)],
    )
    state = fields.Selection(
        STATE_SELECTION,
        default="new",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    received_on = fields.Datetime(
        default=fields.Datetime.now, required=True, readonly=True, copy=False
    )
    answer = fields.Text(copy=False, tracking=True)
    answered_on = fields.Datetime(readonly=True, copy=False)
    answered_by_id = fields.Many2one("res.users", string="Answered by", readonly=True, copy=False)
    closed_on = fields.Datetime(readonly=True, copy=False)
    author_response = fields.Selection(
        RESPONSE_SELECTION, string="Their response", readonly=True, copy=False, tracking=True
    )
    wants_outcome = fields.Boolean(
        string="Tell me what came of it",
        help='The person wants to hear what was done ("you said, we did").',
    )

    @api.model
    def _lang_get(self):
        return self.env["res.lang"].get_installed()

    @api.depends("request_id")
    def _compute_beneficiary_id(self):
        for feedback in self:
            if feedback.request_id:
                feedback.beneficiary_id = feedback.request_id.beneficiary_id

    @api.depends("beneficiary_id")
    def _compute_author(self):
        for feedback in self:
            partner = feedback.beneficiary_id.partner_id
            if partner:
                feedback.author_name = partner.name
                feedback.author_email = partner.email
                feedback.author_phone = partner.phone
            else:
                feedback.author_name = feedback.author_name or False
                feedback.author_email = feedback.author_email or False
                feedback.author_phone = feedback.author_phone or False

    @api.depends("request_id")
    def _compute_service_type_id(self):
        for feedback in self:
            feedback.service_type_id = feedback.request_id.service_type_id

    @api.depends("beneficiary_id", "request_id")
    def _compute_section(self):
        for feedback in self:
            section = feedback.request_id.section or feedback.beneficiary_id.section
            if section:
                feedback.section = section
            elif not feedback.section:
                user_section = self.env.user.islah_section
                feedback.section = user_section if user_section in ("men", "women") else False

    @api.depends("beneficiary_id")
    def _compute_lang(self):
        for feedback in self:
            lang = feedback.beneficiary_id.partner_id.lang or feedback.beneficiary_id.lang
            if lang:
                feedback.lang = lang
            elif not feedback.lang:
                feedback.lang = self.env.lang or "ar_001"

    # ------------------------------------------------------------------
    # Create / write
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                # sudo: the numbering is configuration; every creator needs a number
                vals["name"] = (
                    self.env["ir.sequence"]
                    .sudo()
                    .with_company(company)
                    .next_by_code("islah.feedback")
                    or "/"
                )
        records = super().create(vals_list)
        records._islah_after_create()
        if not self.env.su:
            # a record created out of one's own reach (the other section, about
            # oneself) is refused as the read would be
            records._islah_check_scope_access()
        return records

    def _islah_after_create(self):
        """The deadline, the owner, the to-do and the acknowledgement."""
        # sudo: the owner is chosen among every staff member of the section,
        # the to-do is theirs, whoever received the suggestion or complaint
        for feedback in self.sudo():
            feedback._islah_set_deadline()
            if not feedback.user_id:
                feedback.user_id = feedback._islah_default_owner()
            feedback._islah_schedule_owner_todo()
        self._islah_drop_about_user_followers()
        self._islah_send_acknowledgement()

    def write(self, vals):
        result = super().write(vals)
        if "about_user_id" in vals or "user_id" in vals:
            self._islah_drop_about_user_followers()
        if not self.env.su and set(vals) & set(FEEDBACK_SCOPE_FIELDS):
            self._islah_check_scope_access()
        return result

    # On the model itself: mail.thread comes first among the parents, so a
    # mixin's override of its methods would never run.
    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        excluded = self._islah_excluded_partners()
        if excluded and partner_ids:
            partner_ids = [pid for pid in partner_ids if pid not in excluded.ids]
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)

    def message_post(self, **kwargs):
        """Never notify the staff member a complaint is about, even when
        named as a recipient."""
        excluded = self._islah_excluded_partners()
        if excluded and kwargs.get("partner_ids"):
            kwargs["partner_ids"] = [
                pid for pid in kwargs["partner_ids"] if pid not in excluded.ids
            ]
        return super().message_post(**kwargs)

    def _islah_check_scope_access(self):
        """The writer must still be able to read and edit the records after
        changing who may read them."""
        self.invalidate_recordset(FEEDBACK_SCOPE_FIELDS)
        try:
            self.check_access("write")
        except AccessError as error:
            raise AccessError(
                self.env._(
                    "You cannot move a suggestion or complaint out of your reach "
                    "(section, company or the staff member it is about)."
                )
            ) from error

    @api.model
    def _islah_about_me_ids(self):
        """Ids of the complaints about the current user (for the chatter's
        and the followers' checks, which Odoo does outside record rules)."""
        if self.env.su or self.env.user.share:
            return []
        # sudo: the global rule hides these very records from the user
        return self.sudo().search([("about_user_id", "=", self.env.uid)]).ids
