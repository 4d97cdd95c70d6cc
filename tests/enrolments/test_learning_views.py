"""Enrolling from the course page, My learning, cancelling and the calendar file,
as a trainee does it, including the requests a trainee should not get away with."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import CourseRun
from courses.templatetags.course_tags import rsd
from enrolments.models import Enrolment
from enrolments.services import enrolment_create
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    MeetingFactory,
    TraineeProfileFactory,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainee():
    return TraineeProfileFactory(full_name="Јована Јовановић")


@pytest.fixture
def trainee_client(client, trainee):
    client.force_login(trainee.user)
    return client


@pytest.fixture
def run(catalogue):
    run = CourseRunFactory(
        course=CoursePageFactory(parent=catalogue, title="Kubernetes"), capacity=3
    )
    MeetingFactory(run=run, start_time=dt.time(17, 30))
    return run


def test_trainee_enrols_from_the_course_page(trainee_client, trainee, run):
    page = trainee_client.get(run.course.url).content.decode()
    assert reverse("learning:enrol_run", args=[run.pk]) in page

    response = trainee_client.post(
        reverse("learning:enrol_run", args=[run.pk]), follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("learning:home")
    assert "You are enrolled in Kubernetes" in response.content.decode()
    assert Enrolment.objects.get().trainee == trainee
    page = trainee_client.get(run.course.url).content.decode()
    assert "You: Confirmed" in page


def test_anonymous_visitor_is_asked_to_log_in(client, run):
    page = client.get(run.course.url).content.decode()
    assert "Log in to enrol" in page
    # Both ways in lead back to this course page.
    path = run.course.url
    assert f'{reverse("accounts:sign_up")}?next={path}"' in page
    assert f'{reverse("accounts:log_in")}?next={path}"' in page
    response = client.post(reverse("learning:enrol_run", args=[run.pk]))
    assert response.status_code == 302 and "log-in" in response["Location"]
    assert not Enrolment.objects.exists()


def test_enrolling_in_a_closed_run_shows_why_and_changes_nothing(
    trainee_client, catalogue
):
    past = CourseRunFactory(
        course=CoursePageFactory(parent=catalogue),
        starts_on=today() - dt.timedelta(days=10),
        ends_on=today() - dt.timedelta(days=9),
    )
    response = trainee_client.post(
        reverse("learning:enrol_run", args=[past.pk]), follow=True
    )
    assert "Enrolment for this run is closed." in response.content.decode()
    assert not Enrolment.objects.exists()


def test_enrolling_twice_says_so(trainee_client, run):
    url = reverse("learning:enrol_run", args=[run.pk])
    trainee_client.post(url)
    response = trainee_client.post(url, follow=True)
    assert "You are already enrolled" in response.content.decode()
    assert Enrolment.objects.count() == 1
    assert CourseRun.objects.get(pk=run.pk).seats_taken == 1


def test_a_tampered_run_id_is_not_found(trainee_client):
    assert (
        trainee_client.post(reverse("learning:enrol_run", args=[999999])).status_code
        == 404
    )


def test_enrolling_is_asked_once_and_needs_a_post_with_the_csrf_token(trainee, run):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(trainee.user)
    url = reverse("learning:enrol_run", args=[run.pk])
    # GET only shows what enrolling means; it writes nothing.
    page = strict.get(url)
    assert page.status_code == 200
    assert "Confirm enrolment" in page.content.decode()
    assert strict.post(url).status_code == 403
    assert not Enrolment.objects.exists()


def test_the_confirmation_shows_price_dates_outcome_and_cancel_deadline(
    trainee_client, trainee, run
):
    html = trainee_client.get(
        reverse("learning:enrol_run", args=[run.pk])
    ).content.decode()
    assert rsd(run.course.price_non_member) in html
    assert "The non-member price." in html
    assert "Your place is confirmed at once" in html
    assert "You can cancel in My learning until" in html
    assert "17:30" in html  # the meeting's time

    CourseRun.objects.filter(pk=run.pk).update(seats_taken=run.capacity)
    html = trainee_client.get(
        reverse("learning:enrol_run", args=[run.pk])
    ).content.decode()
    assert "The run is full: you join the waitlist" in html
    assert "Join the waitlist" in html
    assert not Enrolment.objects.exists()


def test_cancelling_and_leaving_the_waitlist_say_what_is_lost_before_the_post(
    trainee_client, trainee, run
):
    enrolment = enrolment_create(trainee=trainee, run=run)
    url = reverse("learning:cancel", args=[enrolment.pk])
    html = trainee_client.get(url).content.decode()
    assert "You give up your seat" in html
    assert "is no longer due" in html
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CONFIRMED

    assert trainee_client.post(url).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CANCELLED

    CourseRun.objects.filter(pk=run.pk).update(seats_taken=run.capacity)
    waiting = enrolment_create(trainee=trainee, run=run)
    html = trainee_client.get(
        reverse("learning:cancel", args=[waiting.pk])
    ).content.decode()
    assert "Leave the waitlist of" in html
    assert "You lose your place in the queue" in html


def test_another_trainees_cancel_page_is_not_found(trainee_client, run):
    theirs = enrolment_create(trainee=TraineeProfileFactory(), run=run)
    response = trainee_client.get(reverse("learning:cancel", args=[theirs.pk]))
    assert response.status_code == 404


def test_my_learning_shows_status_next_meeting_and_waitlist_position(
    trainee_client, trainee, run
):
    CourseRun.objects.filter(pk=run.pk).update(seats_taken=3)
    enrolment_create(trainee=TraineeProfileFactory(), run=run)  # first on the waitlist
    enrolment_create(trainee=trainee, run=run)

    html = trainee_client.get(reverse("learning:home")).content.decode()

    assert "Јована Јовановић" in html
    assert "On the waitlist" in html
    assert "number 2 on the waitlist" in html
    assert "17:30" in html
    assert "Leave the waitlist" in html


def test_my_learning_has_a_helpful_empty_state(trainee_client, catalogue):
    html = trainee_client.get(reverse("learning:home")).content.decode()
    assert "You are not enrolled in any course yet." in html


def test_trainee_cancels_and_the_seat_is_freed(trainee_client, trainee, run):
    enrolment = enrolment_create(trainee=trainee, run=run)
    response = trainee_client.post(
        reverse("learning:cancel", args=[enrolment.pk]), follow=True
    )
    assert "is cancelled" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CANCELLED
    assert CourseRun.objects.get(pk=run.pk).seats_taken == 0


def test_cancelling_after_the_deadline_is_refused_with_a_message(
    trainee_client, trainee, catalogue
):
    course = CoursePageFactory(parent=catalogue, cancellation_deadline_days=7)
    run = CourseRunFactory(
        course=course,
        starts_on=today() + dt.timedelta(days=3),
        ends_on=today() + dt.timedelta(days=4),
        enrolment_closes_on=today() + dt.timedelta(days=2),
    )
    enrolment = enrolment_create(trainee=trainee, run=run)
    response = trainee_client.post(
        reverse("learning:cancel", args=[enrolment.pk]), follow=True
    )
    assert "The cancellation deadline was" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.CONFIRMED


def test_another_trainees_enrolment_is_not_found(trainee_client, run):
    other = enrolment_create(trainee=TraineeProfileFactory(), run=run)
    assert (
        trainee_client.post(reverse("learning:cancel", args=[other.pk])).status_code
        == 404
    )
    assert (
        trainee_client.get(reverse("learning:calendar", args=[other.pk])).status_code
        == 404
    )
    other.refresh_from_db()
    assert other.status == Enrolment.Status.CONFIRMED


def test_calendar_file_lists_the_runs_meetings(trainee_client, trainee, run):
    MeetingFactory(
        run=run, date=run.ends_on, start_time=dt.time(9, 0), title="Wrap-up, Q&A"
    )
    enrolment = enrolment_create(trainee=trainee, run=run)
    response = trainee_client.get(reverse("learning:calendar", args=[enrolment.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 2
    assert "SUMMARY:Kubernetes: Wrap-up\\, Q&A" in body
    # 17:30 in Belgrade is 16:30 UTC in winter and 15:30 UTC in summer.
    assert "T163000Z" in body or "T153000Z" in body


def test_my_learning_query_count_does_not_grow_with_enrolments(
    trainee_client, trainee, catalogue
):
    def enrol_in(count):
        for _ in range(count):
            run = CourseRunFactory(course=CoursePageFactory(parent=catalogue))
            MeetingFactory(run=run)
            enrolment_create(trainee=trainee, run=run)

    def queries():
        trainee_client.get(reverse("learning:home"))
        with CaptureQueriesContext(connection) as captured:
            assert trainee_client.get(reverse("learning:home")).status_code == 200
        return len(captured)

    enrol_in(5)
    with_5 = queries()
    # Session, user, trainee; enrolments, meetings, marks; modules, modules
    # done, assessments passed; certificates; the site (for addresses); the
    # header's roles. 24 before issue 21's work; one less in production,
    # where sessions are read from the shared cache.
    assert with_5 <= 12
    enrol_in(45)
    assert queries() == with_5


def test_my_learning_shows_attendance_and_a_check_in_link_during_a_meeting(
    trainee_client, trainee, catalogue, time_machine
):
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    # A fixed noon: the meeting below must not run past midnight (it failed
    # when run at 23:09, its meeting then ending the next day).
    time_machine.move_to(
        dt.datetime(2026, 12, 3, 12, 0, tzinfo=ZoneInfo("Europe/Belgrade")),
        tick=False,
    )

    from enrolments.models import AttendanceRecord
    from enrolments.services.attendance import register_save
    from tests.factories import UserFactory

    course = CoursePageFactory(parent=catalogue, attendance_threshold_percent=80)
    run = CourseRunFactory(
        course=course,
        starts_on=today() - dt.timedelta(days=3),
        ends_on=today() + dt.timedelta(days=3),
        enrolment_closes_on=today() + dt.timedelta(days=3),
    )
    held = MeetingFactory(run=run, date=today() - dt.timedelta(days=2))
    start = timezone.localtime() - dt.timedelta(minutes=10)
    ongoing = MeetingFactory(
        run=run, date=start.date(), start_time=start.time().replace(microsecond=0)
    )
    enrolment = enrolment_create(trainee=trainee, run=run)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        seat_since=timezone.now() - dt.timedelta(days=5)
    )
    register_save(
        meeting=held,
        marks={enrolment.pk: AttendanceRecord.Status.ABSENT},
        by=UserFactory(),
    )

    html = trainee_client.get(reverse("learning:home")).content.decode()

    assert (
        "Attendance:" in html and "0 of 2 meetings" in html or "0 of 1 meetings" in html
    )
    assert reverse("learning:check_in", args=[ongoing.pk]) in html


def test_an_evening_meeting_past_midnight_keeps_its_check_in(
    trainee_client, trainee, catalogue, time_machine
):
    """23:30 to 01:30; at 00:15 it is still on, though it began yesterday."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    belgrade = ZoneInfo("Europe/Belgrade")
    time_machine.move_to(dt.datetime(2026, 12, 4, 0, 15, tzinfo=belgrade), tick=False)
    run = CourseRunFactory(
        course=CoursePageFactory(parent=catalogue),
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 8),
        enrolment_closes_on=dt.date(2026, 12, 8),
    )
    evening = MeetingFactory(
        run=run,
        date=dt.date(2026, 12, 3),
        start_time=dt.time(23, 30),
        duration_minutes=120,
    )
    enrolment = enrolment_create(trainee=trainee, run=run)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        seat_since=timezone.now() - dt.timedelta(days=5)
    )

    html = trainee_client.get(reverse("learning:home")).content.decode()

    assert reverse("learning:check_in", args=[evening.pk]) in html
    # Once it has ended, it is no longer the next meeting.
    time_machine.move_to(dt.datetime(2026, 12, 4, 1, 45, tzinfo=belgrade), tick=False)
    html = trainee_client.get(reverse("learning:home")).content.decode()
    assert reverse("learning:check_in", args=[evening.pk]) not in html


