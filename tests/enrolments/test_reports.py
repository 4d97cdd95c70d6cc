"""The enrolment reports under Reports in the Wagtail admin (enrolments/
reports/): their figures on a hand-made academy, the filters and what a
malformed one answers, who may see them, the CSV/XLSX exports, the empty
state, and a number of queries that does not grow with the enrolments."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from enrolments.models import AttendanceRecord, Enrolment, TraineeProfile
from enrolments.reports import selectors
from enrolments.reports.charts import bar_chart
from enrolments.reports.filters import Period, ReportFilters, period_bounds
from enrolments.reports.selectors import attendance_counts
from enrolments.rules.attendance import attendance_summaries
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    EnrolmentFactory,
    InstructorFactory,
    MeetingFactory,
    OrganisationFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Status = Enrolment.Status
Mark = AttendanceRecord.Status

REPORTS = ["enrolments_by_course", "members", "completion", "revenue"]


def report_url(name: str, **params) -> str:
    url = reverse(f"academy_reports:{name}")
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def days_ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def local_moment(days: int, hour: int) -> dt.datetime:
    """`hour` o'clock local time, `days` from today."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


def xlsx_rows(response) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


# --- Fixtures ----------------------------------------------------------------


@pytest.fixture
def reporter():
    """An academy admin who is not a superuser: admin access and the
    report permission only."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_reports"])
    )
    return user


@pytest.fixture
def admin_client(client, reporter):
    client.force_login(reporter)
    return client


def enrol(run=None, *, course=None, created=20, **fields) -> Enrolment:
    """An enrolment made `created` days ago (it held its seat since then)."""
    fields.setdefault("outcome", "none")
    if fields.get("status") == Status.REJECTED:
        fields.setdefault("rejection_reason", "The course is for engineers.")
    enrolment = EnrolmentFactory(run=run, course=course or run.course, **fields)
    moment = days_ago(created)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        created_at=moment, seat_since=fields.get("seat_since", moment)
    )
    enrolment.refresh_from_db()
    return enrolment


def meeting_on(run, days: int, hour: int = 9):
    return MeetingFactory(
        run=run,
        date=timezone.localdate() + dt.timedelta(days=days),
        start_time=dt.time(hour, 0),
    )


def mark(meeting, enrolment, status):
    AttendanceRecord.objects.create(
        meeting=meeting, enrolment=enrolment, status=status, source="register"
    )


@pytest.fixture
def academy(catalogue):
    """Two courses with a run each and a self-paced one; a member and a
    non-member organisation; eleven enrolments whose figures the tests below
    work out by hand (the comments give each enrolment's part)."""
    today = timezone.localdate()
    alpha = CoursePageFactory(parent=catalogue, title="Alpha: secure coding")
    beta = CoursePageFactory(
        parent=catalogue, title="Beta: Kubernetes", excused_counts_as_present=True
    )
    gamma = CoursePageFactory(parent=catalogue, title="Gamma: self-paced Git")
    a1 = CourseRunFactory(
        course=alpha,
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=5),
    )
    b1 = CourseRunFactory(
        course=beta,
        starts_on=today - dt.timedelta(days=6),
        ends_on=today - dt.timedelta(days=4),
    )
    member = OrganisationFactory(name="Member d.o.o.")
    other = OrganisationFactory(name="Other d.o.o.")
    m18, n30 = Decimal("18000"), Decimal("30000")
    e = {
        1: enrol(
            a1, status=Status.CONFIRMED, is_member=True, price=m18, organisation=member
        ),
        2: enrol(
            a1,
            status=Status.CONFIRMED,
            price=n30,
            organisation=other,
            # a seat between m1 and m2 (both at 09:00 local), whatever the time
            # of day the test runs at
            seat_since=local_moment(-9, hour=8),
        ),
        3: enrol(
            a1,
            status=Status.COMPLETED,
            is_member=True,
            price=m18,
            organisation=member,
            outcome="completion",
        ),
        4: enrol(a1, status=Status.NOT_COMPLETED, price=n30),
        5: enrol(a1, status=Status.PENDING, price=n30, organisation=other),
        6: enrol(a1, status=Status.WAITLISTED, price=n30, seat_since=None),
        7: enrol(
            a1, status=Status.CANCELLED, is_member=True, price=m18, organisation=member
        ),
        8: enrol(a1, status=Status.REJECTED, price=n30),
        9: enrol(
            b1,
            status=Status.CONFIRMED,
            is_member=True,
            price=m18,
            organisation=member,
            outcome="attendance",
        ),
        10: enrol(
            b1,
            status=Status.COMPLETED,
            price=Decimal("25000"),
            organisation=other,
            outcome="completion",
        ),
        11: enrol(
            course=gamma, status=Status.CONFIRMED, price=Decimal("5000"), created=400
        ),
    }
    m1, m2, m3 = meeting_on(a1, -10), meeting_on(a1, -9), meeting_on(a1, 3)
    b_meeting = meeting_on(b1, -5)
    mark(m1, e[1], Mark.PRESENT)  # 1: 2 of 2
    mark(m2, e[1], Mark.LATE)
    mark(m1, e[2], Mark.ABSENT)  # 2: seat after m1; excused does not count: 0 of 1
    mark(m2, e[2], Mark.EXCUSED)
    mark(m1, e[3], Mark.PRESENT)  # 3: m2 unmarked: 1 of 2
    mark(m1, e[4], Mark.ABSENT)  # 4: 0 of 2
    mark(m2, e[4], Mark.ABSENT)  # 5 (pending, no marks): 0 of 2
    mark(m1, e[7], Mark.PRESENT)  # 7: cancelled, not counted
    mark(m3, e[1], Mark.PRESENT)  # a future meeting never counts
    mark(b_meeting, e[9], Mark.EXCUSED)  # Beta counts excused: 1 of 1
    mark(b_meeting, e[10], Mark.PRESENT)  # 1 of 1
    return {
        "alpha": alpha,
        "beta": beta,
        "gamma": gamma,
        "a1": a1,
        "b1": b1,
        "member": member,
        "other": other,
        "enrolments": e,
    }


