"""Pure helpers of the public services guide and the eligibility self-check."""

import re

# the request steps at which each staff tool of the policy is of use
REQUEST_STATES_FOR_GUIDE_KIND = {
    "bylaws": ("received", "verification"),
    "request_form": ("received", "verification"),
    "research_guide": ("research",),
    "support_policy": ("committee", "approved", "in_service"),
}

# Arabic-Indic and Persian digits, Arabic decimal and thousands separators
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")
_INTEGER_RE = re.compile(r"\d{1,9}")
_DECIMAL_RE = re.compile(r"\d{1,12}(\.\d{1,2})?")

# the self-check's bounds: a family of more is a typing error
MAX_FAMILY_SIZE = 40
MAX_MONTHLY_INCOME = 10_000_000
MAX_AGE = 120


def parse_bounded_number(text, low, high, integer=True, required=True):
    """``(value, error)`` of a number typed by a visitor, ``error`` one of
    ``"required"``, ``"not_a_number"``, ``"out_of_range"`` or None. Arabic
    digits are accepted, thousands separators ignored; an empty optional
    answer is ``(None, None)``."""
    text = (text or "").strip().translate(_DIGITS).replace(",", "").replace(" ", "")
    if not text:
        return None, ("required" if required else None)
    if text.startswith("-") and _DECIMAL_RE.fullmatch(text[1:]):
        return None, "out_of_range"
    if not (_INTEGER_RE if integer else _DECIMAL_RE).fullmatch(text):
        return None, "not_a_number"
    value = int(text) if integer else float(text)
    if not low <= value <= high:
        return None, "out_of_range"
    return value, None
