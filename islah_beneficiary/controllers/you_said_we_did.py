from odoo import http
from odoo.http import request


class IslahYouSaidWeDid(http.Controller):
    """The public "you said, we did" page: the themes raised and the actions
    taken over the company's published period, no login, no names; a 404
    unless the company publishes it."""

    @http.route(
        "/islah/you-said-we-did",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def islah_you_said_we_did(self, **kwargs):
        # sudo: the public user reads the company's setting and the
        # published figures; the summary holds no name
        company = request.env.company.sudo()
        if not company.islah_publish_you_said_we_did:
            raise request.not_found()
        Action = request.env["islah.improvement.action"].sudo().with_context(lang=request.env.lang)
        date_from, date_to = Action._islah_published_period(company)
        summary = Action._islah_you_said_we_did(date_from, date_to, company)
        return request.render(
            "islah_beneficiary.you_said_we_did_page", {"summary": summary, "company": company}
        )