def table(response) -> dict:
    """The report's rows as {first cell: [cells...]} from the view context."""
    rows = response.context["report_rows"]
    result = {row[0][0]: [text for text, _numeric in row[1:]] for row in rows}
    totals = response.context["report_totals"]
    if totals:
        result["Total"] = [text for text, _numeric in totals[1:]]
    return result


# --- Figures ---------------------------------------------------------------


def test_enrolments_by_course_counts_each_status(admin_client, academy):
    response = admin_client.get(report_url("enrolments_by_course"))
    assert response.status_code == 200
    # confirmed, pending, offered, waitlisted, completed, not completed,
    # cancelled, rejected, total
    assert table(response) == {
        "Alpha: secure coding": ["2", "1", "0", "1", "1", "1", "1", "1", "8"],
        "Beta: Kubernetes": ["1", "0", "0", "0", "1", "0", "0", "0", "2"],
        "Gamma: self-paced Git": ["1", "0", "0", "0", "0", "0", "0", "0", "1"],
        "Total": ["4", "1", "0", "1", "2", "1", "1", "1", "11"],
    }
    html = response.content.decode()
    assert "<svg" in html and '<title id="report-chart-title">' in html
    assert 'scope="col"' in html and 'scope="row"' in html


def test_members_report_splits_by_the_enrolment_snapshot(admin_client, academy):
    response = admin_client.get(report_url("members"))
    assert table(response) == {
        "Alpha: secure coding": ["3", "5", "8", "37.5 %"],
        "Beta: Kubernetes": ["1", "1", "2", "50.0 %"],
        "Gamma: self-paced Git": ["0", "1", "1", "0.0 %"],
        "Total": ["4", "7", "11", "36.4 %"],
    }


def test_completion_report_counts_seats_outcomes_and_attendance(admin_client, academy):
    response = admin_client.get(report_url("completion"))
    rows = {
        row[0][0] + " / " + row[1][0]: [c for c, _ in row[2:]]
        for row in response.context["report_rows"]
    }
    a1, b1 = academy["a1"], academy["b1"]
    a1_label = f"Alpha: secure coding / {a1.starts_on:%Y-%m-%d} – {a1.ends_on:%Y-%m-%d}"
    b1_label = f"Beta: Kubernetes / {b1.starts_on:%Y-%m-%d} – {b1.ends_on:%Y-%m-%d}"
    # with a seat, finished, completed, completion rate (of finished; of all
    # with a seat when self-paced), attended, held, rate
    assert rows == {
        a1_label: ["5", "2", "1", "50.0 %", "3", "9", "33.3 %"],
        b1_label: ["2", "1", "1", "100.0 %", "2", "2", "100.0 %"],
        "Gamma: self-paced Git / Self-paced": ["1", "0", "0", "0.0 %", "0", "0", "—"],
    }
    assert [c for c, _ in response.context["report_totals"][2:]] == [
        "8", "3", "2", "50.0 %", "5", "11", "45.5 %",
    ]  # fmt: skip


