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


# Addresses anyone can get: a domain of these proves nothing about an employer,
# so listing one as an organisation's verified domain needs a deliberate tick.
# The big international providers and the ones common in Serbia.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "ymail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.net",
        "mail.com",
        "zoho.com",
        "yandex.com",
        "yandex.ru",
        "mail.ru",
        "eunet.rs",
        "sbb.rs",
        "open.telekom.rs",
        "mts.rs",
        "orion.rs",
        "ptt.rs",
    }
)
# A host name: labels of letters, digits and hyphens (not at either end), at
# least two labels, the last one alphabetic (a top-level domain) or punycode.
DOMAIN_FORMAT = re.compile(
    r"(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?:[a-z]{2,63}|xn--[a-z0-9-]{2,59})",
    re.ASCII,
)


def domain_problem(domain: str, *, public_ok: bool = False) -> str | None:
    """Why `domain` cannot be an organisation's verified e-mail domain, or
    None. Public providers are refused unless `public_ok`."""
    domain = (domain or "").strip().lower()
    if "@" in domain:
        return str(_("Write only the part after @, e.g. panonijasoft.rs."))
    if not DOMAIN_FORMAT.fullmatch(domain):
        return str(_("This is not a domain name, e.g. panonijasoft.rs."))
    if domain in PUBLIC_MAIL_DOMAINS and not public_ok:
        return str(
            _(
                "%(domain)s is a public mail provider: anyone can get an address "
                "there. Tick “accept a public mail provider” only if the "
                "organisation really owns it."
            )
            % {"domain": domain}
        )
    return None


def email_domain(email: str) -> str:
    """The domain of an address, lower case ("" when there is none)."""
    _local, at, domain = (email or "").rpartition("@")
    return domain.strip().lower() if at else ""
