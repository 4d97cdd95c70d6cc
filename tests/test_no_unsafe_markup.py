"""No unsafe markup: every way of switching Django's HTML escaping off in the
project's code and templates is either gone or on the allow-list below, each
entry with why its markup cannot carry what a trainee or instructor wrote.

A new hit fails with how to fix it. Run it on its own with
`make test PYTEST_ARGS=tests/test_no_unsafe_markup.py`.
"""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SCANNED = ["academy_site", "courses", "enrolments", "certificates", "home", "templates"]
SUFFIXES = {".py", ".html", ".txt", ".xml"}

UNSAFE = {
    "|safe filter": re.compile(r"\|\s*safe(seq)?\b"),
    "{% autoescape off %}": re.compile(r"{%\s*autoescape\s+off\s*%}"),
    "mark_safe()": re.compile(r"\bmark_safe\s*\("),
    "SafeString()": re.compile(r"\bSafe(String|Text)\s*\("),
    "json_script/JsonResponse with safe=True": re.compile(r"\bsafe\s*=\s*True\b"),
}

# (file, the offending line as written, stripped) -> why it is safe. Keyed by
# the line's text rather than its number so edits elsewhere in the file do not
# break it, while a change to the line itself needs a new review.
ALLOWED = {
    (
        "enrolments/sanitize.py",
        "return mark_safe(sanitize_html(html_text))",
    ): "nh3 output: reduced to the tag/attribute/URL-scheme allow-list on the "
    "same line (tests/enrolments/test_assignments.py runs the XSS corpus on it)",
    (
        "templates/enrolments/teaching/check_in_display.html",
        '<div class="checkin__qr" data-qr>{% if state.svg %}{{ state.svg|safe }}'
        "{% endif %}</div>",
    ): "SVG made by segno (enrolments/teaching/views.py qr_svg) from a URL the "
    "view builds from the meeting id and a numeric code: no user text",
    (
        "courses/templatetags/locale_tags.py",
        'return mark_safe(to_script(output, cyrillic=language == "sr", keep=keep))',
    ): "the enclosed template output, already escaped, transliterated letter "
    "for letter: tags, attributes, entities and URLs are left untouched and no "
    "<, > or & is added (tests/academy_site/test_transliteration.py)",
}
# Plain-text e-mail bodies: escaping would turn "&" in a course title into
# "&amp;" in the mail; no browser ever renders them as HTML.
PLAIN_TEXT_EMAIL = re.compile(r"^templates/[a-z]+/email/[a-z_]+\.txt$")

HOW_TO_FIX = """\
Escaping is switched off here. Instead:
  - build HTML in Python with django.utils.html.format_html / format_html_join
    (they escape every argument);
  - pass data to JavaScript with {{ value|json_script:"id" }};
  - show rich text with Wagtail's {{ value|richtext }} or, for what trainees and
    instructors write, enrolments.sanitize.safe_markup() (nh3);
  - otherwise let the template escape it ({{ value }}).
Only if the markup provably holds no user text, add it to ALLOWED in
tests/test_no_unsafe_markup.py with the reason."""


def scanned_files():
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file():
                yield path


def unsafe_lines() -> list[tuple[str, int, str, str]]:
    """(file, line number, what, line text) for every unsafe construct."""
    hits = []
    for path in scanned_files():
        relative = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            for what, pattern in UNSAFE.items():
                if pattern.search(line):
                    hits.append((relative, number, what, line.strip()))
    return hits


def is_allowed(relative: str, what: str, line: str) -> bool:
    if (relative, line) in ALLOWED:
        return True
    return what == "{% autoescape off %}" and bool(PLAIN_TEXT_EMAIL.match(relative))


def test_no_unsafe_markup_outside_the_reviewed_allow_list():
    new = [
        f"{relative}:{number}: {what}: {line}"
        for relative, number, what, line in unsafe_lines()
        if not is_allowed(relative, what, line)
    ]
    assert not new, "\n".join(new) + "\n\n" + HOW_TO_FIX


def test_every_allow_list_entry_still_matches_a_line():
    """A stale entry would let a later unsafe line with the same text through
    unreviewed: remove entries whose line is gone."""
    found = {(relative, line) for relative, _, _, line in unsafe_lines()}
    assert set(ALLOWED) <= found, set(ALLOWED) - found


def test_the_scan_finds_each_kind_of_unsafe_markup():
    samples = [
        "{{ trainee.full_name|safe }}",
        "{{ names | safeseq }}",
        "{% autoescape off %}{{ x }}{% endautoescape %}",
        "return mark_safe(text)",
        "return SafeString(text)",
        "json_script(data, safe=True)",
    ]
    for sample in samples:
        assert any(p.search(sample) for p in UNSAFE.values()), sample
    harmless = [
        "{{ value|richtext }}",
        "format_html('<b>{}</b>', name)",
        "safe_markup(x)",
    ]
    for sample in harmless:
        assert not any(p.search(sample) for p in UNSAFE.values()), sample
