import re

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.islah_feedback_web_mixin import PORTAL_FEEDBACK_FIELDS, WEB_FEEDBACK_FIELDS
from .throttled import throttled_response

FORM_TOKEN_RE = re.compile(r"[0-9a-f]{32}")
# the hidden field a person never sees, and a bot fills
HONEYPOT = "website_url"


def _read_post(post, names):
    values = {key: (post.get(key) or "").strip() for key in names}
    if "wants_outcome" in values:
        values["wants_outcome"] = bool(values["wants_outcome"])
    return values


class IslahFeedbackPage(http.Controller):
    """``/islah/feedback``: a suggestion, complaint or thanks from anyone,
    no login needed, anonymous allowed (website channel). CSRF is checked by
    Odoo before the handler runs (400), the body size by ir.http (413)."""

    def _islah_page_values(self, values=None, errors=None):
        Feedback = request.env["islah.feedback"]
        values = dict(values or {})
        if not FORM_TOKEN_RE.fullmatch(values.get("form_token") or ""):
            values["form_token"] = Feedback._islah_new_web_token()
        return {
            "values": values,
            "errors": errors or {},
            "labels": Feedback._islah_web_labels(),
            "choices": Feedback._islah_web_choices(),
        }

    @http.route(
        "/islah/feedback", type="http", auth="public", methods=["GET"], website=True, sitemap=True
    )
    def islah_feedback_page(self, **kwargs):
        return request.render("islah_beneficiary.feedback_page", self._islah_page_values())

    @http.route(
        "/islah/feedback", type="http", auth="public", methods=["POST"], website=True, sitemap=False
    )
    def islah_feedback_submit(self, **post):
        values = _read_post(post, WEB_FEEDBACK_FIELDS)
        values["form_token"] = (post.get("form_token") or "").strip()
        company = request.env.company
        # sudo: the visitor has no rights; the model validates everything itself
        Feedback = request.env["islah.feedback"].sudo()
        token = values["form_token"] if FORM_TOKEN_RE.fullmatch(values["form_token"]) else None
        if token and (existing := Feedback._islah_find_by_web_token(token)):
            # the same page posted twice: one record
            return self._islah_render_received(existing.name)
        if post.get(HONEYPOT):
            # a bot: nothing is created, the answer looks the same
            return self._islah_render_received(None)
        ip = request.httprequest.remote_addr
        if Feedback._islah_web_throttled(ip, company):
            return self._islah_render_throttled(company)
        try:
            feedback, errors = Feedback._islah_submit_web(
                values, company, ip=ip, lang=request.env.lang, token=token
            )
        except ValidationError as error:
            feedback, errors = Feedback.browse(), {"form": error.args[0]}
        if feedback:
            return self._islah_render_received(feedback.name)
        return request.render(
            "islah_beneficiary.feedback_page", self._islah_page_values(values, errors), status=400
        )

    def _islah_render_received(self, number):
        return request.render("islah_beneficiary.feedback_confirmation", {"number": number})

    def _islah_render_throttled(self, company):
        minutes = company.islah_intake_rate_minutes
        return throttled_response(
            "islah_beneficiary.feedback_refused",
            minutes,
            request.env._("Too many messages"),
            request.env._(
                "Too many messages were sent. Please try again in %(minutes)s minutes.",
                minutes=minutes,
            ),
        )


