"""Everyday pages at the sizes people use them: a trainee on a phone
(390×844) on the morning of a meeting (My learning puts today's meeting
first, checking in says when and how it counted, the module and the
enrolment confirmation fit the screen), and an academy admin's report on a
1366-pixel laptop (no label cut off, no table past the edge).

The clock is fixed at 11:03 in Belgrade on a meeting day (time-machine moves
the live server's thread too); Chromium's own clock is not used."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from enrolments import checkin_codes
from enrolments.models import Enrolment
from enrolments.services import enrolment_cancel, enrolment_create
from tests.browser.conftest import expect, log_in_to_admin, log_in_to_site, screenshot
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    MeetingFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
BELGRADE = ZoneInfo("Europe/Belgrade")
MEETING_DAY = dt.date(2026, 12, 3)
TRAINEE_EMAIL = "milica.trainee@example.rs"
PASSWORD = "correct-horse-battery-2026"


def fits_the_width(page) -> None:
    """Nothing makes the page scroll sideways."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


@pytest.fixture
def meeting_morning(academy, time_machine):
    """11:03 on the day of a 10:45 meeting of the Kubernetes run the trainee
    is in, and a Python run starting in three weeks they are in too."""
    time_machine.move_to(dt.datetime(2026, 12, 3, 11, 3, tzinfo=BELGRADE), tick=True)
    run = academy.run
    run.starts_on, run.ends_on = MEETING_DAY, MEETING_DAY + dt.timedelta(days=7)
    run.enrolment_opens_on = MEETING_DAY - dt.timedelta(days=30)
    run.enrolment_closes_on = MEETING_DAY + dt.timedelta(days=1)
    run.save()
    run.meetings.all().delete()
    meeting = MeetingFactory(run=run, date=MEETING_DAY, start_time=dt.time(10, 45))
    later = CourseRunFactory(
        course=CoursePageFactory.create(
            parent=academy.catalogue,
            title="Git i CI/CD za timove",
            slug="git-i-ci-cd",
            price_member=Decimal("12000"),
            price_non_member=Decimal("20000"),
        ),
        starts_on=MEETING_DAY + dt.timedelta(days=21),
        ends_on=MEETING_DAY + dt.timedelta(days=23),
        enrolment_opens_on=MEETING_DAY - dt.timedelta(days=10),
        enrolment_closes_on=MEETING_DAY + dt.timedelta(days=18),
    )
    trainee = TraineeProfileFactory(
        full_name="Milica Jovanović",
        user=UserFactory(username=TRAINEE_EMAIL, email=TRAINEE_EMAIL),
    )
    enrolment = enrolment_create(trainee=trainee, run=later)  # enrolled first
    enrolment = enrolment_create(trainee=trainee, run=run)
    Enrolment.objects.filter(trainee=trainee).update(
        seat_since=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    )
    return {"meeting": meeting, "later": later, "enrolment": enrolment}


def test_a_trainee_on_a_phone_checks_in_and_studies(open_at, academy, meeting_morning):
    page = open_at(PHONE)
    log_in_to_site(page, email=TRAINEE_EMAIL)
    page.goto("/learning/")

    # Today's meeting comes first, with the check-in at hand.
    first = page.locator(".enrolment").first
    expect(first).to_contain_text("Kubernetes in Production")
    check_in = first.get_by_role("link", name="Check in now")
    expect(check_in).to_be_visible()
    fits_the_width(page)

    check_in.click()
    meeting = meeting_morning["meeting"]
    code = checkin_codes.code_for(meeting.pk, checkin_codes.current_step())
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Check in").click()
    expect(page.get_by_text("Checked in at 11:03 (late)").first).to_be_visible()
    fits_the_width(page)

    page.goto("/learning/")
    first = page.locator(".enrolment").first
    expect(first).to_contain_text("Checked in at 11:03 (late)")
    expect(first.get_by_role("link", name="Check in now")).to_have_count(0)
    screenshot(page, "mobile-my-learning")

    # The same on a desktop, for the README.
    desktop = open_at({"width": 1280, "height": 800})
    log_in_to_site(desktop, email=TRAINEE_EMAIL)
    desktop.goto("/learning/")
    expect(desktop.get_by_text("Checked in at 11:03 (late)").first).to_be_visible()
    screenshot(desktop, "my-learning-today")

    first.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cluster architecture")
    fits_the_width(page)

    # Enrolling elsewhere shows the price and the dates before anything is
    # taken, on the small screen too.
    page.goto(meeting_morning["later"].course.url)
    page.get_by_role("link", name="Enrol").first.click()
    expect(page.get_by_text("20,000 RSD").first).to_be_visible()
    fits_the_width(page)