def test_check_in_page_checks_the_trainee_in(trainee_client, trainee, catalogue):
    from django.utils import timezone

    from enrolments import checkin_codes
    from enrolments.models import AttendanceRecord

    run = CourseRunFactory(
        course=CoursePageFactory(parent=catalogue),
        starts_on=today(),
        ends_on=today() + dt.timedelta(days=1),
        enrolment_closes_on=today() + dt.timedelta(days=1),
    )
    start = timezone.localtime() - dt.timedelta(minutes=2)
    meeting = MeetingFactory(
        run=run, date=start.date(), start_time=start.time().replace(microsecond=0)
    )
    enrolment = enrolment_create(trainee=trainee, run=run)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        seat_since=timezone.now() - dt.timedelta(days=1)
    )
    url = reverse("learning:check_in", args=[meeting.pk])
    code = checkin_codes.code_for(meeting.pk, checkin_codes.current_step())

    assert code in trainee_client.get(url, {"code": code}).content.decode()
    wrong = trainee_client.post(url, {"code": "ZZZZZZ"})
    assert "not the code of this meeting" in wrong.content.decode()
    assert not AttendanceRecord.objects.exists()

    response = trainee_client.post(url, {"code": code}, follow=True)
    assert "You are checked in" in response.content.decode()
    assert AttendanceRecord.objects.get().status == AttendanceRecord.Status.PRESENT


