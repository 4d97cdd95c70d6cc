import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ASCII digits only: str.isdigit and \d also accept superscript, full-width and
# other scripts' digits, which int() refuses or reads as a different PIB.
PIB_FORMAT = re.compile(r"[0-9]{9}", re.ASCII)


def pib_checksum_ok(pib: str) -> bool:
    """ISO 7064 MOD 11,10, the check digit of a Serbian tax id (PIB)."""
    check = 5
    for digit in pib:
        check = (((check or 10) * 2) % 11 + int(digit)) % 10
    return check == 1


def validate_pib(value: str) -> None:
    if not PIB_FORMAT.fullmatch(value):
        raise ValidationError(_("A PIB has exactly 9 digits."), code="pib_format")
    if not pib_checksum_ok(value):
        raise ValidationError(
            _("This PIB's check digit is wrong; please check it for a typo."),
            code="pib_checksum",
        )
