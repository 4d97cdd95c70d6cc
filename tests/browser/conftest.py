"""Browser journeys: Playwright for Python drives Debian's Chromium against
pytest-django's live server (a thread of the test process, on the test
database), through the public pages and the Wagtail admin.

Chromium comes from apt (`.ci/run` installs it in CI), never from Playwright's
own browser download, which cannot reach its servers here. Without Chromium or
Playwright these tests skip with the reason; with CI=true they fail instead.

Screenshots go to var/test-output/screenshots/<journey>-<step>.png; the main
ones are copied by hand to docs/screenshots/ for the README.
"""

import datetime as dt
import json
import os
import shutil
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import timezone

from tests.conftest import skip_or_fail

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails under CI) with why
    expect = None

__all__ = ["expect"]

CHROMIUM = os.environ.get("ACADEMY_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling home, which a
# closed network answers slowly or not at all.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "test-output" / "screenshots"
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
PASSWORD = "correct-horse-battery-2026"


@pytest.fixture
def browser(monkeypatch):
    """A headless Chromium for one test.

    Playwright's sync API keeps an asyncio loop running in this thread while it
    is open, and Django refuses ORM calls under a running loop; the ORM calls
    of these tests are plain synchronous ones, so the check is lifted for the
    test only. A browser per test (about half a second to start) keeps that
    loop from outliving the test.
    """
    if expect is None:
        skip_or_fail("Playwright is not installed: pip install -r requirements-dev.txt")
    from playwright.sync_api import sync_playwright

    chromium = shutil.which(CHROMIUM)
    if chromium is None:
        skip_or_fail(
            f"Chromium is not installed at {CHROMIUM}: "
            "apt-get install chromium (Playwright's browser download is not used)"
        )
    monkeypatch.setenv("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def csp_violations():
    """The Content Security Policy errors the browser console reports in this
    test's pages; the test fails if there are any (a blocked inline script or
    style means a page works differently in the browser than in the test)."""
    violations: list[str] = []

    def listen(page) -> None:
        def on_console(message) -> None:
            if message.type == "error" and "Content Security Policy" in message.text:
                violations.append(f"{page.url}: {message.text}")

        page.on("console", on_console)

    yield listen
    if violations:
        pytest.fail("CSP violations in the browser console:\n" + "\n".join(violations))


@pytest.fixture
def open_at(browser, live_server, csp_violations):
    """`open_at(viewport)` opens a page in a fresh browser context (its own
    cookies: one person) of that size, with the live server as base URL."""
    contexts = []

    def open_page(viewport):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport, locale="en-GB"
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        csp_violations(page)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def new_page(open_at):
    """`new_page()`: a page at the desktop size, VIEWPORT."""
    return lambda: open_at(VIEWPORT)


def screenshot(page, name: str) -> Path:
    """Save what the viewport shows as var/test-output/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def axe_violations(page) -> list[dict]:
    """Run axe-core (vendored from npm, tests/browser/vendor/) in the page and
    return its violations against WCAG 2.1 A and AA."""
    # Evaluated over the DevTools protocol, which the page's CSP does not
    # govern; add_script_tag would add an inline <script> that script-src
    # 'self' blocks.
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => await axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a",
                                             "wcag21aa", "best-practice"]},
            resultTypes: ["violations"],
        })""")
    return result["violations"]


def describe_violations(violations: list[dict]) -> str:
    return json.dumps(
        [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"][:5]],
            }
            for v in violations
        ],
        indent=2,
        ensure_ascii=False,
    )


