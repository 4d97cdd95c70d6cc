"""The enrolment panels of the admin dashboard (enrolments/admin/dashboard.py):
upcoming meetings, pending approvals, waitlists, work to grade and this
month's enrolments, as an academy admin and as an instructor see them; each
hidden without its permission, scoped to the instructor's own runs, and in a
number of queries that does not grow with the academy."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import CoursePage, CourseRun, Instructor, Meeting
from enrolments.admin.dashboard import month_bounds
from enrolments.models import AssignmentSubmission, Enrolment, TraineeProfile
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    InstructorFactory,
    MeetingFactory,
    ModulePageFactory,
    TraineeProfileFactory,
    UserFactory,
    today,
)

pytestmark = pytest.mark.django_db
Status = Enrolment.Status
DASHBOARD = "wagtailadmin_home"
LISTING = "wagtailsnippets_enrolments_enrolment:list"
_serial = itertools.count()


# --- Rows, made in bulk so a test can have hundreds ---------------------------


def trainees(count: int) -> list[TraineeProfile]:
    batch = next(_serial)
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"t{batch}-{i}@example.rs") for i in range(count)
    )
    return TraineeProfile.objects.bulk_create(
        TraineeProfile(user=user, full_name=f"Trainee {batch}-{i}")
        for i, user in enumerate(users)
    )


def enrolments(run, people, status, **fields) -> list[Enrolment]:
    return Enrolment.objects.bulk_create(
        Enrolment(
            trainee=trainee,
            course_id=run.course_id,
            run=run,
            status=status,
            is_member=False,
            price=Decimal("30000"),
            **fields,
        )
        for trainee in people
    )


def add_academy_rows(count: int, *, course, module, instructor=None) -> list:
    """`count` runs of `course`, each with a meeting in the next days, a
    pending, a waitlisted and a confirmed trainee whose work waits for a
    grade; taught by `instructor` when given. Returns the confirmed
    enrolments (for certificates)."""
    start = today() + dt.timedelta(days=3)
    runs = CourseRun.objects.bulk_create(
        CourseRun(
            course=course,
            starts_on=start,
            ends_on=start + dt.timedelta(days=2),
            capacity=5,
            location="Novi Sad",
        )
        for _ in range(count)
    )
    if instructor is not None:
        CourseRun.instructors.through.objects.bulk_create(
            CourseRun.instructors.through(courserun=run, instructor=instructor)
            for run in runs
        )
    Meeting.objects.bulk_create(
        Meeting(run=run, date=start, start_time=dt.time(9)) for run in runs
    )
    people = trainees(3 * count)
    confirmed = []
    for index, run in enumerate(runs):
        mine = people[3 * index : 3 * index + 3]
        enrolments(run, mine[:1], Status.PENDING)
        enrolments(run, mine[1:2], Status.WAITLISTED)
        confirmed += enrolments(run, mine[2:], Status.CONFIRMED, outcome="completion")
    AssignmentSubmission.objects.bulk_create(
        AssignmentSubmission(
            enrolment=enrolment,
            module=module,
            assignment_id="a-1",
            text_html="<p>Work</p>",
            submitted_at=timezone.now(),
            max_points=Decimal("10"),
        )
        for enrolment in confirmed
    )
    return confirmed


def count_queries(client, url) -> int:
    """Queries of a second request: the first also fills per-process caches
    (content types, the site), which is not what grows with rows."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# --- Fixtures -----------------------------------------------------------------


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(
        parent=catalogue,
        title="Python Basics",
        enrolment_policy=CoursePage.EnrolmentPolicy.APPROVAL,
    )


@pytest.fixture
def module(course):
    return ModulePageFactory(parent=course)


@pytest.fixture
def superuser():
    return UserFactory(username="root@academy.rs", is_superuser=True)


def instructor_user(username="milica@academy.rs"):
    user = UserFactory(username=username)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["access_admin", "change_courserun", "view_courserun"]
        )
    )
    return user


def teach(run, user):
    instructor = Instructor.objects.filter(user=user).first() or InstructorFactory(
        user=user
    )
    run.instructors.add(instructor)
    run.save()
    return user


@pytest.fixture
def run(course):
    return CourseRunFactory(
        course=course,
        starts_on=today() + dt.timedelta(days=3),
        capacity=2,
        label="Novi Sad",
    )


def dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse(DASHBOARD))
    assert response.status_code == 200
    return response.content.decode()


# --- Pending approvals ----------------------------------------------------------


def test_pending_approvals_show_count_oldest_first_and_listing_link(
    client, run, superuser
):
    early, late = TraineeProfileFactory(full_name="Ana Petrović"), None
    first = enrolments(run, [early], Status.PENDING)[0]
    Enrolment.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - dt.timedelta(days=3)
    )
    late = TraineeProfileFactory(full_name="Marko Marković")
    enrolments(run, [late], Status.PENDING)
    enrolments(run, [TraineeProfileFactory(full_name="Zoran Zorić")], Status.CONFIRMED)

    html = dashboard(client, superuser)
    assert "2 requests wait for approval" in html
    assert f'{reverse(LISTING)}?status=pending"' in html
    assert html.index("Ana Petrović") < html.index("Marko Marković")
    assert "Zoran Zorić" not in html


def test_no_pending_approvals_says_so(client, run, superuser):
    assert "No approvals waiting." in dashboard(client, superuser)


def test_pending_approvals_need_the_change_permission(client, run):
    enrolments(run, [TraineeProfileFactory(full_name="Ana Petrović")], Status.PENDING)
    viewer = UserFactory()
    viewer.user_permissions.set(
        Permission.objects.filter(
            codename__in=["access_admin", "view_enrolment", "change_attendancerecord"]
        )
    )
    html = dashboard(client, viewer)
    assert "Pending approvals" not in html
    assert "Ana Petrović" not in html
    assert "Waitlists" in html  # "view" is enough for that one


# --- Waitlists ------------------------------------------------------------------


def test_waitlists_count_people_per_run_with_a_filtered_link(client, run, superuser):
    enrolments(run, [TraineeProfileFactory() for _ in range(3)], Status.WAITLISTED)
    ended = CourseRunFactory(
        course=run.course,
        starts_on=today() - dt.timedelta(days=10),
        ends_on=today() - dt.timedelta(days=8),
    )
    enrolments(ended, [TraineeProfileFactory()], Status.WAITLISTED)

    html = dashboard(client, superuser)
    assert "3 trainees waiting for" in html
    assert f"?run={run.pk}&amp;status=waitlisted" in html
    assert f"?run={ended.pk}&amp;" not in html


def test_nobody_waiting_says_so(client, run, superuser):
    assert "Nobody is on a waitlist." in dashboard(client, superuser)


# --- Upcoming meetings and grading, for instructors -------------------------------


def test_instructor_sees_own_meetings_with_register_and_check_in(client, run, course):
    teacher = teach(run, instructor_user())
    soon = MeetingFactory(run=run, date=today() + dt.timedelta(days=3))
    later = MeetingFactory(
        run=CourseRunFactory(course=course, starts_on=today() + dt.timedelta(days=20)),
    )
    teach(later.run, teacher)
    others = MeetingFactory(run=CourseRunFactory(course=course, label="Beograd"))
    teach(others.run, instructor_user("other@academy.rs"))

    html = dashboard(client, teacher)
    assert "My upcoming meetings" in html
    assert reverse("teaching:register", args=[soon.pk]) in html
    assert reverse("teaching:check_in_display", args=[soon.pk]) in html
    assert reverse("teaching:register", args=[later.pk]) not in html  # 20 days on
    assert reverse("teaching:register", args=[others.pk]) not in html
    assert "Beograd" not in html


def test_instructor_without_meetings_sees_an_empty_state(client, run):
    teacher = teach(run, instructor_user())
    assert "No meetings in the next 14 days." in dashboard(client, teacher)


def test_admin_sees_next_meetings_across_the_academy(client, run, superuser):
    meeting = MeetingFactory(run=run, date=today() + dt.timedelta(days=3))
    html = dashboard(client, superuser)
    assert "Next meetings" in html
    assert reverse("teaching:register", args=[meeting.pk]) in html