def test_a_run_that_has_not_closed_shows_no_completion_rate(admin_client, catalogue):
    """Before a run closes nobody has finished: "—", not 0.0 %."""
    run = CourseRunFactory(course=CoursePageFactory(parent=catalogue, title="Soon"))
    enrol(run, status=Status.CONFIRMED, outcome="none")
    response = admin_client.get(report_url("completion"))
    (row,) = [
        [c for c, _ in row[2:]]
        for row in response.context["report_rows"]
        if row[0][0] == "Soon"
    ]
    assert row == ["1", "0", "0", "—", "0", "0", "—"]


def test_attendance_aggregate_agrees_with_the_attendance_rule(academy):
    held_seat = [
        e
        for e in academy["enrolments"].values()
        if e.run_id and e.status in selectors.SEAT_HELD
    ]
    summaries = attendance_summaries(
        list(
            Enrolment.objects.select_related("course").filter(
                pk__in=[e.pk for e in held_seat]
            )
        )
    )
    per_enrolment = attendance_counts(ReportFilters(), group_by="id")
    assert per_enrolment == {
        pk: (summary.attended, summary.held) for pk, summary in summaries.items()
    }
    assert per_enrolment[academy["enrolments"][2].pk] == (0, 1)
    # Per run: Beta (every seat before its first meeting) takes the plain
    # counts, Alpha (a seat taken after its first meeting) the pairwise one.
    per_run = attendance_counts(ReportFilters(), group_by="run_id")
    for run in (academy["a1"], academy["b1"]):
        of_run = [
            s
            for pk, s in summaries.items()
            if pk in {e.pk for e in held_seat if e.run_id == run.pk}
        ]
        assert per_run[run.pk] == (
            sum(s.attended for s in of_run),
            sum(s.held for s in of_run),
        )


def test_attendance_counts_a_meeting_from_the_minute_of_the_seat(academy):
    """A meeting starting just before the seat was taken does not count; one
    starting just after does (the rule compares local times)."""
    run = academy["b1"]
    meeting = meeting_on(run, -4, hour=14)
    late = enrol(run, status=Status.CONFIRMED)
    seat = timezone.make_aware(dt.datetime.combine(meeting.date, dt.time(14, 0, 30)))
    Enrolment.objects.filter(pk=late.pk).update(seat_since=seat)
    early = enrol(run, status=Status.CONFIRMED)
    seat = timezone.make_aware(dt.datetime.combine(meeting.date, dt.time(13, 59)))
    Enrolment.objects.filter(pk=early.pk).update(seat_since=seat)
    counts = attendance_counts(ReportFilters(), group_by="id")
    summaries = attendance_summaries(
        list(
            Enrolment.objects.select_related("course").filter(
                pk__in=[late.pk, early.pk]
            )
        )
    )
    assert counts.get(late.pk, (0, 0)) == (0, summaries[late.pk].held) == (0, 0)
    assert counts[early.pk] == (0, summaries[early.pk].held) == (0, 1)


def test_revenue_due_sums_billable_price_snapshots_per_course(admin_client, academy):
    response = admin_client.get(report_url("revenue"))
    # member n, member RSD, non-member n, non-member RSD, n, total RSD
    assert table(response) == {
        "Alpha: secure coding": ["2", "36,000.00", "2", "60,000.00", "4", "96,000.00"],
        "Beta: Kubernetes": ["1", "18,000.00", "1", "25,000.00", "2", "43,000.00"],
        "Gamma: self-paced Git": ["0", "0.00", "1", "5,000.00", "1", "5,000.00"],
        "Total": ["3", "54,000.00", "4", "90,000.00", "7", "144,000.00"],
    }


def test_revenue_due_per_organisation(admin_client, academy):
    response = admin_client.get(report_url("revenue", by="organisation"))
    assert table(response) == {
        "Member d.o.o.": ["3", "54,000.00", "0", "0.00", "3", "54,000.00"],
        "No organisation": ["0", "0.00", "2", "35,000.00", "2", "35,000.00"],
        "Other d.o.o.": ["0", "0.00", "2", "55,000.00", "2", "55,000.00"],
        "Total": ["3", "54,000.00", "4", "90,000.00", "7", "144,000.00"],
    }


