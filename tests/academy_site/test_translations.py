"""The message catalogues are complete: every string marked for translation in
a template or in Python has a translation in English, Serbian Latin and
Serbian Cyrillic, the compiled .mo files say the same as the .po files, and
the Cyrillic catalogue is the Latin one transliterated.

The code's strings are extracted the way `translations_sync` does it
(makemessages, which needs GNU gettext's xgettext), into a temporary folder.
"""

import gettext
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from academy_site.management.commands.translations_sync import (
    IGNORED,
    catalogue_path,
    entry_key,
    translated,
)
from academy_site.transliteration import has_cyrillic, latin_to_cyrillic
from tests.conftest import skip_or_fail

LOCALE_DIRS = ["en", "sr_Latn", "sr"]


# What makemessages reads (translations_sync runs it on the whole project).
SOURCE_DIRS = [
    "academy_site",
    "courses",
    "enrolments",
    "certificates",
    "home",
    "templates",
]


@pytest.fixture(scope="module")
def code_messages(tmp_path_factory) -> dict[tuple[str, str], polib.POEntry]:
    """Every message the code marks, keyed by (context, msgid). makemessages
    writes next to the nearest `locale` folder, so it runs in a scratch folder
    that links to the sources and has its own."""
    if shutil.which("xgettext") is None:
        skip_or_fail("GNU gettext (xgettext) is not installed")
    scratch = tmp_path_factory.mktemp("extract")
    for name in SOURCE_DIRS:
        (scratch / name).symlink_to(Path(settings.BASE_DIR) / name)
    out = scratch / "locale"
    out.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(scratch)
        patch.setattr(settings, "LOCALE_PATHS", [out])
        call_command(
            "makemessages",
            locale=["xx"],
            ignore_patterns=IGNORED,
            symlinks=True,
            verbosity=0,
        )
    extracted = polib.pofile(str(out / "xx" / "LC_MESSAGES" / "django.po"))
    messages = {entry_key(entry): entry for entry in extracted if entry.msgid}
    assert len(messages) > 300, "extraction found too few strings: is it reading?"
    return messages


def where(entry: polib.POEntry) -> str:
    return ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])


@pytest.mark.parametrize("locale_dir", LOCALE_DIRS)
def test_every_string_in_the_code_is_translated(code_messages, locale_dir):
    catalogue = {entry_key(e): e for e in polib.pofile(str(catalogue_path(locale_dir)))}
    missing = [
        f"{context + ' | ' if context else ''}{msgid}  ({where(entry)})"
        for (context, msgid), entry in code_messages.items()
        if (context, msgid) not in catalogue
        or not translated(catalogue[(context, msgid)])
    ]
    assert not missing, (
        f"{len(missing)} strings have no {locale_dir} translation; run "
        "`python manage.py translations_sync` and translate them:\n"
        + "\n".join(missing[:40])
    )


@pytest.mark.parametrize("locale_dir", LOCALE_DIRS)
def test_compiled_catalogue_matches_the_po_file(locale_dir):
    po_path = catalogue_path(locale_dir)
    with open(po_path.with_suffix(".mo"), "rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    for entry in polib.pofile(str(po_path)):
        if not entry.msgid or entry.msgid_plural or not translated(entry):
            continue
        source = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        assert compiled.gettext(source) == entry.msgstr, (
            f"{locale_dir}: the .mo file is out of date for {entry.msgid!r}; "
            "run `python manage.py translations_sync`"
        )


def test_cyrillic_catalogue_is_the_latin_one_transliterated():
    latin = {entry_key(e): e for e in polib.pofile(str(catalogue_path("sr_Latn")))}
    cyrillic = polib.pofile(str(catalogue_path("sr")))
    assert cyrillic.metadata["Plural-Forms"].startswith("nplurals=3;")
    for entry in cyrillic:
        source = latin[entry_key(entry)]
        if entry.msgid_plural:
            assert entry.msgstr_plural == {
                i: latin_to_cyrillic(text) for i, text in source.msgstr_plural.items()
            }
        else:
            assert entry.msgstr == latin_to_cyrillic(source.msgstr)


def test_serbian_catalogues_are_in_their_own_script():
    """Spot checks through Django's own gettext: the log-in link in both
    scripts, and English unchanged."""
    samples = {}
    for language in ("en", "sr-latn", "sr"):
        with translation.override(language):
            samples[language] = translation.gettext("My learning")
    assert samples["en"] == "My learning"
    assert samples["sr-latn"] != "My learning" and not has_cyrillic(samples["sr-latn"])
    assert has_cyrillic(samples["sr"])
    assert samples["sr"] == latin_to_cyrillic(samples["sr-latn"])


def test_catalogues_live_where_django_finds_them():
    assert (
        Path(settings.LOCALE_PATHS[0]).resolve()
        == (Path(settings.BASE_DIR) / "locale").resolve()
    )