def test_a_report_fits_a_laptop_and_no_label_is_cut(open_at, academy):
    CoursePageFactory(
        parent=academy.catalogue,
        title="Основе сајбер безбедности за запослене у малим предузећима",
        slug="osnove-sajber-bezbednosti",
    )
    for number, course in enumerate(academy.catalogue.get_children().specific()):
        if not hasattr(course, "price_member"):
            continue
        run = CourseRunFactory(course=course)
        for person in range(number + 1):
            enrolment_create(
                trainee=TraineeProfileFactory(
                    user=UserFactory(email=f"r{number}-{person}@example.rs")
                ),
                run=run,
            )
    get_user_model().objects.create_superuser(
        username="admin", email="admin@example.rs", password=PASSWORD
    )
    page = open_at(LAPTOP)
    log_in_to_admin(page, username="admin")
    page.goto("/admin/academy-reports/enrolments-by-course/")
    expect(page.locator(".report-chart")).to_be_visible()

    fits_the_width(page)
    labels = page.locator(".report-chart__label")
    assert labels.count() >= 4
    for index in range(labels.count()):
        box = labels.nth(index).bounding_box()
        chart = page.locator(".report-chart__svg").bounding_box()
        assert box["x"] >= chart["x"] - 1, labels.nth(index).text_content()
    table = page.locator(".report__table-wrapper").bounding_box()
    assert table["x"] + table["width"] <= LAPTOP["width"]
    screenshot(page, "laptop-report")


def test_a_seat_offered_on_a_phone_is_accepted_from_my_learning(
    open_at, academy, time_machine
):
    """A seat frees up in a full run: the first on the waitlist finds the
    offer at the top of My learning with its deadline, reads it, accepts."""
    time_machine.move_to(dt.datetime(2026, 12, 3, 18, 0, tzinfo=BELGRADE), tick=True)
    run = CourseRunFactory(
        course=academy.run.course,
        capacity=1,
        starts_on=dt.date(2026, 12, 21),
        ends_on=dt.date(2026, 12, 22),
        enrolment_opens_on=dt.date(2026, 11, 20),
        enrolment_closes_on=dt.date(2026, 12, 18),
    )
    holder = enrolment_create(trainee=TraineeProfileFactory(), run=run)
    trainee = TraineeProfileFactory(
        full_name="Teodora Ćirić",
        user=UserFactory(username=TRAINEE_EMAIL, email=TRAINEE_EMAIL),
    )
    waiting = enrolment_create(trainee=trainee, run=run)
    enrolment_cancel(enrolment=holder)
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.OFFERED

    page = open_at(PHONE)
    log_in_to_site(page, email=TRAINEE_EMAIL)
    page.goto("/learning/")
    first = page.locator(".enrolment").first
    expect(first).to_contain_text(
        "A seat freed up and is held for you until 5 December 2026, 18:00."
    )
    fits_the_width(page)
    first.get_by_role("link", name="Details, or decline").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("is yours if you want")
    expect(page.get_by_text("Your place is confirmed at once")).to_be_visible()
    fits_the_width(page)
    screenshot(page, "mobile-seat-offer")

    page.get_by_role("button", name="Accept the seat").click()
    expect(page.get_by_text("The seat is yours").first).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.CONFIRMED
