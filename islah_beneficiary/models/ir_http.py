import werkzeug.exceptions

from odoo import models
from odoo.http import Response, request

# the routes that take files from the outside: refused whole when too big
ISLAH_UPLOAD_ROUTES = {
    "/islah/request",
    "/my/requests/<int:request_id>/documents/<int:line_id>",
}
# room for the text fields of the form besides its files
FORM_TEXT_ALLOWANCE = 1024 * 1024
# text-only forms from the outside: refused whole past this many bytes
ISLAH_TEXT_FORM_ROUTES = {"/islah/feedback", "/my/feedback/new"}
ISLAH_TEXT_FORM_LIMIT = 64 * 1024


class _LimitedInput:
    """A request body that raises 413 once more than ``limit`` bytes were
    read from it (and on any read after that)."""

    def __init__(self, stream, limit):
        self._stream = stream
        self._left = limit

    def _count(self, data):
        self._left -= len(data)
        if self._left < 0:
            raise werkzeug.exceptions.RequestEntityTooLarge()
        return data

    # a stream, not a model: there is no super().read to call
    def read(self, size=-1):  # pylint: disable=method-required-super
        if self._left < 0:
            raise werkzeug.exceptions.RequestEntityTooLarge()
        # never more than one byte past the limit: enough to know it is over
        if size is None or size < 0 or size > self._left + 1:
            size = self._left + 1
        return self._count(self._stream.read(size))

    def readline(self, size=-1):
        if self._left < 0:
            raise werkzeug.exceptions.RequestEntityTooLarge()
        if size is None or size < 0 or size > self._left + 1:
            size = self._left + 1
        return self._count(self._stream.readline(size))


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, args):
        """Refuse an upload larger than the company allows with 413 from its
        Content-Length, before the body is read (HttpDispatcher.dispatch
        parses it next). A chunked body announces no length, and werkzeug
        2.x reads it whole whatever ``max_content_length`` says: its stream
        is cut at the limit instead."""
        super()._pre_dispatch(rule, args)
        if request.httprequest.method != "POST":
            return
        if rule.rule in ISLAH_TEXT_FORM_ROUTES:
            limit = ISLAH_TEXT_FORM_LIMIT
        elif rule.rule in ISLAH_UPLOAD_ROUTES:
            _per_file, total = request.env["islah.support.request"]._islah_upload_limits(
                request.env.company
            )
            limit = total + FORM_TEXT_ALLOWANCE
        else:
            return
        request.httprequest.max_content_length = limit
        if (request.httprequest.content_length or 0) > limit:
            raise werkzeug.exceptions.RequestEntityTooLarge()
        # the WSGI environ itself (httprequest.environ is a filtered copy), as
        # the bus reads its socket from it
        environ = request.httprequest._HTTPRequest__environ
        if environ.get("wsgi.input_terminated"):
            # chunked (werkzeug then ignores any Content-Length): cut at the limit
            environ["wsgi.input"] = _LimitedInput(environ["wsgi.input"], limit)

    @classmethod
    def _handle_error(cls, exception):
        """A translated page for 413: http_routing's error page would parse
        the refused body again to render itself."""
        if isinstance(exception, werkzeug.exceptions.RequestEntityTooLarge) and getattr(
            request, "is_frontend", False
        ):
            request.env.cr.rollback()
            if not request.env.uid:
                cls._auth_method_public()
            cls._frontend_pre_dispatch()
            _per_file, total = request.env["islah.support.request"]._islah_upload_limits(
                request.env.company
            )
            html = request.env["ir.ui.view"]._render_template(
                "islah_beneficiary.request_form_refused",
                {
                    "title": request.env._("Request too large"),
                    "message": request.env._(
                        "What you sent is larger than %(size)s MB: send smaller files.",
                        size=total // (1024 * 1024),
                    ),
                },
            )
            response = Response(html, status=413, content_type="text/html;charset=utf-8")
            # the body is not read: the connection cannot be reused
            response.headers["Connection"] = "close"
            return response
        return super()._handle_error(exception)