def test_modules_are_for_enrolled_trainees_while_the_outline_stays_public(
    client, trainee, catalogue
):
    from tests.factories import ModulePageFactory

    course = CoursePageFactory(parent=catalogue, title="Secure coding")
    module = ModulePageFactory(parent=course, title="Threat modelling")
    run = CourseRunFactory(course=course, capacity=1)

    assert "Threat modelling" in client.get(course.url).content.decode()
    locked = client.get(module.url)
    assert locked.status_code == 403
    assert "This module is for trainees enrolled" in locked.content.decode()

    client.force_login(trainee.user)
    CourseRun.objects.filter(pk=run.pk).update(seats_taken=1)
    enrolment_create(trainee=trainee, run=run)  # waitlisted: not yet
    assert client.get(module.url).status_code == 403

    Enrolment.objects.filter(trainee=trainee).update(status=Enrolment.Status.CONFIRMED)
    page = client.get(module.url)
    assert page.status_code == 200
    assert "Mark as done" in page.content.decode()
    client.post(reverse("learning:module_done", args=[module.pk]))
    assert "You finished this module." in client.get(module.url).content.decode()
    assert "100%" in client.get(course.url).content.decode()


def test_marking_a_module_done_leads_to_the_next_and_after_the_last_to_the_course(
    trainee_client, trainee, catalogue
):
    from tests.factories import ModulePageFactory

    course = CoursePageFactory(parent=catalogue, title="Secure coding")
    first = ModulePageFactory(parent=course, title="Threat modelling")
    second = ModulePageFactory(parent=course, title="Input validation")
    run = CourseRunFactory(course=course)
    enrolment_create(trainee=trainee, run=run)
    Enrolment.objects.filter(trainee=trainee).update(status=Enrolment.Status.CONFIRMED)

    done = reverse("learning:module_done", args=[first.pk])
    assert trainee_client.post(done)["Location"] == second.url
    last = reverse("learning:module_done", args=[second.pk])
    assert trainee_client.post(last)["Location"] == course.url


