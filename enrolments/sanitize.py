"""The one door for HTML that users write: trainees' answers and instructors'
feedback.

Built on nh3 (Python bindings of the Rust library ammonia). bleach, the
classic choice, announced on 2026-06-05 that it is no longer maintained and
will get no more security fixes; nh3 is its recommended successor. ammonia
parses with a real HTML5 parser (html5ever) and writes a fresh tree, so the
parser-confusion tricks (mXSS, unclosed tags, comment games) come out as
harmless, well-formed markup.

The allow-list is explicit and small: what a written answer needs and nothing
that can run, load or restyle anything. Links keep only an absolute
http/https/mailto href and always get rel="noopener noreferrer nofollow".
"""

import html
import re

import nh3
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "ul",
        "ol",
        "li",
        "blockquote",
        "code",
        "pre",
        "h3",
        "h4",
        "a",
    }
)
# "*" lists the attributes allowed on every tag; left out, nh3 would keep its
# defaults (lang, title) everywhere.
ALLOWED_ATTRIBUTES = {"a": {"href"}, "*": set()}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"
# Dropped with everything inside them, rather than unwrapped to their text:
# their content is code, styling or a foreign (SVG/MathML) document.
DROPPED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "template",
        "noscript",
        "noembed",
        "noframes",
        "textarea",
        "title",
        "xmp",
    }
)

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(ALLOWED_URL_SCHEMES),
    # Relative URLs would point into this site (e.g. at a state-changing URL
    # with the reader's cookies); an answer has no reason to link there.
    url_relative="deny",
    link_rel=LINK_REL,
    strip_comments=True,
)
_BLOCK_TAG = re.compile(r"(?i)<(?:p|br|ul|ol|li|blockquote|pre|h3|h4)[\s/>]")
_TEXT_ONLY = nh3.Cleaner(tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT))
_LINE_END = re.compile(r"(?i)<br\s*/?>|</li>")
_PARAGRAPH_END = re.compile(r"(?i)</(?:p|h3|h4|blockquote|pre|ul|ol)>")


def sanitize_html(html_text: str) -> str:
    """`html_text` reduced to the allow-list. Idempotent: cleaning clean HTML
    returns it unchanged, so stored HTML can be cleaned again when shown."""
    return _CLEANER.clean(html_text or "")


def sanitize_user_input(text: str) -> str:
    """What a <textarea> sent, made safe for storage. Text typed without
    paragraph tags keeps its paragraphs and line breaks (and plain text its
    literal "<"); everything then goes through the allow-list."""
    text = (text or "").strip()
    if not text:
        return ""
    if not nh3.is_html(text):
        text = linebreaks(text, autoescape=True)
    elif not _BLOCK_TAG.search(text):
        # Inline tags only ("a <b>bold</b> word"): the line breaks the writer
        # typed are still the structure. Whatever this adds is cleaned below.
        text = linebreaks(text, autoescape=False)
    cleaned = sanitize_html(text)
    return cleaned if has_visible_text(cleaned) else ""


def has_visible_text(html_text: str) -> bool:
    """Whether the HTML says anything: "<p> </p>" or a lone "<br>" does not."""
    return bool(_TEXT_ONLY.clean(html_text or "").strip())


def html_to_text(html_text: str) -> str:
    """Plain text for e-mails and exports: paragraphs and line breaks kept,
    tags dropped, entities decoded."""
    text = _LINE_END.sub(lambda match: match.group(0) + "\n", html_text or "")
    text = _PARAGRAPH_END.sub(lambda match: match.group(0) + "\n\n", text)
    text = html.unescape(_TEXT_ONLY.clean(text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def safe_markup(html_text: str) -> SafeString:
    """Stored HTML for a template, cleaned again on the way out: a row written
    around the services (the admin, a data migration) still renders safely."""
    # Safe because it was reduced to the allow-list on this very line.
    return mark_safe(sanitize_html(html_text))