class IslahFeedbackPortal(CustomerPortal):
    """``/my/feedback``: a beneficiary's suggestions and complaints, the
    answers they received, a new one, and whether they accept an answer.
    Access follows the portal record rule (their own partner's)."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "islah_feedback_count" in counters:
            Feedback = request.env["islah.feedback"]
            values["islah_feedback_count"] = (
                Feedback.search_count([]) if Feedback.has_access("read") else 0
            )
        return values

    def _islah_portal_beneficiary(self):
        """The portal user's own beneficiary file, or an empty recordset."""
        user = request.env.user
        if not user.share:
            return request.env["islah.beneficiary"]
        # sudo: the beneficiary model is for staff; the user's own file only
        return (
            request.env["islah.beneficiary"]
            .sudo()
            .search([("partner_id", "=", user.partner_id.id)], limit=1)
        )

    @http.route(
        ["/my/feedback", "/my/feedback/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_islah_feedbacks(self, page=1, **kwargs):
        Feedback = request.env["islah.feedback"]
        values = self._prepare_portal_layout_values()
        count = Feedback.search_count([]) if Feedback.has_access("read") else 0
        pager = portal_pager(url="/my/feedback", total=count, page=page, step=20)
        feedbacks = Feedback.search([], limit=20, offset=pager["offset"]) if count else Feedback
        values.update(
            {
                "islah_feedbacks": feedbacks,
                "page_name": "islah_feedback",
                "pager": pager,
                "default_url": "/my/feedback",
                "can_submit": bool(self._islah_portal_beneficiary()),
            }
        )
        return request.render("islah_beneficiary.portal_my_islah_feedbacks", values)

    def _islah_portal_form_values(self, beneficiary, values=None, errors=None):
        Feedback = request.env["islah.feedback"]
        # the user's own requests (the portal rule on requests)
        requests_ = request.env["islah.support.request"].search([])
        return {
            "page_name": "islah_feedback_new",
            "values": values or {},
            "errors": errors or {},
            "labels": Feedback._islah_web_labels(),
            "choices": Feedback._islah_web_choices(),
            "support_requests": requests_,
        }

    @http.route("/my/feedback/new", type="http", auth="user", methods=["GET"], website=True)
    def portal_my_islah_feedback_new(self, **kwargs):
        beneficiary = self._islah_portal_beneficiary()
        if not beneficiary:
            raise request.not_found()
        values = self._prepare_portal_layout_values()
        values.update(self._islah_portal_form_values(beneficiary))
        return request.render("islah_beneficiary.portal_my_islah_feedback_new", values)

    @http.route("/my/feedback/new", type="http", auth="user", methods=["POST"], website=True)
    def portal_my_islah_feedback_submit(self, **post):
        beneficiary = self._islah_portal_beneficiary()
        if not beneficiary:
            raise request.not_found()
        form = _read_post(post, PORTAL_FEEDBACK_FIELDS)
        # sudo: the beneficiary has no create right; the file is their own
        feedback, errors = (
            request.env["islah.feedback"].sudo()._islah_submit_portal(beneficiary, form)
        )
        if feedback:
            return request.redirect(f"/my/feedback/{feedback.id}?submitted=1")
        values = self._prepare_portal_layout_values()
        values.update(self._islah_portal_form_values(beneficiary, form, errors))
        return request.render("islah_beneficiary.portal_my_islah_feedback_new", values, status=400)

    def _islah_portal_feedback(self, feedback_id):
        """The user's own record (record rules), or 404 for anything else."""
        feedback = request.env["islah.feedback"].browse(feedback_id).exists()
        if not feedback or not request.env.user.share or not feedback.has_access("read"):
            raise request.not_found()
        # sudo: read through the rule above; the page shows the record's own fields
        return feedback.sudo()

    def _islah_feedback_page_values(self, feedback, **extra):
        values = self._prepare_portal_layout_values()
        labels = {
            fname: dict(feedback._fields[fname]._description_selection(request.env))
            for fname in ("kind", "category", "state", "author_response")
        }
        values.update(
            {
                "page_name": "islah_feedback",
                "feedback": feedback,
                "labels": labels,
                **extra,
            }
        )
        return values

    @http.route("/my/feedback/<int:feedback_id>", type="http", auth="user", website=True)
    def portal_my_islah_feedback(self, feedback_id, submitted=None, **kwargs):
        feedback = self._islah_portal_feedback(feedback_id)
        values = self._islah_feedback_page_values(
            feedback,
            message=request.env._(
                "Thank you: your message was received. Its number is %(number)s.",
                number=feedback.name,
            )
            if submitted
            else False,
        )
        return request.render("islah_beneficiary.portal_my_islah_feedback", values)

    @http.route(
        "/my/feedback/<int:feedback_id>/respond",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_islah_feedback_respond(self, feedback_id, response=None, **kwargs):
        feedback = self._islah_portal_feedback(feedback_id)
        status, message, error = 200, False, False
        if response not in ("accepted", "not_accepted"):
            status, error = 400, request.env._("Say whether you accept the answer.")
        else:
            try:
                feedback._islah_portal_respond(response == "accepted")
            except UserError as exc:
                status, error = 400, exc.args[0]
            else:
                message = request.env._("Thank you: your response was recorded.")
        values = self._islah_feedback_page_values(feedback, message=message, error=error)
        return request.render("islah_beneficiary.portal_my_islah_feedback", values, status=status)
