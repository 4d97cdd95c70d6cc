from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def pib_checksum_ok(pib: str) -> bool:
    """ISO 7064 MOD 11,10, the check digit of a Serbian tax id (PIB)."""
    check = 5
    for digit in pib:
        check = (((check or 10) * 2) % 11 + int(digit)) % 10
    return check == 1


def validate_pib(value: str) -> None:
    if not (len(value) == 9 and value.isdigit()):
        raise ValidationError(_("A PIB has exactly 9 digits."), code="pib_format")
    if not pib_checksum_ok(value):
        raise ValidationError(
            _("This PIB's check digit is wrong; please check it for a typo."),
            code="pib_checksum",
        )
