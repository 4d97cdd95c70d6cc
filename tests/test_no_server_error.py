"""No server error anywhere: with the demo academy loaded, and a quiz taken
and an assignment handed in through the real forms, a crawler follows every
same-site link from the home page, My learning, the teaching pages, "Your
data" (page and JSON) and the admin as a visitor, a trainee, an instructor,
an academy admin and the superuser (GET only, bounded: tests/crawler.py), and
submits every GET form it meets with bad values in each field. Every answer
of 500 or above, and every exception a view raises, is collected; the test
fails once with the list. Runs on SQLite and on PostgreSQL.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from academy_site.demo.people import ADMIN, DJORDJE, OFFICE
from courses.models import ModulePage
from enrolments.models import AssignmentSubmission, Enrolment, QuizAttempt
from tests.crawler import Crawl, parse
from tests.demo import demo_academy_for_module

INSTRUCTOR = "milica@academy.local"
QUIZ = "demo-quiz-python-1"
ASSIGNMENT = "demo-assignment-k8s-1"

# Pages per part of the site and forms per role: enough to reach every kind
# of page the demo has, few enough for about a minute per database.
PUBLIC_PAGES = 20
ADMIN_PAGES = 35
FORMS = 8


def module_with(block_id: str, kind: str) -> ModulePage:
    return next(
        module
        for module in ModulePage.objects.all()
        if module.assessment_block(block_id, kind) is not None
    )


def post_form(client: Client, url: str, answers: dict | None = None):
    """Submit the page's own POST form (not the log-out or language one) with
    its fields as shown, then `answers`."""
    page = parse(client.get(url).content.decode())
    form = next(
        f
        for f in page.forms
        if f.method == "post" and f.action in ("", url) and "language" not in f.fields
    )
    return client.post(url, {**form.fields, **(answers or {})})


def take_quiz(client: Client, enrolment: Enrolment) -> QuizAttempt:
    module = module_with(QUIZ, "quiz")
    started = post_form(client, reverse("learning:quiz", args=[module.pk, QUIZ]))
    assert started.status_code == 302, started.status_code
    attempt_url = started["Location"]
    # The parser picks the first option of each question, as a guess would.
    submitted = post_form(client, attempt_url)
    assert submitted.status_code in (200, 302), submitted.status_code
    return QuizAttempt.objects.get(
        enrolment__trainee=enrolment.trainee, quiz_id=QUIZ, submitted_at__isnull=False
    )


def hand_in(client: Client, module: ModulePage) -> AssignmentSubmission:
    url = reverse("learning:assignment", args=[module.pk, ASSIGNMENT])
    response = post_form(
        client, url, {"text": "Rolling update, readiness probes <b>and</b> a canary."}
    )
    assert response.status_code in (200, 302), response.status_code
    return AssignmentSubmission.objects.get(
        assignment_id=ASSIGNMENT, text_html__contains="canary"
    )


@pytest.fixture(scope="module")
def demo_studied(django_db_setup, django_db_blocker):
    """The demo academy, in which the demo trainee took a quiz and a trainee
    of the same run handed in an assignment through the forms (the demo
    trainee's own work on it is graded already, so cannot be replaced).
    Emptied afterwards as tests/academy_site/test_demo_academy.py does."""
    with demo_academy_for_module(django_db_blocker):
        with django_db_blocker.unblock():
            users = get_user_model().objects
            trainee = Client()
            trainee.force_login(users.get(username=DJORDJE))
            enrolment = Enrolment.objects.filter(
                trainee__user__username=DJORDJE, status=Enrolment.Status.CONFIRMED
            ).first()
            assert take_quiz(trainee, enrolment).answers
            module = module_with(ASSIGNMENT, "assignment")
            classmate = (
                Enrolment.objects.filter(
                    course_id=module.get_parent().pk, status=Enrolment.Status.CONFIRMED
                )
                .exclude(submissions__assignment_id=ASSIGNMENT)
                .select_related("trainee__user")
                .first()
            )
            other = Client()
            other.force_login(classmate.trainee.user)
            assert hand_in(other, module).enrolment_id == classmate.pk
        yield


def client_as(username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


ROLES = {
    "visitor": None,
    "trainee": DJORDJE,
    "instructor": INSTRUCTOR,
    "academy admin": OFFICE["username"],
    "superuser": ADMIN["username"],
}


def test_no_page_or_get_form_answers_a_server_error(demo_studied, db, capsys):
    public = [
        "/",
        reverse("learning:home"),
        reverse("teaching:runs"),
        reverse("accounts:data"),
        reverse("accounts:data_json"),
    ]
    crawls = []
    forms = set()
    for role, username in ROLES.items():
        crawl = Crawl(role, client_as(username), max_forms=FORMS, seen_forms=forms)
        crawl.run(public, within="/(?!admin/)", max_pages=PUBLIC_PAGES)
        crawl.run(["/admin/"], within="/admin/", max_pages=ADMIN_PAGES)
        crawls.append(crawl)

    with capsys.disabled():
        print()
        for crawl in crawls:
            print(
                f"  {crawl.role:14} {crawl.pages:3} pages, "
                f"{len(crawl.forms):2} forms, {crawl.submissions:4} submissions, "
                f"{crawl.seconds:5.1f} s"
            )
            print("     forms:", " ".join(crawl.forms))
    failures = [failure for crawl in crawls for failure in crawl.failures]
    assert not failures, "Server errors:\n" + "\n".join(map(str, failures))
