from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.islah_data_correction import DESCRIPTION_MAX_LENGTH

REPORT = "islah_beneficiary.islah_personal_data_report"


class IslahPersonalDataPortal(CustomerPortal):
    """``/my/personal-data``: the beneficiary's rights over the data held
    about them (PDPL): see it, download it, ask for a correction, withdraw
    consent. Portal users have no right on the beneficiary models: each
    route finds the file of the logged-in user's own contact, and only then
    reads or writes it as superuser."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "islah_personal_data_count" in counters:
            values["islah_personal_data_count"] = len(self._islah_my_beneficiary())
        return values

    def _islah_my_beneficiary(self):
        """The logged-in user's own beneficiary file (as superuser), or empty."""
        partner = request.env.user.partner_id
        # sudo: portal users have no access to beneficiary files; the search
        # is on the user's own contact only, so it yields nothing but their file
        return (
            request.env["islah.beneficiary"]
            .sudo()
            .search([("partner_id", "=", partner.id)], limit=1)
        )

    def _islah_my_beneficiary_or_404(self):
        beneficiary = self._islah_my_beneficiary()
        if not beneficiary:
            # an internal user, or a portal user with no file
            raise request.not_found()
        return beneficiary.with_context(lang=request.env.lang)

    def _islah_personal_data_values(self, beneficiary, **values):
        # sudo: the notice is public text, shown on the public form too
        notice = request.env["islah.privacy.notice"].sudo()._islah_current(beneficiary.company_id)
        return {
            **self._prepare_portal_layout_values(),
            "page_name": "islah_personal_data",
            "beneficiary": beneficiary,
            "notice": notice,
            "has_consent": beneficiary._islah_has_consent(),
            "description_max_length": DESCRIPTION_MAX_LENGTH,
            **values,
        }

    def _islah_render(self, beneficiary, status=200, **values):
        return request.render(
            "islah_beneficiary.portal_my_islah_personal_data",
            self._islah_personal_data_values(beneficiary, **values),
            status=status,
        )

    @http.route("/my/personal-data", type="http", auth="user", website=True)
    def portal_my_personal_data(self, **kwargs):
        return self._islah_render(self._islah_my_beneficiary_or_404())

    @http.route("/my/personal-data/pdf", type="http", auth="user", website=True)
    def portal_my_personal_data_pdf(self, **kwargs):
        beneficiary = self._islah_my_beneficiary_or_404()
        # sudo: the report reads the file's restricted fields (national ID,
        # income, IBAN) and its requests; the file is the user's own (above)
        Report = request.env["ir.actions.report"].sudo().with_context(lang=beneficiary.lang)
        pdf, _kind = Report._render_qweb_pdf(REPORT, beneficiary.ids)
        filename = request.env._("Personal data - %(name)s.pdf", name=beneficiary.name)
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition(filename)),
                ("Cache-Control", "no-store"),
            ],
        )

    @http.route(
        "/my/personal-data/correction",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_personal_data_correction(self, description="", **kwargs):
        """Ask for a correction (CSRF-checked POST): a record and a to-do
        for an officer of the beneficiary's section."""
        beneficiary = self._islah_my_beneficiary_or_404()
        text = (description or "").strip()
        error = False
        if not text:
            error = request.env._("Describe the correction you ask for.")
        elif len(text) > DESCRIPTION_MAX_LENGTH:
            error = request.env._(
                "The description is too long: at most %(max)s characters.",
                max=DESCRIPTION_MAX_LENGTH,
            )
        if error:
            return self._islah_render(beneficiary, 400, islah_error=error, description=text)
        try:
            with request.env.cr.savepoint():
                # sudo: portal users have no right on corrections; this one is
                # for their own file only (found from their contact above); the
                # portal user is not made a follower, the answer is e-mailed
                request.env["islah.data.correction"].sudo().with_context(
                    mail_create_nosubscribe=True
                ).create({"beneficiary_id": beneficiary.id, "description": text})
        except ValidationError as exc:
            return self._islah_render(beneficiary, 400, islah_error=exc.args[0], description=text)
        return self._islah_render(
            beneficiary,
            islah_message=request.env._(
                "Thank you: your request was received. An officer of your section "
                "checks your file and answers you by e-mail."
            ),
        )

    @http.route(
        "/my/personal-data/withdraw-consent",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_personal_data_withdraw(self, confirm=None, **kwargs):
        """Withdraw consent (CSRF-checked POST, with the box confirming the
        effect ticked)."""
        beneficiary = self._islah_my_beneficiary_or_404()
        if not confirm:
            return self._islah_render(
                beneficiary,
                400,
                islah_error=request.env._(
                    "Tick the box to confirm that you withdraw your consent."
                ),
            )
        channel = request.env.ref("islah_beneficiary.utm_medium_portal")
        # sudo: the file is the user's own (found from their contact above);
        # the withdrawal is recorded in their name
        beneficiary.sudo()._islah_withdraw_consent(channel=channel)
        return self._islah_render(
            beneficiary,
            islah_message=request.env._(
                "Your consent is withdrawn. You will receive no more satisfaction "
                "surveys nor information about our services; your requests and "
                "services continue."
            ),
        )
