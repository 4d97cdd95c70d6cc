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

import functools
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
# Technology and method names of the academy's courses, which Serbian text
# writes in Latin whatever its script ("Kubernetes u produkciji" is
# "Kubernetes у продукцији", never "Кубернетес"). Words with q, w, x or y
# ("Python", "Wireshark") are kept by the rule below without being listed;
# authors add more in Snippets > Terms kept in Latin (courses/models).
TECH_TERMS = (
    "JavaScript",
    "TypeScript",
    "Kubernetes",
    "Git",
    "GitHub",
    "GitHub Actions",
    "GitLab",
    "CI/CD",
    "CI",
    "Cloud",
    "DevOps",
    "Scrum",
    "Kanban",
    "Agile",
    "Docker",
    "Linux",
    "Java",
    "React",
    "Angular",
    "Django",
    "Flask",
    "Node.js",
    "PostgreSQL",
    "MongoDB",
    "Redis",
    "SQL",
    "Excel",
    "Power BI",
    "Tableau",
    "Figma",
    "Jira",
    "Confluence",
    "AWS",
    "Azure",
    "Terraform",
    "Ansible",
    "Jenkins",
    "Kotlin",
    "Swift",
    "Rust",
    "Golang",
    "Scala",
    "Pandas",
    "NumPy",
    "TensorFlow",
    "PyTorch",
    "ChatGPT",
    "Microsoft",
    "Apple",
    "Android",
    "Oracle",
    "SAP",
    "Cisco",
    "ISO",
    "GDPR",
    "UX",
    "UI",
    "API",
    "REST",
    "IT",
    "ICT",
)
# Roman numerals, written in Latin letters in either script ("Ivan II", "XXI
# vek"): two letters or more as a valid numeral up to 99, or a single I, V or X
# after a word ("Petar I"); a lone "I" opening a sentence is the Serbian "i".
# C, D and M are left out: "MM" in "GGGG-MM-DD" is a month, not 2000.
_ROMAN = r"(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_ROMAN_RE = (
    rf"\b(?=[IVXL]{{2,}}\b){_ROMAN}\b"
    # A capital I, V or X alone after a lower-case letter: Serbian writes its
    # "i" and "u" in lower case inside a sentence, so it is a numeral.
    r"|(?<=[a-zčćđšž] )[IVX]\b"
)


# A term keeps its Serbian case ending in Latin too ("JavaScripta",
# "Kubernetesu"); the endings are listed, not any letters, so that "Gitara"
# (a guitar) is not taken for "Git".
_CASE_ENDINGS = r"(?:a|u|om|em|e|i|ima|ovi|ova|ove|ovima)?"


def _terms_re(terms) -> str:
    """Whole-word matches of `terms`, longest first ("GitHub" before "Git")."""
    ordered = sorted({term for term in terms if term}, key=len, reverse=True)
    return "|".join(
        rf"(?<!\w){re.escape(term)}{_CASE_ENDINGS}(?!\w)" for term in ordered
    )


# Placeholders and markup that must survive untouched: code samples,
# %(name)s, %s, %%, {name}, HTML tags and entities, URLs, domains and e-mail
# addresses, the names and terms above (before the rest, so "Power BI" is one
# term, not "Power" and then "BI"), Roman numerals, and foreign words and
# codes (anything with q, w, x or y: "XLSX", "QR").
_MARKUP = (
    r"<(code|pre|kbd|samp)\b[^>]*>[\s\S]*?</\1>|"
    r"%\([^)]*\)[sdfr]|%[sdfr%]|\{[^{}]*\}|<[^>]*>|&[a-zA-Z#0-9]+;"
    r"|https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+\.(?:com|rs|org|net|io|tv)\b\S*"
)
_OTHER = r"\b[A-Za-z]*[QWXYqwxy][A-Za-z]*\b|" + _ROMAN_RE
_PROTECTED = "|".join([_MARKUP, _terms_re(KEEP_LATIN + TECH_TERMS), _OTHER])
_PROTECTED_RE = re.compile(_PROTECTED)


@functools.lru_cache(maxsize=8)
def _protected_re(extra_terms: tuple[str, ...]) -> re.Pattern:
    if not extra_terms:
        return _PROTECTED_RE
    terms = _terms_re(KEEP_LATIN + TECH_TERMS + extra_terms)
    return re.compile("|".join([_MARKUP, terms, _OTHER]))


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


def _map_unprotected(text: str, convert, keep: tuple[str, ...] = ()) -> str:
    parts, last = [], 0
    for match in _protected_re(keep).finditer(text):
        parts.append(convert(text[last : match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(convert(text[last:]))
    return "".join(parts)


def latin_to_cyrillic(text: str, *, keep: tuple[str, ...] = ()) -> str:
    """Serbian Latin text in Cyrillic; placeholders, tags, addresses, Roman
    numerals, the terms above and the extra terms in `keep` stay in Latin."""
    return _map_unprotected(
        text,
        lambda chunk: _WORD_RE.sub(lambda m: _word_to_cyrillic(m.group(0)), chunk),
        keep,
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


def to_script(text: str, *, cyrillic: bool, keep: tuple[str, ...] = ()) -> str:
    """`text` in the script asked for; text already in it is left alone (a name
    typed in Cyrillic stays as typed when Cyrillic is asked for). `keep`: more
    terms that stay in Latin (courses.locales.latin_terms)."""
    if cyrillic:
        return text if has_cyrillic(text) else latin_to_cyrillic(text, keep=keep)
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


# --- Folding for search ------------------------------------------------------

_NOT_WORD_RE = re.compile(r"[\W_]+")


def _fold(text: str, dj: str) -> str:
    text = cyrillic_to_latin(text).replace("đ", dj).replace("Đ", dj)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(_NOT_WORD_RE.sub(" ", text.casefold()).split())


def search_fold(text: str) -> str:
    """`text` as search compares it: Serbian Cyrillic in Latin, without
    diacritics ("Čačak", "Чачак" and "cacak" are all "cacak"), "đ" as "dj",
    lower case, words separated by single spaces, punctuation gone."""
    return _fold(text, "dj")


def search_fold_variants(text: str) -> str:
    """`search_fold(text)`, followed by the same words with "đ" as "d" when
    there is one: people type "Djordje" and "Dordje" for "Đorđe"."""
    folded = search_fold(text)
    if "đ" not in text.casefold() and "ђ" not in text.casefold():
        return folded
    return f"{folded} {_fold(text, 'd')}"
