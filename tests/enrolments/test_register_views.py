"""The instructor's side of attendance under /teaching/: the register, the
check-in display, the run overview, exports and the sign-in sheet, as an
instructor, another instructor, a trainee, an admin and a visitor use them."""

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import Instructor
from enrolments import checkin_codes
from enrolments.models import AttendanceChange, AttendanceRecord, Enrolment
from enrolments.services import enrolment_create
from enrolments.services.attendance import check_in, register_save
from enrolments.teaching.views import qr_svg
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    InstructorFactory,
    MeetingFactory,
    OrganisationFactory,
    TraineeProfileFactory,
    UserFactory,
    today,
)

pytestmark = [
    pytest.mark.django_db,
]
Status = AttendanceRecord.Status
MEETING_PAGES = ["register", "check_in_display", "check_in_code", "sign_in_sheet"]
RUN_PAGES = ["run_overview", "export_csv", "export_xlsx"]


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(
        parent=catalogue, title="Kubernetes u praksi", attendance_threshold_percent=75
    )


def make_run(course, *, meetings_days=(-2, -1, 1)):
    """A run around today with meetings at 09:00 on the given day offsets."""
    run = CourseRunFactory(
        course=course,
        starts_on=today() - dt.timedelta(days=5),
        ends_on=today() + dt.timedelta(days=5),
        enrolment_closes_on=today() + dt.timedelta(days=5),
        capacity=70,
    )
    for days in meetings_days:
        MeetingFactory(
            run=run,
            date=today() + dt.timedelta(days=days),
            start_time=dt.time(9),
            room="Sala 2",
        )
    return run


def teach(run, user=None):
    """Make `user` (a new one by default) an instructor of `run`."""
    user = user or UserFactory()
    instructor = Instructor.objects.filter(user=user).first()
    run.instructors.add(
        instructor or InstructorFactory(user=user, full_name="Milica Đorđević")
    )
    run.save()
    return user


def enrol(run, **trainee):
    """A confirmed enrolment with a seat since before the run's first meeting."""
    enrolment = enrolment_create(trainee=TraineeProfileFactory(**trainee), run=run)
    earlier = timezone.now() - dt.timedelta(days=10)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        created_at=earlier, seat_since=earlier
    )
    enrolment.refresh_from_db()
    return enrolment


def meeting_now(run):
    """A meeting of `run` that started five minutes ago: check-in is open."""
    start = timezone.localtime() - dt.timedelta(minutes=5)
    return MeetingFactory(
        run=run,
        date=start.date(),
        start_time=start.time().replace(microsecond=0),
        duration_minutes=120,
    )


def url(name, obj):
    return reverse(f"teaching:{name}", args=[obj.pk])


def every_url(run):
    meeting = run.meetings.first()
    return [url(name, meeting) for name in MEETING_PAGES] + [
        url(name, run) for name in RUN_PAGES
    ]


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def checked_value(html, enrolment):
    """The value of the checked radio button of an enrolment's row, or None."""
    for tag in re.findall(rf'<input[^>]*name="mark-{enrolment.pk}"[^>]*>', html):
        if re.search(r"\bchecked\b", tag):
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


def current_codes(meeting):
    """The code now and the next one, in case the step turns mid-test."""
    step = checkin_codes.current_step()
    return {checkin_codes.code_for(meeting.pk, s) for s in (step, step + 1)}


@pytest.fixture
def run(course):
    return make_run(course)


@pytest.fixture
def teacher(run):
    return teach(run)


@pytest.fixture
def teacher_client(teacher):
    return logged_in(teacher)


# The register