# --- Filters -----------------------------------------------------------------


def test_filters_narrow_every_report(admin_client, academy):
    alpha, member = academy["alpha"], academy["member"]
    by_course = admin_client.get(report_url("enrolments_by_course", course=alpha.pk))
    assert list(table(by_course)) == ["Alpha: secure coding", "Total"]
    revenue = admin_client.get(report_url("revenue", organisation=member.pk))
    assert table(revenue)["Total"] == ["3", "54,000.00", "0", "0.00", "3", "54,000.00"]
    since = timezone.localdate() - dt.timedelta(days=30)
    recent = admin_client.get(report_url("members", **{"from": since.isoformat()}))
    assert "Gamma: self-paced Git" not in table(recent)
    assert table(recent)["Total"] == ["4", "6", "10", "40.0 %"]
    completion = admin_client.get(
        report_url("completion", course=academy["beta"].pk, organisation=member.pk)
    )
    assert [c for c, _ in completion.context["report_totals"][2:]] == [
        "1", "0", "0", "—", "1", "1", "100.0 %",
    ]  # fmt: skip


def test_period_ends_include_the_whole_last_local_day(admin_client, catalogue):
    run = CourseRunFactory(course=CoursePageFactory(parent=catalogue, title="Late"))
    enrolment = enrol(run, status=Status.CONFIRMED)
    late_evening = timezone.make_aware(dt.datetime(2026, 3, 31, 23, 30))
    Enrolment.objects.filter(pk=enrolment.pk).update(created_at=late_evening)
    march = admin_client.get(
        report_url("enrolments_by_course", **{"from": "2026-03-01", "to": "2026-03-31"})
    )
    april = admin_client.get(
        report_url("enrolments_by_course", **{"from": "2026-04-01"})
    )
    assert table(march)["Total"][-1] == "1"
    assert april.context["report_rows"] == []


def test_named_periods_cover_whole_months_and_years():
    today = dt.date(2026, 3, 15)
    assert period_bounds(Period.THIS_MONTH, today=today) == (
        dt.date(2026, 3, 1), dt.date(2026, 3, 31),
    )  # fmt: skip
    assert period_bounds(Period.LAST_MONTH, today=dt.date(2026, 1, 9)) == (
        dt.date(2025, 12, 1), dt.date(2025, 12, 31),
    )  # fmt: skip
    assert period_bounds(Period.THIS_YEAR, today=today) == (
        dt.date(2026, 1, 1), dt.date(2026, 12, 31),
    )  # fmt: skip
    assert period_bounds(Period.LAST_YEAR, today=today)[0] == dt.date(2025, 1, 1)


def test_named_period_last_year_keeps_only_last_years_enrolments(admin_client, academy):
    last_year = timezone.localdate().year - 1
    moment = timezone.make_aware(dt.datetime(last_year, 6, 15, 10))
    Enrolment.objects.filter(pk=academy["enrolments"][11].pk).update(created_at=moment)
    response = admin_client.get(report_url("enrolments_by_course", period="last_year"))
    assert list(table(response)) == ["Gamma: self-paced Git", "Total"]
    first, last = dt.date(last_year, 1, 1), dt.date(last_year, 12, 31)
    assert response.context["report_period"] == (
        f"{date_format(first)} – {date_format(last)}"
    )


@pytest.mark.parametrize(
    "params, message",
    [
        ({"from": "2026-13-45"}, "Enter a real date as YYYY-MM-DD"),
        ({"to": "yesterday"}, "Enter a real date as YYYY-MM-DD"),
        ({"from": "2026-03-31", "to": "2026-03-01"}, "end date must be on or after"),
        ({"period": "this_month", "from": "2026-03-01"}, "not both"),
        ({"period": "forever"}, "Select a valid choice"),
        ({"course": "abc"}, "Choose a course from the list."),
        ({"course": "99999"}, "Choose a course from the list."),
        ({"organisation": "99999"}, "Choose an organisation from the list."),
    ],
)
@pytest.mark.parametrize("report", REPORTS)
def test_malformed_filters_are_explained_and_export_nothing(
    admin_client, academy, report, params, message
):
    page = admin_client.get(report_url(report, **params))
    assert page.status_code == 200
    html = page.content.decode()
    assert "These filters could not be used" in html and message in html
    assert 'role="alert"' in html
    assert page.context["report_rows"] == []
    for export in ("csv", "xlsx"):
        response = admin_client.get(report_url(report, export=export, **params))
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/plain")
        assert message in response.content.decode()
        assert "Content-Disposition" not in response


