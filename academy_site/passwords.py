"""A password strength check for AUTH_PASSWORD_VALIDATORS.

Length, Django's common-password list and its similarity check let through
passwords a guessing attack tries early: "aaaaaaaaaaaa" (a repeat),
"qwertyuiopas" (a keyboard row), "passwordpassword" (a common word twice),
"akademija2026" (the site's own name and a year). zxcvbn estimates how many
guesses a password takes from such patterns; a score below 3 (fewer than about
10^8 guesses) is refused, with the pattern that made it weak named in the
trainee's language.
"""

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from zxcvbn import zxcvbn

from academy_site.transliteration import cyrillic_to_latin

# zxcvbn's own limit: its matching grows fast with length. A longer password is
# judged by its first 72 characters.
ZXCVBN_MAX_LENGTH = 72
# Words every attacker of this site tries first, beside its name.
SITE_WORDS = ["akademija", "academy", "klaster", "cluster", "kurs", "sertifikat"]

REASONS = {
    "repeat": _("it repeats the same characters or words"),
    "spatial": _("it follows a row or a pattern of keys on the keyboard"),
    "sequence": _("it is a run of letters or digits such as abc or 6543"),
    "date": _("it is mostly a year or a date"),
    "regex": _("it is mostly a year or a date"),
    "passwords": _("it is, or is close to, a commonly used password"),
    "user_inputs": _(
        "it is mostly your name, your e-mail address or the academy's name"
    ),
    "dictionary": _("it is mostly a common word or name"),
}
GENERIC_REASON = _("it is short or made of predictable parts")


def _reason(sequence: list[dict]) -> str:
    """What the longest part of the password is: the pattern that sank it."""
    if not sequence:
        return str(GENERIC_REASON)
    longest = max(sequence, key=lambda match: len(match["token"]))
    pattern = longest["pattern"]
    if pattern == "dictionary":
        pattern = longest.get("dictionary_name", "")
        if pattern not in REASONS:
            pattern = "dictionary"
    return str(REASONS.get(pattern, GENERIC_REASON))


def _user_words(user) -> list[str]:
    if user is None:
        return []
    values = []
    for attribute in ("username", "email", "first_name", "last_name"):
        values.append(str(getattr(user, attribute, "") or ""))
    profile = getattr(user, "trainee", None) if user.pk else None
    if profile is not None:
        values.append(profile.full_name)
    # Whole values and their parts ("jovana@firma.rs" gives jovana and firma),
    # each also as typed on an English keyboard: "Јовановић" is tried as
    # "jovanović" and "jovanovic".
    words = []
    for value in filter(None, values):
        for variant in dict.fromkeys([value, *_latin_variants(value)]):
            words.append(variant)
            words += [part for part in re.split(r"[\W_]+", variant) if len(part) > 2]
    return words


def _latin_variants(value: str) -> list[str]:
    latin = cyrillic_to_latin(value)
    ascii_letters = unicodedata.normalize("NFKD", latin.replace("đ", "dj"))
    ascii_letters = ascii_letters.replace("Đ", "Dj").encode("ascii", "ignore")
    return [latin, ascii_letters.decode()]


class StrengthValidator:
    """Refuse a password zxcvbn scores below `min_score` (0 to 4)."""

    def __init__(self, min_score: int = 3):
        self.min_score = min_score

    def validate(self, password: str, user=None) -> None:
        site_words = SITE_WORDS + settings.WAGTAIL_SITE_NAME.lower().split()
        result = zxcvbn(
            password[:ZXCVBN_MAX_LENGTH], user_inputs=site_words + _user_words(user)
        )
        if result["score"] >= self.min_score:
            return
        raise ValidationError(
            gettext(
                "This password is too easy to guess: %(reason)s. Three or four "
                "uncommon words together are both strong and easy to remember."
            ),
            code="password_too_weak",
            params={"reason": _reason(result["sequence"])},
        )

    def get_help_text(self) -> str:
        return gettext(
            "Your password must not be easy to guess: no repeats, keyboard rows, "
            "years or common words on their own, and not your name or e-mail "
            "address."
        )
