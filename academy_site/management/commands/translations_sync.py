"""Bring the message catalogues in locale/ up to date with the code.

    python manage.py translations_sync [--merge fragment.po ...]

1. makemessages for English and Serbian Latin (needs GNU gettext's xgettext);
2. optionally fills Serbian Latin entries from PO fragments (translations
   written elsewhere, matched by msgctxt + msgid);
3. writes the Serbian Cyrillic catalogue from the Latin one by
   transliteration (academy_site/transliteration.py), so the two scripts never
   drift apart; a Cyrillic entry is only written by hand when transliteration
   would be wrong, by adding the word to LATIN_EXCEPTIONS there;
4. fills the English catalogue with the source text itself (English is the
   source language: a complete catalogue makes a missing string visible);
5. compiles every catalogue (.mo files are committed, so a fresh machine
   without gettext still shows the translations).

tests/academy_site/test_translations.py fails when a string in the code has
no translation; running this command is how to see which ones.
"""

import os
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from academy_site.transliteration import latin_to_cyrillic

# Files makemessages must not read: installed packages, runtime state, tests.
IGNORED = [".venv/*", "var/*", "tests/*", "benchmarks/*", "node_modules/*", "docs/*"]
SERBIAN_PLURALS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)


def catalogue_path(locale_dir: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / locale_dir / "LC_MESSAGES" / "django.po"


def entry_key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def translated(entry: polib.POEntry) -> bool:
    if "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def fragments_merge(latin: polib.POFile, paths: list[str]) -> tuple[int, list[str]]:
    """Fill untranslated Latin entries from the fragments; returns how many
    were filled and the fragment msgids the code does not have."""
    wanted = {entry_key(entry): entry for entry in latin}
    filled, unknown = 0, []
    for path in paths:
        for fragment in polib.pofile(path):
            if not fragment.msgid:
                continue
            entry = wanted.get(entry_key(fragment))
            if entry is None:
                unknown.append(f"{path}: {fragment.msgid[:70]}")
                continue
            if translated(entry) or not translated(fragment):
                continue
            if entry.msgid_plural:
                entry.msgstr_plural = dict(fragment.msgstr_plural)
            else:
                entry.msgstr = fragment.msgstr
            entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
            filled += 1
    return filled, unknown


def cyrillic_from_latin(latin: polib.POFile) -> polib.POFile:
    cyrillic = polib.POFile(wrapwidth=latin.wrapwidth)
    cyrillic.metadata = dict(latin.metadata, Language="sr")
    for entry in latin:
        copy = polib.POEntry(
            msgid=entry.msgid,
            msgid_plural=entry.msgid_plural,
            msgctxt=entry.msgctxt,
            occurrences=entry.occurrences,
            flags=list(entry.flags),
            comment=entry.comment,
        )
        if entry.msgid_plural:
            copy.msgstr_plural = {
                index: latin_to_cyrillic(text)
                for index, text in entry.msgstr_plural.items()
            }
        else:
            copy.msgstr = latin_to_cyrillic(entry.msgstr)
        cyrillic.append(copy)
    return cyrillic


def english_filled(english: polib.POFile) -> None:
    for entry in english:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]


class Command(BaseCommand):
    help = "Update locale/ from the code; Cyrillic from Latin; compile."

    def add_arguments(self, parser):
        parser.add_argument(
            "--merge",
            nargs="*",
            default=[],
            type=os.path.abspath,
            help="PO fragments whose translations fill the Serbian Latin catalogue.",
        )

    def handle(self, *args, merge, **options):
        # makemessages reads the current directory.
        os.chdir(settings.BASE_DIR)
        call_command(
            "makemessages",
            locale=["en", "sr_Latn"],
            ignore_patterns=IGNORED,
            no_obsolete=True,
            verbosity=0,
        )
        latin = polib.pofile(str(catalogue_path("sr_Latn")))
        latin.metadata.update({"Language": "sr_Latn", "Plural-Forms": SERBIAN_PLURALS})
        if merge:
            filled, unknown = fragments_merge(latin, merge)
            self.stdout.write(f"Filled {filled} entries from {len(merge)} fragments.")
            for line in unknown:
                self.stdout.write(f"  not in the code: {line}")
        latin.save()

        english = polib.pofile(str(catalogue_path("en")))
        english_filled(english)
        english.save()

        cyrillic_path = catalogue_path("sr")
        cyrillic_path.parent.mkdir(parents=True, exist_ok=True)
        cyrillic_from_latin(latin).save(str(cyrillic_path))

        for path in (catalogue_path("en"), catalogue_path("sr_Latn"), cyrillic_path):
            polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))

        missing = [entry.msgid for entry in latin if not translated(entry)]
        self.stdout.write(
            f"{len(latin)} messages; {len(missing)} without a Serbian translation."
        )
        for msgid in missing:
            self.stdout.write(f"  untranslated: {msgid[:100]}")
