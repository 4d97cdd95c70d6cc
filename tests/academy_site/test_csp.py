"""The Content-Security-Policy (academy_site/security.py) and the public
templates it relies on: every public page type answers with the strict policy
and holds no inline script, event handler or style attribute, which the policy
would block in the browser."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from enrolments.models import Enrolment
from enrolments.services import enrolment_create
from tests.certificates.factories import issued_certificate
from tests.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    CourseRunFactory,
    InstructorFactory,
    MeetingFactory,
    ModulePageFactory,
    TraineeProfileFactory,
    UserFactory,
    home_page,
    today,
)

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"
PUBLIC_DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "frame-src https://www.youtube-nocookie.com https://player.vimeo.com",
]
# <script type="application/json"> (json_script) is data: the browser never runs it.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class InlineCodeFinder(HTMLParser):
    """Collects what a strict CSP blocks: inline scripts, <style> elements,
    style attributes, on* handlers and javascript: URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler")
            if name == "style":
                self.problems.append(f'<{tag} style="{value}"> style attribute')
            if name in {"href", "src", "action", "formaction"} and (
                (value or "").strip().lower().startswith("javascript:")
            ):
                self.problems.append(f"<{tag} {name}={value!r}> javascript: URL")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            kind = (attributes.get("type") or "").lower()
            self._in_script = not attributes.get("src") and (
                kind not in DATA_SCRIPT_TYPES
            )

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:60]!r}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def quiz_block() -> dict:
    return {
        "type": "quiz",
        "id": "quiz-1",
        "value": {
            "title": "Check",
            "introduction": "One question.",
            "pass_mark_percent": 50,
            "attempts_allowed": 3,
            "time_limit_minutes": 10,
            "required": True,
            "questions": [
                {
                    "type": "true_false",
                    "id": "q1",
                    "value": {
                        "prompt": "HTTPS encrypts.",
                        "answer": True,
                        "points": "1",
                    },
                }
            ],
        },
    }


def assignment_block() -> dict:
    return {
        "type": "assignment",
        "id": "a-1",
        "value": {
            "title": "Essay",
            "instructions": "<p>Write about Kubernetes.</p>",
            "deadline": None,
            "max_points": "100",
            "accepts": "both",
            "required": True,
        },
    }


@pytest.fixture
def site(django_capture_on_commit_callbacks):
    """A catalogue with a course whose module has every kind of block, a run
    with a meeting open for check-in now, an enrolled trainee with an issued
    certificate, and the run's instructor."""
    catalogue = CourseIndexPageFactory()
    course = CoursePageFactory(parent=catalogue, title="Kubernetes")
    module = ModulePageFactory(
        parent=course,
        title="Deployments",
        body=[
            {"type": "heading", "id": "h", "value": {"text": "Intro", "level": "h2"}},
            {"type": "paragraph", "id": "p", "value": "<p>The <b>scheduler</b>.</p>"},
            {
                "type": "video",
                "id": "v",
                "value": {
                    "url": "https://youtu.be/dQw4w9WgXcQ",
                    "title": "A talk",
                    "caption": "",
                },
            },
            quiz_block(),
            assignment_block(),
        ],
    )
    run = CourseRunFactory(
        course=course,
        starts_on=today() - dt.timedelta(days=1),
        ends_on=today() + dt.timedelta(days=5),
        enrolment_closes_on=today() + dt.timedelta(days=5),
    )
    start = timezone.localtime() - dt.timedelta(minutes=5)
    meeting = MeetingFactory(
        run=run,
        date=start.date(),
        start_time=start.time().replace(microsecond=0),
        duration_minutes=120,
    )
    trainee = TraineeProfileFactory()
    enrolment = enrolment_create(trainee=trainee, run=run)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        seat_since=timezone.now() - dt.timedelta(days=3)
    )
    certificate = issued_certificate(
        django_capture_on_commit_callbacks, catalogue, trainee=trainee
    )
    teacher = UserFactory()
    run.instructors.add(InstructorFactory(user=teacher))
    run.save()  # as the admin form does: saving grants the teaching group
    return {
        "catalogue": catalogue,
        "course": course,
        "module": module,
        "run": run,
        "meeting": meeting,
        "trainee": trainee,
        "certificate": certificate,
        "teacher": teacher,
    }


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def public_pages(site) -> dict[str, tuple[str, str]]:
    """Page type -> (who, URL) for every kind of public page."""
    module, run, meeting = site["module"], site["run"], site["meeting"]
    certificate: Certificate = site["certificate"]
    return {
        "home": ("anonymous", home_page().url),
        "catalogue": ("anonymous", site["catalogue"].url),
        "course page": ("anonymous", site["course"].url),
        "module page": ("trainee", module.url),
        "my learning": ("trainee", reverse("learning:home")),
        "check-in": ("trainee", reverse("learning:check_in", args=[meeting.pk])),
        "quiz": ("trainee", reverse("learning:quiz", args=[module.pk, "quiz-1"])),
        "assignment": (
            "trainee",
            reverse("learning:assignment", args=[module.pk, "a-1"]),
        ),
        "verification form": ("anonymous", reverse("certificates:verify_upload")),
        "verification": (
            "anonymous",
            reverse("certificates:verify", args=[certificate.verification_code]),
        ),
        "unknown certificate": (
            "anonymous",
            reverse("certificates:verify", args=["no-such-code-0123456789"]),
        ),
        "sign up": ("anonymous", reverse("accounts:sign_up")),
        "log in": ("anonymous", reverse("accounts:log_in")),
        "password reset": ("anonymous", reverse("accounts:password_reset")),
        "confirm resend": ("anonymous", reverse("accounts:confirm_resend")),
        "profile": ("trainee", reverse("accounts:profile")),
        "password change": ("trainee", reverse("accounts:password_change")),
        "your data": ("trainee", reverse("accounts:data")),
        "my runs": ("teacher", reverse("teaching:runs")),
        "run overview": ("teacher", reverse("teaching:run_overview", args=[run.pk])),
        "gradebook": ("teacher", reverse("teaching:gradebook", args=[run.pk])),
        "register": ("teacher", reverse("teaching:register", args=[meeting.pk])),
        "check-in display": (
            "teacher",
            reverse("teaching:check_in_display", args=[meeting.pk]),
        ),
        "sign-in sheet": (
            "teacher",
            reverse("teaching:sign_in_sheet", args=[meeting.pk]),
        ),
        "not found": ("anonymous", "/en/no-such-page/"),
    }