def log_in_to_site(page, *, email: str, password: str = PASSWORD) -> None:
    page.goto("/account/log-in/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    # Attached, not visible: on a phone the header's menu (and its Log out
    # button) folds away as soon as static/js/site.js runs.
    page.get_by_role("button", name="Log out", include_hidden=True).wait_for(
        state="attached"
    )


def log_in_to_admin(page, *, username: str, password: str = PASSWORD) -> None:
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")


# --- A small academy, made the way the admin and instructors would -----------


def quiz_block() -> dict:
    """Module 1's quiz: two questions, 70% to pass."""
    return {
        "type": "quiz",
        "id": "quiz-architecture",
        "value": {
            "title": "Check: cluster architecture",
            "introduction": "Two questions on what runs where.",
            "pass_mark_percent": 70,
            "attempts_allowed": 3,
            "time_limit_minutes": None,
            "required": True,
            "questions": [
                {
                    "type": "single_choice",
                    "id": "q-scheduler",
                    "value": {
                        "prompt": "Which component assigns pods to nodes?",
                        "options": [
                            {
                                "type": "item",
                                "id": f"o{i}",
                                "value": {"text": text, "correct": correct},
                            }
                            for i, (text, correct) in enumerate(
                                [
                                    ("kube-scheduler", True),
                                    ("kubelet", False),
                                    ("etcd", False),
                                ],
                                start=1,
                            )
                        ],
                        "points": "1",
                    },
                },
                {
                    "type": "true_false",
                    "id": "q-deployment",
                    "value": {
                        "prompt": "A Deployment manages ReplicaSets.",
                        "answer": True,
                        "points": "1",
                    },
                },
            ],
        },
    }


def assignment_block() -> dict:
    return {
        "type": "assignment",
        "id": "assignment-rollout",
        "value": {
            "title": "Plan a zero-downtime rollout",
            "instructions": "<p>Describe how you would roll out a new version.</p>",
            "deadline": None,
            "max_points": "100",
            "accepts": "text",
            "required": True,
        },
    }


@pytest.fixture
def academy(db):
    """A catalogue of three courses in two topics; "Kubernetes in Production"
    has a quiz module, an assignment module and an open run with meetings; a
    member organisation; certificate templates."""
    from certificates.models import CertificateTemplate, Kind
    from courses.models import CoursePage
    from enrolments.models import OrganisationDomain
    from tests.factories import (
        CourseIndexPageFactory,
        CoursePageFactory,
        CourseRunFactory,
        MeetingFactory,
        MembershipPeriodFactory,
        ModulePageFactory,
        OrganisationFactory,
        TopicFactory,
    )

    catalogue = CourseIndexPageFactory(
        intro="Hands-on ICT courses taught by practitioners from the cluster's "
        "member companies."
    )
    cloud = TopicFactory(name="Cloud & DevOps", slug="cloud-devops")
    data = TopicFactory(name="Data & AI", slug="data-ai")
    kubernetes = CoursePageFactory(
        parent=catalogue,
        title="Kubernetes in Production",
        slug="kubernetes-in-production",
        summary="Run containerised services on Kubernetes with confidence: "
        "deployments, networking, storage and safe upgrades.",
        level=CoursePage.Level.INTERMEDIATE,
        language=CoursePage.Language.ENGLISH,
        format=CoursePage.Format.BLENDED,
        duration_hours=Decimal("16"),
        attendance_threshold_percent=75,
        pass_mark_percent=70,
        topics=[cloud],
    )
    CoursePageFactory(
        parent=catalogue,
        title="Python za analizu podataka",
        slug="python-za-analizu-podataka",
        summary="Od tabele do zaključka: pandas i Jupyter na primerima iz prakse.",
        topics=[data],
    )
    CoursePageFactory(
        parent=catalogue,
        title="Kubernetes for Data Teams",
        slug="kubernetes-for-data-teams",
        summary="Notebooks and pipelines on a shared cluster.",
        format=CoursePage.Format.SELF_PACED,
        topics=[data],
    )
    architecture = ModulePageFactory(
        parent=kubernetes,
        title="Cluster architecture",
        slug="cluster-architecture",
        summary="Control plane, nodes, pods and deployments.",
        body=[
            {
                "type": "paragraph",
                "id": "p-1",
                "value": "<p>The API server, the scheduler and the kubelet.</p>",
            },
            quiz_block(),
        ],
    )
    rollouts = ModulePageFactory(
        parent=kubernetes,
        title="Rollouts and upgrades",
        slug="rollouts-and-upgrades",
        summary="Releasing without downtime.",
        body=[assignment_block()],
    )
    today = timezone.localdate()
    run = CourseRunFactory(
        course=kubernetes,
        label="Novi Sad",
        starts_on=today + dt.timedelta(days=14),
        ends_on=today + dt.timedelta(days=21),
        capacity=12,
        location="Klaster akademija, Bulevar cara Lazara 7, Novi Sad",
    )
    for day in (0, 7):
        MeetingFactory(run=run, date=run.starts_on + dt.timedelta(days=day))
    member = MembershipPeriodFactory(
        organisation=OrganisationFactory(name="Panonija Soft d.o.o.")
    ).organisation
    # Its staff who confirm an address on its domain are confirmed at once.
    OrganisationDomain.objects.create(
        organisation=member, domain="panonijasoft.example"
    )
    for kind in (Kind.COMPLETION, Kind.ATTENDANCE):
        CertificateTemplate.objects.get_or_create(
            kind=kind,
            audience=CertificateTemplate.Audience.ANY,
            defaults={
                "name": f"{Kind(kind).label} (any)",
                "language": CertificateTemplate.Language.ENGLISH,
            },
        )
    return SimpleNamespace(
        catalogue=catalogue,
        course=kubernetes,
        modules=[architecture, rollouts],
        run=run,
        member=member,
    )
