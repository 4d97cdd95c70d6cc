"""Serbian Latin <-> Cyrillic transliteration.

Serbian is written in both scripts with a one-to-one letter mapping, except that
three Cyrillic letters (Љ, Њ, Џ) are digraphs in Latin (Lj, Nj, Dž). Going from
Latin to Cyrillic, a digraph is one letter, so "Ljubica" is "Љубица"; a word
whose "nj"/"dž" crosses a morpheme boundary (the classic "injekcija", "nadživeti")
would need a dictionary, so the few such words used in the academy's own texts
are listed in LATIN_EXCEPTIONS.

Used for trainee names on certificates and for the Serbian Cyrillic message
catalogue, which is generated from the Latin one (`translations_sync`).
"""

import re
import unicodedata

_LATIN_TO_CYRILLIC_DIGRAPHS = {
    "Lj": "Љ",
    "LJ": "Љ",
    "lj": "љ",
    "Nj": "Њ",
    "NJ": "Њ",
    "nj": "њ",
    "Dž": "Џ",
    "DŽ": "Џ",
    "dž": "џ",
}
_LATIN_TO_CYRILLIC = dict(
    zip(
        "ABCČĆDĐEFGHIJKLMNOPRSŠTUVZŽabcčćdđefghijklmnoprsštuvzž",
        "АБЦЧЋДЂЕФГХИЈКЛМНОПРСШТУВЗЖабцчћдђефгхијклмнопрсштувзж",
        strict=True,
    )
)
_CYRILLIC_TO_LATIN = {cyr: lat for lat, cyr in _LATIN_TO_CYRILLIC.items()}
_CYRILLIC_TO_LATIN.update(
    {"Љ": "Lj", "Њ": "Nj", "Џ": "Dž", "љ": "lj", "њ": "nj", "џ": "dž"}
)

# Latin words whose "nj"/"dž"/"dj" are two letters, not one (prefix + root).
LATIN_EXCEPTIONS = {
    "injekcija": "инјекција",
    "konjunkcija": "конјункција",
    "nadživeti": "надживети",
    "odžaliti": "оджалити",
    "tanjug": "танјуг",
}

_DIGRAPH_RE = re.compile("|".join(sorted(_LATIN_TO_CYRILLIC_DIGRAPHS, key=len)[::-1]))
_WORD_RE = re.compile(r"[^\W\d_]+")
# Names that stay in Latin in Cyrillic text: the academy's own name and
# product names.
KEEP_LATIN = (
    "Cluster Academy",
    "Wagtail",
    "Google",
    "Zoom",
    "Teams",
    "Vimeo",
    "JSON",
    "HTML",
    "CSV",
    "cloud",
)
# Placeholders and markup that must survive untouched: code samples,
# %(name)s, %s, %%, {name}, HTML tags and entities, URLs, domains and e-mail
# addresses, the names above, and foreign words and codes (anything with q,
# w, x or y: "XLSX", "QR").
_PROTECTED_RE = re.compile(
    r"<(code|pre|kbd|samp)\b[^>]*>[\s\S]*?</\1>|"
    r"%\([^)]*\)[sdfr]|%[sdfr%]|\{[^{}]*\}|<[^>]*>|&[a-zA-Z#0-9]+;"
    r"|https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+\.(?:com|rs|org|net|io|tv)\b\S*"
    r"|\b[A-Za-z]*[QWXYqwxy][A-Za-z]*\b|"
    + "|".join(rf"\b{re.escape(name)}\b" for name in KEEP_LATIN)
)


def _word_to_cyrillic(word: str) -> str:
    exception = LATIN_EXCEPTIONS.get(word.lower())
    if exception:
        if word.isupper():
            return exception.upper()
        if word[0].isupper():
            return exception[0].upper() + exception[1:]
        return exception
    # A digraph in an all-capitals word ("LJUBICA") is written "LJ"; in a
    # capitalised one ("Ljubica") "Lj".
    word = _DIGRAPH_RE.sub(lambda m: _LATIN_TO_CYRILLIC_DIGRAPHS[m.group(0)], word)
    return "".join(_LATIN_TO_CYRILLIC.get(char, char) for char in word)


def _map_unprotected(text: str, convert) -> str:
    parts, last = [], 0
    for match in _PROTECTED_RE.finditer(text):
        parts.append(convert(text[last : match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(convert(text[last:]))
    return "".join(parts)


def latin_to_cyrillic(text: str) -> str:
    """Serbian Latin text in Cyrillic; placeholders, tags and addresses kept."""
    return _map_unprotected(
        text, lambda chunk: _WORD_RE.sub(lambda m: _word_to_cyrillic(m.group(0)), chunk)
    )


def _word_to_latin(word: str) -> str:
    latin = "".join(_CYRILLIC_TO_LATIN.get(char, char) for char in word)
    # Љ, Њ, Џ in an all-capitals word become "LJ", "NJ", "DŽ".
    if len(word) > 1 and word.isupper():
        return latin.upper()
    return latin


def cyrillic_to_latin(text: str) -> str:
    """Serbian Cyrillic text in Latin."""
    return _WORD_RE.sub(lambda m: _word_to_latin(m.group(0)), text)


def has_cyrillic(text: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in text)


def to_script(text: str, *, cyrillic: bool) -> str:
    """`text` in the script asked for; text already in it is left alone (a name
    typed in Cyrillic stays as typed when Cyrillic is asked for)."""
    if cyrillic:
        return text if has_cyrillic(text) else latin_to_cyrillic(text)
    return cyrillic_to_latin(text) if has_cyrillic(text) else text


SERBIAN_LATIN_LETTERS = frozenset(_LATIN_TO_CYRILLIC)
SERBIAN_CYRILLIC_LETTERS = frozenset(_CYRILLIC_TO_LATIN)
# Ð/ð (Icelandic eth, U+00D0/U+00F0) look exactly like Serbian Đ/đ (U+0110/U+0111)
# and are what some keyboards and autocorrects produce for them.
_ETH_TO_DJ = str.maketrans({"Ð": "Đ", "ð": "đ"})


def _all_letters_serbian(text: str) -> bool:
    letters = [char for char in text if not _is_separator(char)]
    return all(
        char in SERBIAN_LATIN_LETTERS or char in SERBIAN_CYRILLIC_LETTERS
        for char in letters
    )


def _is_separator(char: str) -> bool:
    # Spaces, hyphens, apostrophes, dots and digits: anything not a letter or a
    # combining mark (a mark left after NFC belongs to a letter Serbian lacks).
    return not (char.isalpha() or unicodedata.category(char).startswith("M"))


def name_to_script(name: str, *, cyrillic: bool) -> str:
    """A person's name in the script asked for when every letter of it is a
    Serbian letter (Latin or Cyrillic); otherwise exactly as typed, since a
    transliteration in part ("Зоë Ñúñез") is nobody's name."""
    name = unicodedata.normalize("NFC", name)
    serbian = name.translate(_ETH_TO_DJ)
    if not _all_letters_serbian(serbian):
        return name
    if cyrillic:
        return latin_to_cyrillic(serbian)
    return cyrillic_to_latin(serbian)