def test_every_public_page_type_has_the_policy_and_no_inline_code(site):
    clients = {
        "anonymous": Client(),
        "trainee": logged_in(site["trainee"].user),
        "teacher": logged_in(site["teacher"]),
    }
    failures = {}
    for page_type, (who, url) in public_pages(site).items():
        response = clients[who].get(url)
        expected_status = (
            404 if page_type in {"not found", "unknown certificate"} else 200
        )
        problems = []
        if response.status_code != expected_status:
            problems.append(f"status {response.status_code} at {url}")
        policy = response.get(HEADER, "")
        problems += [
            f"policy lacks {d!r}" for d in PUBLIC_DIRECTIVES if d not in policy
        ]
        problems += inline_code(response.content.decode())
        if problems:
            failures[page_type] = problems
    assert not failures, (
        "Move inline scripts to static/js/ and styles to static/css/ "
        f"(the CSP blocks them): {failures}"
    )


def test_the_check_in_qr_code_is_drawn_with_attributes_only(site):
    page = logged_in(site["teacher"]).get(
        reverse("teaching:check_in_display", args=[site["meeting"].pk])
    )
    html = page.content.decode()
    assert "<svg" in html
    assert inline_code(html) == []


def test_the_video_frame_host_is_the_one_the_policy_allows(site):
    trainee = logged_in(site["trainee"].user)
    html = trainee.get(site["module"].url).content.decode()
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html


def test_a_view_that_sets_its_own_policy_keeps_it(site):
    trainee = logged_in(site["trainee"].user)
    response = trainee.get(
        reverse("certificates:download", args=[site["certificate"].pk])
    )
    assert response.status_code == 200
    assert response[HEADER] == "default-src 'none'"


def test_the_admin_gets_the_policy_parts_its_inline_scripts_survive(admin_client):
    response = admin_client.get("/admin/")
    policy = response[HEADER]
    assert "object-src 'none'" in policy
    assert "base-uri 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    # Wagtail 8's admin has inline <script> in its widgets: no script-src here.
    assert "script-src" not in policy


def test_the_admin_preview_may_be_framed_by_the_admin_only(admin_client, site):
    module = site["module"]
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[module.pk])
    response = admin_client.get(url)
    assert "frame-ancestors 'self'" in response[HEADER]


def test_https_upgrade_is_asked_only_where_the_site_redirects_to_https(
    client, settings
):
    settings.SECURE_SSL_REDIRECT = False
    assert "upgrade-insecure-requests" not in client.get("/en/account/log-in/")[HEADER]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/en/account/log-in/", secure=True)
    assert "upgrade-insecure-requests" in response[HEADER]
