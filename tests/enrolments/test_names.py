"""Names print as typed: invisible and direction-changing characters are
removed, a name with no visible letter is refused, and the joiners some scripts
spell with survive where they are needed."""

import pytest
from django.core.exceptions import ValidationError

from enrolments.names import full_name_clean, full_name_normalise

INVISIBLE_ONLY = [
    "\u200b\u200b",  # zero-width spaces
    "\u2060",  # word joiner
    "\ufeff",  # byte-order mark
    "\u3164",  # Hangul filler, a "letter" that draws nothing
    "\uffa0 \u115f\u1160",  # the other Hangul fillers
    "\u200d\u200c",  # joiners with nothing to join
    "\u202e\u202c",  # a right-to-left override and its end
    "\u00ad",  # soft hyphen
    "\u2800",  # Braille blank
    "- . '",  # punctuation, no letter
    "\u3000\u00a0\u2003",  # ideographic, no-break and em spaces
]


@pytest.mark.parametrize("typed", INVISIBLE_ONLY)
def test_a_name_with_no_visible_letter_is_refused(typed):
    with pytest.raises(ValidationError) as error:
        full_name_clean(typed)
    assert error.value.code == "no_visible_letter"
    assert "at least one visible letter" in error.value.messages[0]


@pytest.mark.parametrize(
    "typed, printed",
    [
        # An override would show "Marko ćivorteP" on one page, not on another.
        ("Marko \u202ePetrović\u202c", "Marko Petrović"),
        ("\u2067Marko\u2069 \u200fPetrović\u200e", "Marko Petrović"),
        ("\u061cJelena", "Jelena"),
        ("Ana\u200b Anić", "Ana Anić"),
        ("An\u200ba Anić", "Ana Anić"),
        ("\ufeffAna\u2060Marija", "AnaMarija"),
        ("Ana\u3164 Anić", "Ana Anić"),
        # A joiner between Latin letters only makes a look-alike.
        ("Ana\u200d Anić", "Ana Anić"),
        ("Ma\u200drko", "Marko"),
        ("Ana\tMarija\nAnić\r", "Ana Marija Anić"),
        ("C\u030cedomir", "Čedomir"),
    ],
)
def test_invisible_and_direction_changing_characters_are_removed(typed, printed):
    assert full_name_clean(typed) == printed


@pytest.mark.parametrize(
    "name",
    [
        "مهر\u200cناز",  # Persian Mehrnaz: ZWNJ keeps the two parts unjoined
        "क्\u200dष",  # Devanagari: ZWJ asks for the half form
        "ශ්\u200dරී",  # Sinhala: ZWJ makes the conjunct
        "നന്\u200dദ",  # Malayalam chillu
    ],
)
def test_a_joiner_a_script_spells_with_is_kept(name):
    assert full_name_normalise(name) == name
    assert full_name_clean(name) == name


@pytest.mark.parametrize(
    "name",
    ["Đorđe Petrović", "Ђорђе Петровић", "Zoë Ñúñez-Ålberg", "李小龍", "Ἀλέξανδρος"],
)
def test_an_ordinary_name_is_unchanged(name):
    assert full_name_clean(name) == name
