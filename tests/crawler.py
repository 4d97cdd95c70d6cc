"""A bounded crawler for the test client: follows same-site links
breadth-first with GET only, submits every GET form it meets with bad values,
and collects every answer of 500 or above (and every exception the view
raised) instead of stopping at the first. Used by tests/test_no_server_error.py.

Bounds: one URL per shape (numbers in the path become one placeholder and
the query's values are ignored, so 300 trainees' pages cost one visit), at
most `max_pages` pages from each set of start pages, one set of submissions
per form shape (across the crawls given the same `seen_forms`) and
`max_forms` forms per crawl.
"""

import re
import time
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.test import Client

# Values a visitor might type into any field: words where ids are expected,
# numbers no database integer holds, impossible dates, quotes, angle
# brackets and control characters.
BAD_VALUES = [
    "abc",
    "99999999999999999999999",
    "-99999999999999999999999",
    "2026-02-31",
    "'\"<script>",
    "\x00\x07\x1b",
]

# Not followed: logging out would end the crawl's session; the rest change
# things or stream large files (GET views should not change anything, but a
# crawler is not the place to find out).
SKIPPED = re.compile(
    r"log-?out|/delete|/erase|/revoke|/reissue|/retry|/unpublish|/lock|/unlock"
    r"|/copy|/move|/convert_alias|/revisions/.+/(revert|unschedule)|/disable"
    r"|\.zip$|\.xlsx$|/download|/file/|/documents/.+/original|export=xlsx"
    r"|/admin/images/\d+/generate_url|/sprite|/jsi18n|/static/|/media/",
    re.IGNORECASE,
)
URL_IN_JSON = re.compile(r'(?:"|&quot;)url(?:"|&quot;):\s*(?:"|&quot;)(/[^"&\s]*)')


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> first value


class PageParser(HTMLParser):
    """The links (<a href>, and the admin menu's URLs in its JSON) and the
    forms of a page, with each field's first or selected value."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            method = attrs.get("method", "get").lower()
            self._form = Form(action=attrs.get("action", ""), method=method)
            self.forms.append(self._form)
        elif self._form is not None and attrs.get("name"):
            name = attrs["name"]
            if tag == "input" and attrs.get("type") not in ("submit", "button"):
                if attrs.get("type") in ("radio", "checkbox"):
                    if "checked" in attrs or name not in self._form.fields:
                        self._form.fields[name] = attrs.get("value", "on")
                else:
                    self._form.fields.setdefault(name, attrs.get("value", ""))
            elif tag == "select":
                self._select = name
                self._form.fields.setdefault(name, "")
            elif tag == "textarea":
                self._form.fields.setdefault(name, "")
        if tag == "option" and self._form is not None and self._select:
            if "selected" in attrs:
                self._form.fields[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.links.extend(unescape(url) for url in URL_IN_JSON.findall(html))
    return parser


def shape(url: str) -> str:
    """The URL with its numbers replaced and its query reduced to the names."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$|\.)", "/#", parts.path)
    names = sorted({name for name, _ in parse_qsl(parts.query, True)})
    return f"{path}?{'&'.join(names)}"


@dataclass
class Failure:
    role: str
    url: str
    status: int | str

    def __str__(self):
        return f"{self.role:14} {self.status!s:70.70} {self.url!r}"


@dataclass
class Crawl:
    """One role's crawl. `client` is logged in (or not) as the role."""

    role: str
    client: Client
    max_forms: int = 12
    failures: list[Failure] = field(default_factory=list)
    pages: int = 0
    submissions: int = 0
    seconds: float = 0.0
    # Shared between the roles' crawls to submit a form once in all: the
    # same filter form shown to three roles fails (or not) the same way.
    seen_forms: set = field(default_factory=set)
    forms: list[str] = field(default_factory=list)  # the paths of those submitted
    _seen_shapes: set = field(default_factory=set)
    _forms: int = 0

    def run(self, start_urls: list[str], *, within: str, max_pages: int) -> "Crawl":
        """Crawl the part of the site whose paths match `within` (a regular
        expression) from `start_urls`, until `max_pages` more pages are seen;
        again for another part, skipping what was seen."""
        began = time.monotonic()
        queue = list(start_urls)
        visited = 0
        while queue and visited < max_pages:
            url = queue.pop(0)
            if self._should_skip(url) or not re.match(within, url):
                continue
            self._seen_shapes.add(shape(url))
            response = self._get(url)
            self.pages += 1
            visited += 1
            if response is None:
                continue
            if response.status_code in (301, 302, 303, 307, 308):
                queue.append(urljoin(url, response["Location"]))
                continue
            if "html" not in response.get("Content-Type", ""):
                continue
            page = parse(response.content.decode("utf-8", "replace"))
            queue.extend(self._same_site(url, link) for link in page.links)
            for form in page.forms:
                if form.method == "get":
                    self._submit(url, form)
        self.seconds += time.monotonic() - began
        return self

    def _should_skip(self, url: str | None) -> bool:
        return (
            url is None or bool(SKIPPED.search(url)) or shape(url) in self._seen_shapes
        )

    @staticmethod
    def _same_site(base: str, link: str) -> str | None:
        url = urljoin(base, link.strip())
        parts = urlsplit(url)
        if parts.scheme not in ("", "http", "https") or parts.netloc not in (
            "",
            "testserver",
        ):
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def _get(self, url: str):
        try:
            response = self.client.get(url)
        except Exception as error:  # the view raised: that is a 500 for a user
            status = f"{type(error).__name__}: {error}"
            self.failures.append(Failure(self.role, url, status))
            return None
        if response.status_code >= 500:
            self.failures.append(Failure(self.role, url, response.status_code))
        return response

    def _submit(self, page_url: str, form: Form) -> None:
        action = self._same_site(page_url, form.action or page_url)
        if action is None or SKIPPED.search(action) or not form.fields:
            return
        key = (shape(action).split("?")[0], tuple(sorted(form.fields)))
        if key in self.seen_forms or self._forms >= self.max_forms:
            return
        self.seen_forms.add(key)
        self._forms += 1
        self.forms.append(key[0])
        path = action.split("?")[0]
        for name in form.fields:
            for value in BAD_VALUES:
                data = {**form.fields, name: value}
                self._get(f"{path}?{urlencode(data)}")
                self.submissions += 1