def test_instructor_saves_every_status_and_each_change_records_who(
    run, teacher, teacher_client
):
    rows = [enrol(run, full_name=name) for name in ("Ana", "Bojan", "Ceca", "Dušan")]
    meeting = run.meetings.first()

    page = teacher_client.get(url("register", meeting)).content.decode()
    for enrolment in rows:
        assert f'name="mark-{enrolment.pk}"' in page
    assert "<legend" in page and "Dušan" in page
    assert 'name="all_present"' in page and "Save register" in page

    statuses = [Status.PRESENT, Status.LATE, Status.EXCUSED, Status.ABSENT]
    response = teacher_client.post(
        url("register", meeting),
        {f"mark-{e.pk}": s for e, s in zip(rows, statuses, strict=True)},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == url("register", meeting)
    page = response.content.decode()
    assert "Saved: 4 changes." in page
    saved = dict(
        AttendanceRecord.objects.filter(meeting=meeting).values_list(
            "enrolment_id", "status"
        )
    )
    assert saved == {e.pk: s for e, s in zip(rows, statuses, strict=True)}
    changes = AttendanceChange.objects.filter(record__meeting=meeting)
    assert {c.changed_by for c in changes} == {teacher}
    assert checked_value(page, rows[1]) == "late"
    assert "Last change: Milica Đorđević" in page

    response = teacher_client.post(
        url("register", meeting),
        {f"mark-{rows[3].pk}": "excused", f"mark-{rows[0].pk}": "present"},
        follow=True,
    )
    assert "Saved: 1 change." in response.content.decode()
    assert AttendanceChange.objects.filter(record__meeting=meeting).count() == 5


def test_mark_all_present_marks_every_row_without_javascript(run, teacher_client):
    rows = [enrol(run) for _ in range(3)]
    meeting = run.meetings.first()
    register_save(meeting=meeting, marks={rows[0].pk: Status.ABSENT}, by=UserFactory())

    response = teacher_client.post(
        url("register", meeting), {"all_present": "1"}, follow=True
    )

    assert "Saved: 3 changes." in response.content.decode()
    statuses = AttendanceRecord.objects.filter(meeting=meeting).values_list(
        "status", flat=True
    )
    assert sorted(statuses) == ["present"] * 3


def test_register_shows_when_a_trainee_checked_in(run, teacher_client):
    meeting = meeting_now(run)
    enrolment = enrol(run)
    record = check_in(
        enrolment_owner=enrolment.trainee,
        meeting=meeting,
        code=checkin_codes.code_for(meeting.pk, checkin_codes.current_step()),
    )

    page = teacher_client.get(url("register", meeting)).content.decode()

    at = timezone.localtime(record.checked_in_at)
    assert f"Checked in at {at:%H:%M}" in page
    assert checked_value(page, enrolment) == "present"


@pytest.mark.parametrize(
    "tamper, message",
    [
        ("foreign", "not on this meeting&#x27;s register"),
        ("maybe", "is not an attendance status"),
        ("abc", "not a trainee"),
    ],
)
def test_tampered_register_changes_nothing_and_says_why(
    course, run, teacher_client, tamper, message
):
    ours = enrol(run)
    theirs = enrol(make_run(course))
    data = {f"mark-{ours.pk}": "present"}
    if tamper == "foreign":
        data[f"mark-{theirs.pk}"] = "present"
    elif tamper == "maybe":
        data[f"mark-{ours.pk}"] = "maybe"
    else:
        data["mark-abc"] = "present"

    response = teacher_client.post(url("register", run.meetings.first()), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "The register was not saved." in page and message in page
    assert not AttendanceRecord.objects.exists()
    assert not AttendanceChange.objects.exists()


def test_register_post_without_csrf_token_is_refused(run, teacher):
    enrolment = enrol(run)
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)

    response = client.post(
        url("register", run.meetings.first()), {f"mark-{enrolment.pk}": "present"}
    )

    assert response.status_code == 403
    assert not AttendanceRecord.objects.exists()


def test_register_post_for_60_trainees_uses_as_many_queries_as_for_6(
    run, teacher_client
):
    first, second = run.meetings.all()[:2]
    enrolments = [enrol(run) for _ in range(60)]

    def save(meeting, count):
        data = {f"mark-{e.pk}": "present" for e in enrolments[:count]}
        with CaptureQueriesContext(connection) as queries:
            response = teacher_client.post(url("register", meeting), data)
        assert response.status_code == 302
        return len(queries)

    assert save(first, 6) == save(second, 60)
    assert AttendanceRecord.objects.filter(meeting=second).count() == 60


# Who may open what


def test_instructor_of_another_run_gets_404_everywhere(course, run):
    other_teacher = teach(make_run(course))
    client = logged_in(other_teacher)
    for address in every_url(run):
        assert client.get(address).status_code == 404, address
    enrolment = enrol(run)
    response = client.post(
        url("register", run.meetings.first()), {f"mark-{enrolment.pk}": "absent"}
    )
    assert response.status_code == 404
    assert not AttendanceRecord.objects.exists()


def test_trainee_of_the_run_gets_404_everywhere(run):
    client = logged_in(enrol(run).trainee.user)
    for address in [reverse("teaching:runs"), *every_url(run)]:
        assert client.get(address).status_code == 404, address


def test_an_instructor_without_runs_sees_the_empty_teaching_home(course):
    from tests.factories import InstructorFactory

    newcomer = InstructorFactory(user=UserFactory()).user

    page = logged_in(newcomer).get(reverse("teaching:runs")).content.decode()

    assert "You are not teaching any runs yet." in page


def test_anonymous_visitor_is_sent_to_log_in(client, run):
    log_in = reverse("accounts:log_in")
    for address in [reverse("teaching:runs"), *every_url(run)]:
        response = client.get(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith(f"{log_in}?next="), address


def test_superuser_and_academy_admin_open_every_page(run):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    admin = UserFactory(is_staff=True)
    admin.user_permissions.add(
        Permission.objects.get(
            codename="change_attendancerecord", content_type__app_label="enrolments"
        )
    )
    for user in (superuser, admin):
        client = logged_in(user)
        for address in [reverse("teaching:runs"), *every_url(run)]:
            assert client.get(address).status_code == 200, address


# My runs and the run overview


def test_my_runs_lists_only_the_runs_i_teach_with_the_next_meeting(
    course, run, teacher_client
):
    make_run(course)  # someone else's

    page = teacher_client.get(reverse("teaching:runs")).content.decode()

    assert page.count("Kubernetes u praksi") == 1
    assert url("run_overview", run) in page
    next_meeting = run.meetings.get(date=today() + dt.timedelta(days=1))
    assert url("register", next_meeting) in page
    assert "Next meeting:" in page


def test_overview_shows_marks_rates_and_who_is_below_the_threshold(run, teacher_client):
    good = enrol(run, full_name="Јована Јовановић")
    poor = enrol(run, full_name="Petar Perić")
    past = list(run.meetings.filter(date__lt=today()))
    by = UserFactory()
    register_save(meeting=past[0], marks={good.pk: "present", poor.pk: "absent"}, by=by)
    register_save(meeting=past[1], marks={good.pk: "late", poor.pk: "excused"}, by=by)

    page = teacher_client.get(url("run_overview", run)).content.decode()

    assert '<abbr title="Present">P</abbr>' in page
    assert '<abbr title="Late">L</abbr>' in page
    assert '<abbr title="Excused">E</abbr>' in page
    assert "100.0%" in page and "0.0%" in page
    assert "below 75%" in page and page.count("is-below-threshold") == 1
    assert "2 of 2" in page  # marked, for each past meeting
    for meeting in run.meetings.all():
        assert url("register", meeting) in page


def test_overview_shows_a_dash_before_any_meeting(course, teacher):
    run = make_run(course, meetings_days=(2, 3))
    teach(run, teacher)
    enrol(run)

    page = logged_in(teacher).get(url("run_overview", run)).content.decode()

    assert '<td class="attendance-grid__rate">' in page
    rate = page.split('<td class="attendance-grid__rate">')[1].split("</td>")[0]
    assert rate.strip() == "—"


def test_overview_query_count_does_not_grow_with_trainees(run, teacher_client):
    meetings = list(run.meetings.filter(date__lt=today()))
    by = UserFactory()

    def add_trainees(count):
        new = [enrol(run) for _ in range(count)]
        for meeting in meetings:
            register_save(meeting=meeting, marks={e.pk: "present" for e in new}, by=by)

    def queries():
        # Warm the site caches: a seat taken renews the parts of every page
        # kept with visitors' pages (academy_site/public_cache.py).
        teacher_client.get(url("run_overview", run))
        with CaptureQueriesContext(connection) as captured:
            response = teacher_client.get(url("run_overview", run))
        assert response.status_code == 200
        return len(captured)

    add_trainees(5)
    five = queries()
    add_trainees(35)
    assert queries() == five


# Check-in display


def test_check_in_display_shows_the_qr_code_and_current_code(run, teacher_client):
    meeting = meeting_now(run)

    page = teacher_client.get(url("check_in_display", meeting)).content.decode()

    assert "<svg" in page
    assert any(code in page for code in current_codes(meeting))
    assert 'aria-live="polite"' in page
    assert "js/checkin-display.js" in page
    assert url("check_in_code", meeting) in page


def test_check_in_code_json_gives_the_code_and_seconds_left(run, teacher_client):
    meeting = meeting_now(run)
    check_in(
        enrolment_owner=enrol(run).trainee,
        meeting=meeting,
        code=checkin_codes.code_for(meeting.pk, checkin_codes.current_step()),
    )

    data = teacher_client.get(url("check_in_code", meeting)).json()

    assert data["window_open"] is True
    assert data["code"] in current_codes(meeting)
    assert 1 <= data["seconds_left"] <= checkin_codes.STEP_SECONDS
    assert data["checked_in"] == 1
    address = f"http://testserver/learning/check-in/{meeting.pk}/?code={data['code']}"
    assert data["svg"] == qr_svg(address)


def test_outside_the_window_there_is_no_code(run, teacher_client):
    meeting = run.meetings.get(date=today() + dt.timedelta(days=1))

    page = teacher_client.get(url("check_in_display", meeting)).content.decode()
    data = teacher_client.get(url("check_in_code", meeting)).json()

    assert "<svg" not in page
    assert not any(code in page for code in current_codes(meeting))
    assert "Check-in opens at 08:45" in page
    assert data["window_open"] is False
    assert data["code"] is None and data["svg"] is None
    assert data["message"].startswith("Check-in opens at 08:45")


# Exports and the sign-in sheet


@pytest.fixture
def marked_run(run):
    organisation = OrganisationFactory(name="Đurđevak d.o.o.")
    jovana = enrol(run, full_name="Јована Јовановић", organisation=organisation)
    petar = enrol(run, full_name="Petar Perić")
    first, second = run.meetings.filter(date__lt=today())
    by = UserFactory()
    register_save(
        meeting=first, marks={jovana.pk: "present", petar.pk: "absent"}, by=by
    )
    register_save(meeting=second, marks={jovana.pk: "late"}, by=by)
    return run


def test_csv_export_has_a_row_per_trainee_readable_by_excel(marked_run, teacher_client):
    response = teacher_client.get(url("export_csv", marked_run))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Full name", "E-mail", "Organisation"]
    assert rows[0][-3:] == ["Attended", "Held", "Rate %"]
    assert len(rows[0]) == 3 + 3 + 3  # three meetings
    jovana = next(row for row in rows if row[0] == "Јована Јовановић")
    assert jovana[2] == "Đurđevak d.o.o."
    assert jovana[3:6] == ["Present", "Late", ""]
    assert jovana[6:] == ["2", "2", "100.0"]
    petar = next(row for row in rows if row[0] == "Petar Perić")
    assert petar[3:6] == ["Absent", "", ""] and petar[-1] == "0.0"


def test_xlsx_export_has_a_bold_frozen_header_and_the_marks(marked_run, teacher_client):
    response = teacher_client.get(url("export_xlsx", marked_run))

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Full name" and rows[0][-1] == "Rate %"
    jovana = next(row for row in rows if row[0] == "Јована Јовановић")
    assert jovana[3:6] == ("Present", "Late", None)
    assert jovana[6:8] == (2, 2) and float(jovana[8]) == 100.0


def test_a_name_that_looks_like_a_formula_stays_text(run, teacher_client):
    enrol(run, full_name='=HYPERLINK("http://evil.example","Ana")')

    text = teacher_client.get(url("export_csv", run)).content.decode("utf-8-sig")
    sheet = openpyxl.load_workbook(
        io.BytesIO(teacher_client.get(url("export_xlsx", run)).content)
    ).active

    assert "'=HYPERLINK" in text
    assert sheet["A2"].data_type == "s"


def test_sign_in_sheet_lists_the_trainees_for_printing(marked_run, teacher_client):
    meeting = marked_run.meetings.first()

    response = teacher_client.get(url("sign_in_sheet", meeting))

    page = response.content.decode()
    assert "Јована Јовановић" in page and "Đurđevak d.o.o." in page
    assert "Kubernetes u praksi" in page and "Sala 2" in page
    assert "Signature" in page and "data-print" in page
    assert "css/attendance.css" in page


def test_the_admin_menu_leads_instructors_to_their_teaching_pages(run):
    from academy_site.roles import INSTRUCTOR, grant_role

    instructor = teach(run, UserFactory(is_staff=True))
    grant_role(user=instructor, role=INSTRUCTOR)
    html = logged_in(instructor).get("/admin/").content.decode()
    assert '"name": "teaching"' in html and '"url": "/en/teaching/"' in html

    editor = UserFactory(is_staff=True)  # admin access, no teaching role
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = logged_in(editor)
    assert '"name": "teaching"' in client.get("/admin/").content.decode()