def test_after_checking_in_the_trainee_sees_when_and_how_it_counted(
    trainee_client, trainee, catalogue, time_machine
):
    """11:03 for a 10:45 meeting: late. My learning and the check-in page say
    so instead of offering the check-in again."""
    from zoneinfo import ZoneInfo

    from enrolments import checkin_codes
    from enrolments.services.attendance import check_in

    time_machine.move_to(
        dt.datetime(2026, 12, 3, 11, 3, tzinfo=ZoneInfo("Europe/Belgrade")),
        tick=False,
    )
    run = CourseRunFactory(
        course=CoursePageFactory(parent=catalogue),
        starts_on=dt.date(2026, 12, 3),
        ends_on=dt.date(2026, 12, 4),
        enrolment_closes_on=dt.date(2026, 12, 4),
    )
    meeting = MeetingFactory(
        run=run, date=dt.date(2026, 12, 3), start_time=dt.time(10, 45)
    )
    enrolment = enrolment_create(trainee=trainee, run=run)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        seat_since=dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    )
    home = reverse("learning:home")
    page = reverse("learning:check_in", args=[meeting.pk])
    assert "Check in now" in trainee_client.get(home).content.decode()

    check_in(
        enrolment_owner=trainee,
        meeting=meeting,
        code=checkin_codes.code_for(meeting.pk, checkin_codes.current_step()),
    )

    html = trainee_client.get(home).content.decode()
    assert "Checked in at 11:03 (late)" in html
    assert "Check in now" not in html
    html = trainee_client.get(page).content.decode()
    assert "Checked in at 11:03 (late)" in html
    assert 'name="code"' not in html


def test_my_learning_puts_todays_meeting_first_and_offers_to_continue(
    trainee_client, trainee, catalogue, time_machine
):
    """Enrolled first in a course three weeks away, then in one running with
    a meeting today, then in a self-paced one: today's comes first, the
    running self-paced one next, the one to come last. Each offers the first
    module not done yet."""
    from zoneinfo import ZoneInfo

    from enrolments.services.progress import module_mark_done
    from tests.factories import ModulePageFactory

    time_machine.move_to(
        dt.datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo("Europe/Belgrade")),
        tick=False,
    )
    later = CoursePageFactory(parent=catalogue, title="Scrum later")
    later_run = CourseRunFactory(
        course=later, starts_on=dt.date(2026, 12, 24), ends_on=dt.date(2026, 12, 25)
    )
    today_course = CoursePageFactory(parent=catalogue, title="Kubernetes today")
    today_run = CourseRunFactory(
        course=today_course,
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 10),
        enrolment_closes_on=dt.date(2026, 12, 10),
    )
    MeetingFactory(run=today_run, date=dt.date(2026, 12, 3), start_time=dt.time(17))
    self_paced = CoursePageFactory(
        parent=catalogue, title="Security self-paced", format="self_paced"
    )
    first = ModulePageFactory(parent=self_paced, title="Phishing")
    ModulePageFactory(parent=self_paced, title="Passwords and 2FA")
    enrolment_create(trainee=trainee, run=later_run)
    enrolment_create(trainee=trainee, run=today_run)
    studying = enrolment_create(trainee=trainee, course=self_paced)
    module_mark_done(enrolment=studying, module=first)

    html = trainee_client.get(reverse("learning:home")).content.decode()

    order = [
        html.index(title)
        for title in ("Kubernetes today", "Security self-paced", "Scrum later")
    ]
    assert order == sorted(order)
    assert "Continue</a>" in html
    assert "Passwords and 2FA" in html and "Progress: 50%" in html


