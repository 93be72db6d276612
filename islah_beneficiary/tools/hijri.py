"""Hijri (Umm al-Qura) dates, as the association writes them on letters."""

from hijridate import Gregorian


def format_hijri(date, lang=None):
    """Return ``date`` as an Umm al-Qura Hijri string, e.g. ``14/06/1445 هـ``.

    Returns an empty string for an empty date or one outside the range the
    Umm al-Qura tables cover (1343-1500 AH).
    """
    if not date:
        return ""
    try:
        hijri = Gregorian(date.year, date.month, date.day).to_hijri()
    except (OverflowError, ValueError):
        return ""
    suffix = " هـ" if (lang or "").startswith("ar") else " AH"
    return hijri.dmyformat(separator="/") + suffix
