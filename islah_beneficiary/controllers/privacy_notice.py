from odoo import http
from odoo.http import request


class IslahPrivacyNotice(http.Controller):
    @http.route(
        "/islah/privacy", type="http", auth="public", methods=["GET"], website=True, sitemap=True
    )
    def islah_privacy_notice(self, **kwargs):
        """The association's current privacy notice, in the visitor's language."""
        # _islah_current reads as superuser: the notice is public text
        notice = request.env["islah.privacy.notice"]._islah_current(request.env.company)
        return request.render(
            "islah_beneficiary.privacy_notice_page",
            {"notice": notice.with_context(lang=request.env.lang)},
        )