def test_work_to_grade_per_run_links_to_the_gradebook(client, run, course, module):
    teacher = teach(run, instructor_user())
    mine = enrolments(
        run, [TraineeProfileFactory(), TraineeProfileFactory()], "confirmed"
    )
    other_run = CourseRunFactory(course=course, label="Beograd")
    teach(other_run, instructor_user("other@academy.rs"))
    theirs = enrolments(other_run, [TraineeProfileFactory()], Status.CONFIRMED)
    graded = dict(graded_at=timezone.now(), score=Decimal("8"))
    for enrolment, extra in ((mine[0], {}), (mine[1], graded), (theirs[0], {})):
        AssignmentSubmission.objects.create(
            enrolment=enrolment,
            module=module,
            assignment_id="a-1",
            text_html="<p>Work</p>",
            submitted_at=timezone.now(),
            max_points=Decimal("10"),
            **extra,
        )

    html = dashboard(client, teacher)
    assert "1 piece of work waits for a grade." in html
    assert reverse("teaching:gradebook", args=[run.pk]) in html
    assert reverse("teaching:gradebook", args=[other_run.pk]) not in html


def test_nothing_to_grade_says_so(client, run):
    teacher = teach(run, instructor_user())
    assert "Nothing waits to be graded." in dashboard(client, teacher)


def test_instructor_sees_no_academy_wide_panels(client, run):
    enrolments(run, [TraineeProfileFactory(full_name="Ana Petrović")], Status.PENDING)
    html = dashboard(client, teach(run, instructor_user()))
    for heading in ("Pending approvals", "Waitlists", "Enrolments this month"):
        assert heading not in html
    assert "Ana Petrović" not in html


def test_instructor_given_enrolment_permissions_still_sees_only_own_runs(
    client, run, course
):
    teacher = teach(run, instructor_user())
    teacher.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_enrolment", "change_enrolment"])
    )
    other_run = CourseRunFactory(course=course, label="Beograd")
    enrolments(other_run, [TraineeProfileFactory(full_name="Tuđin Tuđić")], "pending")
    enrolments(other_run, [TraineeProfileFactory()], Status.WAITLISTED)

    html = dashboard(client, teacher)
    assert "No approvals waiting." in html
    assert "Nobody is on a waitlist." in html
    assert "Tuđin Tuđić" not in html


def test_people_who_teach_nothing_see_no_teaching_panels(client):
    editor = UserFactory()
    editor.user_permissions.set(Permission.objects.filter(codename="access_admin"))
    html = dashboard(client, editor)
    assert "upcoming meetings" not in html.lower()
    assert "waiting to be graded" not in html


# --- This month -----------------------------------------------------------------


def test_enrolments_this_month_against_last_month(client, run, superuser):
    last_month, this_month = month_bounds()
    made = enrolments(run, [TraineeProfileFactory() for _ in range(5)], "confirmed")
    for enrolment, created in zip(
        made,
        [
            this_month,
            this_month + dt.timedelta(hours=1),
            last_month,
            this_month - dt.timedelta(seconds=1),
            last_month - dt.timedelta(days=1),
        ],
        strict=True,
    ):
        Enrolment.objects.filter(pk=enrolment.pk).update(created_at=created)

    html = dashboard(client, superuser)
    assert '<dd data-figure="this-month">2</dd>' in html
    assert '<dd data-figure="last-month">2</dd>' in html


def test_month_bounds_cross_the_year():
    last, this = month_bounds(dt.date(2026, 1, 15))
    assert (last.date(), this.date()) == (dt.date(2025, 12, 1), dt.date(2026, 1, 1))


# --- Queries ----------------------------------------------------------------------


def test_dashboard_queries_do_not_grow_with_rows_for_admin(
    client, course, module, superuser
):
    client.force_login(superuser)
    add_academy_rows(10, course=course, module=module)
    small = count_queries(client, reverse(DASHBOARD))
    add_academy_rows(190, course=course, module=module)
    assert count_queries(client, reverse(DASHBOARD)) == small


def test_dashboard_queries_do_not_grow_with_rows_for_instructor(client, course, module):
    teacher = instructor_user()
    instructor = InstructorFactory(user=teacher)
    client.force_login(teacher)
    add_academy_rows(10, course=course, module=module, instructor=instructor)
    small = count_queries(client, reverse(DASHBOARD))
    add_academy_rows(190, course=course, module=module, instructor=instructor)
    assert count_queries(client, reverse(DASHBOARD)) == small
    html = client.get(reverse(DASHBOARD)).content.decode()
    assert "200 pieces of work wait for a grade." in html
