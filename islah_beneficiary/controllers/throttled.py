from odoo.http import request


def throttled_response(template, minutes, title, message):
    """The refusal page of a public form sent too often from one address:
    429, and ``Retry-After`` the intake window's ``minutes``."""
    response = request.render(template, {"title": title, "message": message}, status=429)
    response.headers["Retry-After"] = str(minutes * 60)
    return response
