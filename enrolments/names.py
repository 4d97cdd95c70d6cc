"""Trainee names as certificates print them.

A name is printed exactly as typed, so what is typed must be printable: every
character a reader cannot see (zero-width spaces, word joiners, byte-order
marks, Hangul fillers) is removed, and so is every bidirectional control, which
would make the PDF and a web page show one name in two different orders. What
remains must hold at least one letter, or the certificate would carry a blank.

The zero-width joiner and non-joiner (U+200D, U+200C) are kept between two
letters of a script that shapes with them (a Persian "Mehr‌nāz" or a Sinhala
conjunct); anywhere else they only hide a name's emptiness or fake a double.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ZERO_WIDTH_JOINERS = {"\u200c", "\u200d"}
# Letters by category (Lo) that draw nothing: the Hangul fillers.
INVISIBLE_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0"}
# Blank symbols that are not whitespace to str.split().
INVISIBLE_SYMBOLS = {"\u2800"}
# Scripts whose spelling uses ZWJ/ZWNJ: Arabic-script languages (Persian,
# Urdu), Syriac, N'Ko, Mongolian and the Brahmic scripts of South and
# South-East Asia. The first word of a character's Unicode name is its script.
JOINING_SCRIPTS = {
    "ARABIC", "SYRIAC", "NKO", "MONGOLIAN", "DEVANAGARI", "BENGALI",
    "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA", "MALAYALAM",
    "SINHALA", "KHMER", "MYANMAR", "TIBETAN",
}  # fmt: skip

NO_VISIBLE_LETTER = _(
    "A name needs at least one visible letter: spaces and invisible characters "
    "alone would print a blank certificate."
)


def _script(char: str) -> str:
    return unicodedata.name(char, "").split(" ")[0]


def _is_letter_or_mark(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def _joiner_needed(before: str, after: str) -> bool:
    return (
        _is_letter_or_mark(before)
        and _is_letter_or_mark(after)
        and _script(before) == _script(after)
        and _script(before) in JOINING_SCRIPTS
    )


def _visible(text: str) -> str:
    kept = []
    for index, char in enumerate(text):
        if char in INVISIBLE_LETTERS or char in INVISIBLE_SYMBOLS:
            continue
        if char in ZERO_WIDTH_JOINERS:
            before = kept[-1] if kept else ""
            after = text[index + 1] if index + 1 < len(text) else ""
            if before and after and _joiner_needed(before, after):
                kept.append(char)
            continue
        category = unicodedata.category(char)
        if category == "Cf":
            # Format characters: bidi embeddings, overrides, isolates and marks,
            # zero-width space, word joiner, BOM, soft hyphen.
            continue
        kept.append(" " if category == "Cc" else char)
    return "".join(kept)


def full_name_normalise(full_name: str) -> str:
    """Invisible and direction-changing characters removed, trimmed, every run
    of whitespace (a tab, a newline, two spaces) made one space, which
    certificate fonts draw, and in Unicode NFC, which changes no visible letter:
    a 'Č' typed as 'C' plus a combining caron becomes the one letter
    certificate fonts draw."""
    return unicodedata.normalize(
        "NFC", " ".join(_visible(unicodedata.normalize("NFC", full_name)).split())
    )


def has_visible_letter(full_name: str) -> bool:
    return any(
        unicodedata.category(char).startswith("L") and char not in INVISIBLE_LETTERS
        for char in full_name
    )


def full_name_clean(full_name: str) -> str:
    """The name normalised, or a ValidationError when nothing printable is left."""
    full_name = full_name_normalise(full_name)
    if not has_visible_letter(full_name):
        raise ValidationError(NO_VISIBLE_LETTER, code="no_visible_letter")
    return full_name
