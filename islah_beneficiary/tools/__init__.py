from .saudi import (
    is_valid_iban,
    is_valid_national_id,
    make_national_id,
    normalize_national_id,
    normalize_saudi_mobile,
)
from .hijri import format_hijri
