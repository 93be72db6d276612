"""Saudi identifiers: national ID / iqama, mobile numbers and IBANs.

Pure functions, no ORM: the models call them and raise translated errors.
"""

import phonenumbers
from stdnum import luhn
from stdnum.iso7064 import mod_97_10

# Arabic-Indic and Eastern Arabic-Indic digits, as Arabic keyboards type them
ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def normalize_national_id(number):
    """The national ID / iqama as stored: stripped, in ASCII digits."""
    return (number or "").strip().translate(ARABIC_DIGITS)


def is_valid_national_id(number):
    """A Saudi national ID (starts with 1) or iqama (starts with 2).

    Ten digits; the last one is a Luhn check digit, which is how the
    Ministry of Interior builds both kinds of number.
    """
    number = (number or "").strip()
    return len(number) == 10 and number.isdigit() and number[0] in "12" and luhn.is_valid(number)


def make_national_id(serial, kind="1", prefix=""):
    """A valid national ID (``kind`` "1") or iqama ("2") built from ``serial``.

    ``kind``, then ``prefix``, then ``serial`` zero-padded to nine digits in
    all (check digit excluded), then the Luhn check digit: fixtures and benchmarks pick a ``prefix``
    of their own so that their numbers never meet the demo data's.
    """
    body = f"{kind}{prefix}{serial:0{8 - len(prefix)}d}"
    return body + luhn.calc_check_digit(body)


def normalize_saudi_mobile(number):
    """Return a Saudi mobile number as E.164 (+9665XXXXXXXX), or None.

    Accepts the forms people write: 05XXXXXXXX, 5XXXXXXXX, 9665XXXXXXXX,
    +966 5X XXX XXXX, 00966..., with spaces or dashes.
    """
    raw = (number or "").strip()
    if not raw:
        return None
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    elif raw.startswith("966"):
        raw = "+" + raw
    try:
        parsed = phonenumbers.parse(raw, "SA")
    except phonenumbers.NumberParseException:
        return None
    if (
        parsed.country_code != 966
        or not phonenumbers.is_valid_number(parsed)
        or phonenumbers.number_type(parsed) != phonenumbers.PhoneNumberType.MOBILE
    ):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def is_valid_iban(value):
    """A Saudi IBAN: SA, 24 characters, mod-97 check (ISO 13616).

    stdnum.iban is not used: it reads a bundled data file through
    importlib.resources, which Odoo's import hook for stdnum breaks.
    """
    compact = "".join((value or "").split()).upper()
    return (
        compact.startswith("SA")
        and len(compact) == 24
        and compact[2:].isdigit()
        and mod_97_10.is_valid(compact[4:] + compact[:4])
    )