def test_the_course_outline_ticks_the_modules_the_trainee_finished(
    trainee_client, trainee, catalogue
):
    from tests.factories import ModulePageFactory

    course = CoursePageFactory(parent=catalogue, title="Secure coding")
    first = ModulePageFactory(parent=course, title="Threat modelling")
    ModulePageFactory(parent=course, title="Input validation")
    enrolment_create(trainee=trainee, run=CourseRunFactory(course=course))
    trainee_client.post(reverse("learning:module_done", args=[first.pk]))

    html = trainee_client.get(course.url).content.decode()
    outline = html[html.index('id="outline-title"') : html.index("</ol>")]
    ticks = outline.split("<li>")
    assert 'class="done-mark"' in ticks[1] and "Threat modelling" in ticks[1]
    assert 'class="done-mark"' not in ticks[2]
    assert "(done)" in ticks[1]


def test_the_confirmation_shows_the_member_price_to_confirmed_staff_only(client, run):
    from tests.factories import MembershipPeriodFactory, OrganisationFactory

    member = OrganisationFactory(name="Panonija Soft d.o.o.")
    MembershipPeriodFactory(organisation=member)
    url = reverse("learning:enrol_run", args=[run.pk])
    course = run.course

    staff = TraineeProfileFactory(organisation=member)
    client.force_login(staff.user)
    html = client.get(url).content.decode()
    assert rsd(course.price_member) in html
    assert "The member price, as staff of Panonija Soft d.o.o." in html

    claimant = TraineeProfileFactory(organisation=member, confirmed=False)
    client.force_login(claimant.user)
    html = client.get(url).content.decode()
    assert f"<strong data-price>{rsd(course.price_non_member)}</strong>" in html
    assert "applies once your work at Panonija Soft d.o.o. is confirmed" in html


def test_a_stale_confirmation_gets_what_the_run_allows_now_with_a_clear_message(
    trainee_client, trainee, run
):
    url = reverse("learning:enrol_run", args=[run.pk])
    assert "Confirm enrolment" in trainee_client.get(url).content.decode()

    # The last seat went while the page was open: the POST waitlists.
    CourseRun.objects.filter(pk=run.pk).update(seats_taken=run.capacity)
    response = trainee_client.post(url, follow=True)
    assert "is full, so you are on the waitlist" in response.content.decode()
    assert Enrolment.objects.get(trainee=trainee).status == "waitlisted"


def test_a_confirmation_for_a_closed_enrolment_enrols_nobody(
    trainee_client, trainee, run
):
    url = reverse("learning:enrol_run", args=[run.pk])
    CourseRun.objects.filter(pk=run.pk).update(
        enrolment_closes_on=run.starts_on - dt.timedelta(days=30),
        enrolment_opens_on=run.starts_on - dt.timedelta(days=60),
    )
    page = trainee_client.get(url).content.decode()
    assert "Enrolment for this run is closed." in page
    assert "Confirm enrolment" not in page
    response = trainee_client.post(url, follow=True)
    assert "Enrolment for this run is closed." in response.content.decode()
    assert not Enrolment.objects.exists()


def test_the_course_outline_reads_in_a_fixed_number_of_queries(
    trainee_client, trainee, catalogue
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ModulePageFactory

    course = CoursePageFactory(parent=catalogue, title="Secure coding")
    enrolment_create(trainee=trainee, run=CourseRunFactory(course=course))

    def queries_with(modules: int) -> int:
        for i in range(modules):
            module = ModulePageFactory(parent=course, title=f"Module {i}")
            trainee_client.post(reverse("learning:module_done", args=[module.pk]))
        with CaptureQueriesContext(connection) as captured:
            assert trainee_client.get(course.url).status_code == 200
        return len(captured)

    queries_with(1)  # warms the per-process caches
    assert queries_with(1) == queries_with(6)
