"""A visitor becomes a trainee, in Chromium against the live site: finds a
course in the catalogue by search and filter, signs up as the employee of a
member organisation, confirms the address from the e-mail, enrols, studies a
module, passes its quiz and hands in an assignment."""

import re

import pytest
from django.contrib.auth import get_user_model

from enrolments.models import AssignmentSubmission, Enrolment, QuizAttempt
from tests.browser.conftest import PASSWORD, expect, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "jovana.jovanovic@panonijasoft.example"


def confirmation_path(mailoutbox, email: str) -> str:
    """The path of the confirmation link e-mailed to `email`."""
    [message] = [m for m in mailoutbox if m.to == [email]]
    link = re.search(r"https?://[^/\s]+(/[a-z-]+/account/confirm/\S+/)", message.body)
    assert link, message.body
    return link.group(1)


def test_visitor_finds_a_course_signs_up_enrols_studies_and_hands_in_work(
    new_page, academy, mailoutbox
):
    page = new_page()

    # The catalogue: search for "Kubernetes", then narrow to one topic.
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Courses"
    ).click()
    expect(page.get_by_role("heading", name="3 courses")).to_be_visible()
    screenshot(page, "trainee-1-catalogue")
    filters = page.get_by_role("search", name="Filter courses")
    filters.get_by_label("Search courses").fill("Kubernetes")
    filters.get_by_label("Search courses").press("Enter")
    expect(
        page.get_by_role("heading", name=re.compile("^2 courses matching"))
    ).to_be_visible()
    # A filter applies as soon as it is chosen.
    filters.get_by_label("Topic").select_option(label="Cloud & DevOps")
    expect(
        page.get_by_role("heading", name=re.compile("^1 course matching"))
    ).to_be_visible()
    results = page.get_by_role("article")
    expect(results).to_have_count(1)
    expect(results.get_by_role("heading")).to_have_text("Kubernetes in Production")
    screenshot(page, "trainee-2-catalogue-search")

    # The course page, then sign-up from its run.
    results.get_by_role("link", name="Kubernetes in Production").click()
    expect(
        page.get_by_role("heading", name="Kubernetes in Production", level=1)
    ).to_be_visible()
    expect(page.get_by_role("region", name="Course outline")).to_contain_text(
        "Cluster architecture"
    )
    screenshot(page, "trainee-3-course-page")
    page.get_by_role("region", name="Dates").get_by_role("link", name="sign up").click()

    expect(page.get_by_role("heading", name="Sign up")).to_be_visible()
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Full name").fill("Jovana Jovanović")
    page.get_by_label("Organisation").select_option(label="Panonija Soft d.o.o.")
    page.get_by_label("Preferred language").select_option(index=0)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    screenshot(page, "trainee-4-sign-up")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url("**/account/sign-up/done/")

    # The confirmation link from the e-mail (the live server runs in this
    # process, so its mail lands in the locmem outbox); its button activates
    # the account and logs the trainee in.
    page.goto(confirmation_path(mailoutbox, EMAIL))
    page.get_by_role("button", name="Confirm my address").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert get_user_model().objects.get(email=EMAIL).is_active

    # Enrol in the run: the member organisation gives the member price.
    page.goto(academy.course.url)
    page.get_by_role("region", name="Dates").get_by_role("button", name="Enrol").click()
    # The confirmation says the price before anything is at stake.
    expect(
        page.get_by_text("The member price, as staff of Panonija Soft d.o.o.")
    ).to_be_visible()
    page.get_by_role("button", name="Confirm enrolment").click()
    page.wait_for_url("**/learning/")
    enrolment = Enrolment.objects.get(trainee__user__email=EMAIL)
    assert enrolment.status == Enrolment.Status.CONFIRMED
    assert enrolment.is_member is True
    course_card = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Kubernetes in Production")
    )
    expect(course_card).to_contain_text("member price")

    # Study module 1 and pass its quiz.
    course_card.get_by_role("link", name="Kubernetes in Production").click()
    page.get_by_role("region", name="Course outline").get_by_role(
        "link", name="Cluster architecture"
    ).click()
    expect(
        page.get_by_role("heading", name="Cluster architecture", level=1)
    ).to_be_visible()
    page.get_by_role("link", name="Open the quiz").click()
    page.get_by_role("button", name="Start attempt").click()
    page.get_by_role("group", name=re.compile("assigns pods to nodes")).get_by_label(
        "kube-scheduler"
    ).check()
    page.get_by_role("group", name=re.compile("manages ReplicaSets")).get_by_label(
        "True"
    ).check()
    screenshot(page, "trainee-5-quiz")
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text(re.compile("passed", re.I)).first).to_be_visible()
    screenshot(page, "trainee-6-quiz-result")
    attempt = QuizAttempt.objects.get(enrolment=enrolment)
    assert attempt.passed is True

    # Passing the quiz finished the module; the next one has the assignment.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Cluster architecture", exact=True
    ).click()
    expect(page.get_by_text("You finished this module.")).to_be_visible()
    page.get_by_role("navigation", name="Previous and next module").get_by_role(
        "link", name=re.compile("Rollouts and upgrades")
    ).click()
    expect(
        page.get_by_role("heading", name="Rollouts and upgrades", level=1)
    ).to_be_visible()
    page.get_by_role("link", name="Hand in your work").click()
    page.get_by_label("Your answer").fill(
        "Rolling update with maxUnavailable 0, readiness probes and a canary."
    )
    page.get_by_role("button", name="Hand in").click()
    expect(page.get_by_text("Not graded yet.")).to_be_visible()
    assert AssignmentSubmission.objects.filter(enrolment=enrolment).count() == 1

    # My learning shows the course and its progress.
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="My learning"
    ).click()
    expect(page.get_by_role("heading", name="My learning", level=1)).to_be_visible()
    expect(
        page.get_by_role("region", name="Current courses").get_by_role("progressbar")
    ).to_be_visible()
    screenshot(page, "trainee-7-my-learning")