def test_revenue_rejects_an_unknown_grouping(admin_client, academy):
    response = admin_client.get(report_url("revenue", by="planet", export="csv"))
    assert response.status_code == 400
    assert "Choose one row per course or per organisation" in response.content.decode()


def test_results_fragment_renders_only_the_results(admin_client, academy):
    response = admin_client.get(
        reverse("academy_reports:members_results") + f"?course={academy['beta'].pk}"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Beta: Kubernetes" in html and "Alpha: secure coding" not in html
    assert "<html" not in html


# --- Empty state -----------------------------------------------------------


@pytest.mark.parametrize("report", REPORTS)
def test_empty_reports_say_so_and_offer_to_reset(admin_client, catalogue, report):
    response = admin_client.get(report_url(report, period="last_year"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "No enrolments match these filters." in html
    assert f'href="{reverse(f"academy_reports:{report}")}"' in html
    assert "Reset the filters" in html


# --- Exports ---------------------------------------------------------------


def test_csv_export_has_the_table_rows_and_totals(admin_client, academy):
    response = admin_client.get(report_url("revenue", export="csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "revenue-due-by-course-" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == [
        "Course", "Member enrolments", "Members (RSD)", "Non-member enrolments",
        "Non-members (RSD)", "Enrolments", "Total (RSD)",
    ]  # fmt: skip
    assert rows[1] == [
        "Alpha: secure coding", "2", "36000.00", "2", "60000.00", "4", "96000.00",
    ]  # fmt: skip
    assert rows[-1] == ["Total", "3", "54000.00", "4", "90000.00", "7", "144000.00"]
    assert len(rows) == 5


def test_xlsx_export_has_numbers_as_numbers(admin_client, academy):
    response = admin_client.get(report_url("enrolments_by_course", export="xlsx"))
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert rows[0][:3] == ("Course", "Confirmed", "Pending approval")
    assert rows[1] == ("Alpha: secure coding", 2, 1, 0, 1, 1, 1, 1, 1, 8)
    assert rows[-1] == ("Total", 4, 1, 0, 1, 2, 1, 1, 1, 11)


def test_completion_export_keeps_rates_and_the_run(admin_client, academy):
    rows = csv_rows(admin_client.get(report_url("completion", export="csv")))
    assert rows[0][:3] == ["Course", "Run", "Trainees with a seat"]
    gamma = next(row for row in rows if row[0] == "Gamma: self-paced Git")
    assert gamma == [
        "Gamma: self-paced Git",
        "Self-paced",
        "1",
        "0",
        "0",
        "0.0",
        "0",
        "0",
        "",
    ]


def test_csv_export_neutralises_formulas_in_course_titles(admin_client, catalogue):
    course = CoursePageFactory(parent=catalogue, title='=HYPERLINK("x")')
    enrol(course=course, status=Status.CONFIRMED)
    rows = csv_rows(admin_client.get(report_url("members", export="csv")))
    assert rows[1][0] == '\'=HYPERLINK("x")'


def test_empty_export_has_only_the_headings(admin_client, catalogue):
    rows = csv_rows(admin_client.get(report_url("members", export="csv")))
    assert rows == [["Course", "Members", "Non-members", "Total", "Members' share"]]


# --- Who may see them --------------------------------------------------------


@pytest.fixture
def instructor():
    user = UserFactory(is_staff=True)
    group, _ = Group.objects.get_or_create(name="Instructors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    InstructorFactory(user=user)
    return user


@pytest.mark.parametrize("report", REPORTS)
def test_only_users_with_the_report_permission_see_reports(
    client, academy, instructor, report
):
    """Refused the way Wagtail refuses admin pages: a page request goes back
    to the dashboard with a message, a fetch (the filter menu) gets 403."""
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get(report_url(report)).status_code == 200
    client.force_login(instructor)
    home = reverse("wagtailadmin_home")
    for url in (report_url(report), report_url(report, export="csv")):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, home)
    results = reverse(f"academy_reports:{report}_results")
    xhr = client.get(results, headers={"x-requested-with": "XMLHttpRequest"})
    assert xhr.status_code == 403
    assert "Alpha" not in xhr.content.decode()
    trainee = TraineeProfileFactory().user
    client.force_login(trainee)
    response = client.get(report_url(report, export="csv"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.logout()
    assert "/admin/login/" in client.get(report_url(report))["Location"]


def test_report_menu_items_are_shown_only_with_the_permission(
    client, reporter, instructor
):
    client.force_login(reporter)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Enrolments by course" in home and "Revenue due" in home
    client.force_login(instructor)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Enrolments by course" not in home and "Revenue due" not in home


# --- Charts ----------------------------------------------------------------


def test_chart_draws_the_largest_bars_and_says_the_table_has_all():
    rows = [{"name": f"Course {n}", "a": n, "b": 1} for n in range(30)]
    chart = bar_chart(
        title="T", caption="C", rows=rows, label_key="name",
        series=[("a", "A"), ("b", "B")], limit=5,
    )  # fmt: skip
    assert [bar.label for bar in chart.bars] == [
        f"Course {n}" for n in (29, 28, 27, 26, 25)
    ]
    assert "5 largest of 30" in chart.note
    assert chart.bars[0].total_text == "30"
    assert [legend[0] for legend in chart.legend] == ["A", "B"]
    assert (
        bar_chart(
            title="T", caption="C", rows=[], label_key="name", series=[("a", "A")]
        )
        is None
    )


def test_a_long_cyrillic_label_fits_left_of_the_bars_and_keeps_its_text():
    from enrolments.reports.charts import LABEL_WIDTH

    title = "Основе сајбер безбедности за запослене у малим предузећима"
    chart = bar_chart(
        title="T", caption="C", rows=[{"name": title, "a": 3}], label_key="name",
        series=[("a", "A")],
    )  # fmt: skip
    (bar,) = chart.bars
    # 8px a letter at 13px covers Cyrillic's wide letters; labels end 8px
    # before the bars, so the cut text fits in the label column.
    assert bar.short_label.startswith("Основе сајбер безбедности")
    assert bar.short_label.endswith("…")
    assert len(bar.short_label) * 8 <= LABEL_WIDTH - 8
    assert bar.label == title  # in the tooltip, whole


# --- Queries -----------------------------------------------------------------


def bulk_academy(catalogue, count: int) -> None:
    """`count` enrolments over three courses (runs with two held meetings),
    marked present or absent, made with bulk_create."""
    today = timezone.localdate()
    organisations = [OrganisationFactory(), OrganisationFactory()]
    runs = []
    for n in range(3):
        course = CoursePageFactory(parent=catalogue, title=f"Bulk course {n}")
        run = CourseRunFactory(
            course=course, starts_on=today - dt.timedelta(days=8), ends_on=today
        )
        meetings = [meeting_on(run, -8), meeting_on(run, -7)]
        runs.append((run, meetings))
    users = UserFactory._meta.model.objects.bulk_create(
        [
            UserFactory.build(username=f"bulk{count}-{n}@example.rs")
            for n in range(count)
        ]
    )
    trainees = TraineeProfile.objects.bulk_create(
        [
            TraineeProfile(user=user, full_name=f"Trainee {n}")
            for n, user in enumerate(users)
        ]
    )
    statuses = [Status.CONFIRMED, Status.COMPLETED, Status.PENDING, Status.CANCELLED]
    seat = days_ago(20)
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                trainee=trainee, run=runs[n % 3][0], course=runs[n % 3][0].course,
                status=statuses[n % 4], is_member=n % 2 == 0,
                organisation=organisations[n % 2], price=Decimal("1000"),
                seat_since=seat, outcome="completion" if n % 4 == 1 else "none",
            )
            for n, trainee in enumerate(trainees)
        ]
    )  # fmt: skip
    Enrolment.objects.update(created_at=seat)
    AttendanceRecord.objects.bulk_create(
        [
            AttendanceRecord(
                meeting=runs[n % 3][1][0], enrolment=enrolment,
                status=Mark.PRESENT if n % 3 else Mark.ABSENT, source="register",
            )
            for n, enrolment in enumerate(enrolments)
        ]
    )  # fmt: skip


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("report", REPORTS)
def test_report_queries_do_not_grow_with_enrolments(
    client, reporter, catalogue, report
):
    client.force_login(reporter)
    urls = [
        report_url(report),
        report_url(report, export="csv"),
        report_url(report, export="xlsx"),
    ]
    bulk_academy(catalogue, 10)
    small = [queries_for(client, url) for url in urls]
    bulk_academy(catalogue, 190)
    assert Enrolment.objects.count() == 200
    large = [queries_for(client, url) for url in urls]
    assert small == large
