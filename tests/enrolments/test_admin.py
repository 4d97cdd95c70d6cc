"""Enrolments, organisations and trainees in the Wagtail admin, as an academy
admin uses them: the listing, its filters and exports, bulk decisions, and the
waitlist promoted when a run's capacity is raised."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import CoursePage, CourseRun
from enrolments.models import Enrolment
from enrolments.services import enrolment_approve, enrolment_create
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    MembershipPeriodFactory,
    OrganisationFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Status = Enrolment.Status

LIST_URL = "wagtailsnippets_enrolments_enrolment:list"
TRAINEES_URL = "trainees:index"


def bulk_url(action: str, *enrolments, next_url: str = "") -> str:
    url = reverse("wagtail_bulk_action", args=("enrolments", "enrolment", action))
    ids = "&".join(f"id={enrolment.pk}" for enrolment in enrolments)
    return f"{url}?{ids}&next={next_url or reverse(LIST_URL)}"


def listing(client, **params):
    return client.get(reverse(LIST_URL), params)


def status_of(enrolment) -> str:
    return Enrolment.objects.get(pk=enrolment.pk).status


@pytest.fixture
def staff():
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(
        parent=catalogue,
        title="Secure coding",
        enrolment_policy=CoursePage.EnrolmentPolicy.APPROVAL,
        price_member=Decimal("18000"),
        price_non_member=Decimal("30000"),
    )


@pytest.fixture
def run(course):
    return CourseRunFactory(course=course, capacity=10)


@pytest.fixture
def outbox(mailoutbox, django_capture_on_commit_callbacks):
    """Run the on-commit e-mail tasks of what happens inside `with outbox:`."""

    class Outbox:
        def __enter__(self):
            self._capture = django_capture_on_commit_callbacks(execute=True)
            self._capture.__enter__()
            return mailoutbox

        def __exit__(self, *exc):
            return self._capture.__exit__(*exc)

    return Outbox()


def enrol(run, name="Đorđe Petrović", **trainee) -> Enrolment:
    return enrolment_create(
        trainee=TraineeProfileFactory(full_name=name, **trainee), run=run
    )


def member_organisation(name="Vega IT d.o.o."):
    organisation = OrganisationFactory(name=name)
    MembershipPeriodFactory(organisation=organisation)
    return organisation


# The listing


def test_listing_shows_each_enrolment_with_its_snapshot(admin_client, run):
    organisation = member_organisation()
    enrol(run, "Јована Јовановић", organisation=organisation)
    enrol(run, "Marko Marković")
    response = listing(admin_client)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Јована Јовановић",
        "Marko Marković",
        "Secure coding",
        "Pending approval",
        "Vega IT d.o.o.",
        "18,000 RSD",  # the price in the admin's language's format
        "30,000 RSD",
    ):
        assert text in html


def test_statuses_are_coloured_by_what_they_mean_with_the_word_kept(admin_client, run):
    enrol(run, "Marko Marković")  # pending approval: to act on
    html = listing(admin_client).content.decode()
    assert re.search(
        r'class="w-status academy-status academy-status--warning"[^>]*>\s*'
        r"Pending approval",
        html,
    )
    assert 'href="/static/css/admin.css"' in html or "css/admin." in html


def test_listing_filters_by_status_member_organisation_run_and_course(
    admin_client, course, catalogue
):
    small = CourseRunFactory(course=course, capacity=1)
    other = CourseRunFactory(course=CoursePageFactory(parent=catalogue), capacity=5)
    organisation = member_organisation()
    enrol(small, "Ana Member", organisation=organisation)
    enrol(small, "Bojan Waiting")
    enrol(other, "Ceca Elsewhere", organisation=OrganisationFactory())

    def names(**params):
        html = listing(admin_client, **params).content.decode()
        return {
            name
            for name in ("Ana Member", "Bojan Waiting", "Ceca Elsewhere")
            if name in html
        }

    assert names(status="waitlisted") == {"Bojan Waiting"}
    assert names(is_member="true") == {"Ana Member"}
    assert names(organisation=organisation.pk) == {"Ana Member"}
    assert names(run=other.pk) == {"Ceca Elsewhere"}
    assert names(course=course.pk) == {"Ana Member", "Bojan Waiting"}
    assert names(q="bojan") == {"Bojan Waiting"}


def test_listing_query_count_does_not_grow_with_rows(admin_client, run):
    organisation = member_organisation()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert listing(admin_client).status_code == 200
        return len(captured)

    for i in range(5):
        enrol(run, f"Trainee {i}", organisation=organisation if i % 2 else None)
    with_five = queries()
    run.capacity = 40
    run.save(update_fields=["capacity"])
    for i in range(5, 30):
        enrol(run, f"Trainee {i}", organisation=organisation if i % 2 else None)
    assert Enrolment.objects.count() == 30
    assert queries() == with_five


def test_a_run_links_to_its_enrolments(admin_client, run):
    enrol(run, "Ana")
    enrol(run, "Bojan")
    filtered = f"{reverse(LIST_URL)}?run={run.pk}"
    runs = admin_client.get(reverse("wagtailsnippets_courses_courserun:list"))
    assert filtered in runs.content.decode()
    edit = reverse("wagtailsnippets_courses_courserun:edit", args=(run.pk,))
    html = admin_client.get(edit).content.decode()
    assert filtered in html
    assert "Enrolments (2)" in html


# Bulk decisions


def test_bulk_approve_confirms_pending_requests_and_records_the_approver(
    admin_client, staff, run, outbox
):
    first, second = enrol(run, "Ana"), enrol(run, "Bojan")
    page = admin_client.get(bulk_url("approve", first, second))
    assert page.status_code == 200
    assert "Yes, approve" in page.content.decode()
    with outbox as mails:
        response = admin_client.post(bulk_url("approve", first, second), follow=True)
    assert "Approved 2." in response.content.decode()
    for enrolment in (first, second):
        enrolment.refresh_from_db()
        assert enrolment.status == Status.CONFIRMED
        assert enrolment.decided_by == staff
        assert enrolment.decided_at is not None
    assert sum("approved" in mail.subject for mail in mails) == 2


def test_bulk_approve_skips_and_reports_what_cannot_be_approved(admin_client, run):
    pending = [enrol(run, "Ana"), enrol(run, "Bojan"), enrol(run, "Ceca")]
    confirmed = enrol(run, "Dejan")
    enrolment_approve(enrolment=confirmed, by=None)
    response = admin_client.post(bulk_url("approve", *pending, confirmed), follow=True)
    assert (
        "Approved 3. Skipped 1: only a pending request can be approved."
        in response.content.decode()
    )
    assert {status_of(e) for e in pending} == {Status.CONFIRMED}


def test_bulk_reject_requires_a_reason_and_changes_nothing_without_one(
    admin_client, run
):
    enrolment = enrol(run, "Ana")
    response = admin_client.post(bulk_url("reject", enrolment), {"reason": "  "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert status_of(enrolment) == Status.PENDING


def test_bulk_reject_frees_the_seat_for_the_waitlist_and_tells_the_trainee(
    admin_client, course, outbox
):
    run = CourseRunFactory(course=course, capacity=1)
    rejected, waiting = enrol(run, "Ana"), enrol(run, "Bojan")
    assert waiting.status == Status.WAITLISTED
    with outbox as mails:
        response = admin_client.post(
            bulk_url("reject", rejected),
            {"reason": "The course is for developers only."},
            follow=True,
        )
    assert "Rejected 1." in response.content.decode()
    rejected.refresh_from_db()
    assert rejected.status == Status.REJECTED
    assert rejected.rejection_reason == "The course is for developers only."
    assert status_of(waiting) == Status.OFFERED
    assert CourseRun.objects.get(pk=run.pk).seats_taken == 1
    to_ana = [mail for mail in mails if mail.to == [rejected.trainee.user.email]]
    assert "The course is for developers only." in to_ana[-1].body


def test_bulk_reject_skips_confirmed_enrolments(admin_client, run):
    pending, confirmed = enrol(run, "Ana"), enrol(run, "Bojan")
    enrolment_approve(enrolment=confirmed, by=None)
    response = admin_client.post(
        bulk_url("reject", pending, confirmed), {"reason": "Full."}, follow=True
    )
    assert (
        "Rejected 1. Skipped 1: only a pending or waitlisted request can be rejected."
        in response.content.decode()
    )
    assert status_of(confirmed) == Status.CONFIRMED


def test_the_academy_cancels_an_enrolment_and_the_seat_goes_to_the_waitlist(
    admin_client, course
):
    run = CourseRunFactory(course=course, capacity=1)
    holder, waiting = enrol(run, "Ana"), enrol(run, "Bojan")
    enrolment_approve(enrolment=holder, by=None)
    response = admin_client.post(bulk_url("cancel", holder), follow=True)
    assert "Cancelled 1." in response.content.decode()
    assert status_of(holder) == Status.CANCELLED
    assert status_of(waiting) == Status.OFFERED


def test_select_all_acts_only_on_the_filtered_listing(admin_client, catalogue, run):
    other = CourseRunFactory(
        course=CoursePageFactory(
            parent=catalogue, enrolment_policy=CoursePage.EnrolmentPolicy.APPROVAL
        )
    )
    here, elsewhere = enrol(run, "Ana"), enrol(other, "Bojan")
    url = reverse("wagtail_bulk_action", args=("enrolments", "enrolment", "approve"))
    admin_client.post(f"{url}?run={run.pk}&id=all")
    assert status_of(here) == Status.CONFIRMED
    assert status_of(elsewhere) == Status.PENDING


# Exports


def test_csv_export_keeps_cyrillic_and_only_the_filtered_rows(admin_client, run):
    organisation = member_organisation("Тест д.о.о.")
    enrol(run, "Јована Јовановић", organisation=organisation)
    enrolment_approve(enrolment=enrol(run, "Marko Marković"), by=None)
    response = listing(admin_client, export="csv", status="pending")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Trainee",
        "E-mail",
        "Organisation",
        "Member",
        "Course",
        "Run dates",
        "Status",
        "Price (RSD)",
        "Enrolled at",
        "Decided at",
        "Rejection reason",
    ]
    assert len(rows) == 2
    assert rows[1][0] == "Јована Јовановић"
    assert rows[1][2:5] == ["Тест д.о.о.", "Yes", "Secure coding"]
    assert rows[1][5] == f"{run.starts_on:%Y-%m-%d} – {run.ends_on:%Y-%m-%d}"
    assert rows[1][6:8] == ["Pending approval", "18000.00"]


def test_csv_export_does_not_hand_a_spreadsheet_formulas(admin_client, run):
    enrol(run, '=HYPERLINK("http://evil.example","Click")')
    response = listing(admin_client, export="csv")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example","Click")'


def test_xlsx_export_keeps_cyrillic_and_only_the_filtered_rows(admin_client, run):
    enrol(run, "Јована Јовановић")
    enrolment_approve(enrolment=enrol(run, "Marko Marković"), by=None)
    response = listing(admin_client, export="xlsx", status="confirmed")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == "Marko Marković"
    assert rows[1][6] == "Confirmed"
    assert isinstance(rows[1][8], dt.datetime)
    assert isinstance(rows[1][9], dt.datetime)
    response = listing(admin_client, export="xlsx", q="Јована")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    names = [row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert names == ["Јована Јовановић"]


# Capacity raised in the run editor


def run_edit_form(run, **overrides):
    data = {
        "course": run.course_id,
        "label": run.label,
        "starts_on": run.starts_on.isoformat(),
        "ends_on": run.ends_on.isoformat(),
        "enrolment_opens_on": "",
        "enrolment_closes_on": "",
        "capacity": str(run.capacity),
        "location": run.location,
        "online_url": "",
        "meetings-TOTAL_FORMS": "0",
        "meetings-INITIAL_FORMS": "0",
        "meetings-MIN_NUM_FORMS": "0",
        "meetings-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_raising_capacity_in_the_run_editor_promotes_the_first_waitlisted(
    admin_client, catalogue, outbox
):
    run = CourseRunFactory(course=CoursePageFactory(parent=catalogue), capacity=1)
    enrol(run, "Ana")
    first, second = enrol(run, "Bojan"), enrol(run, "Ceca")
    assert first.status == second.status == Status.WAITLISTED
    edit = reverse("wagtailsnippets_courses_courserun:edit", args=(run.pk,))
    with outbox as mails:
        response = admin_client.post(
            edit, run_edit_form(run, capacity="2"), follow=True
        )
    assert "Offered 1 seat to the waitlist" in response.content.decode()
    assert status_of(first) == Status.OFFERED
    assert status_of(second) == Status.WAITLISTED
    assert CourseRun.objects.get(pk=run.pk).seats_taken == 2
    assert [mail.to for mail in mails if "if you want it" in mail.subject] == [
        [first.trainee.user.email]
    ]


def test_raising_capacity_of_a_course_giving_no_time_promotes_at_once(
    admin_client, catalogue, outbox
):
    course = CoursePageFactory(parent=catalogue, waitlist_offer_hours=0)
    run = CourseRunFactory(course=course, capacity=1)
    enrol(run, "Ana")
    first = enrol(run, "Bojan")
    edit = reverse("wagtailsnippets_courses_courserun:edit", args=(run.pk,))
    with outbox as mails:
        response = admin_client.post(
            edit, run_edit_form(run, capacity="2"), follow=True
        )
    assert "Promoted 1 trainee from the waitlist." in response.content.decode()
    assert status_of(first) == Status.CONFIRMED
    assert [mail.to for mail in mails if "opened up" in mail.subject] == [
        [first.trainee.user.email]
    ]


def test_saving_a_run_without_more_seats_promotes_no_one(admin_client, catalogue):
    run = CourseRunFactory(course=CoursePageFactory(parent=catalogue), capacity=1)
    enrol(run, "Ana")
    waiting = enrol(run, "Bojan")
    edit = reverse("wagtailsnippets_courses_courserun:edit", args=(run.pk,))
    response = admin_client.post(edit, run_edit_form(run, label="Autumn"), follow=True)
    assert "from the waitlist" not in response.content.decode()
    assert status_of(waiting) == Status.WAITLISTED


# No generic writes, and only staff


def test_enrolments_cannot_be_added_edited_or_deleted_through_the_admin(
    admin_client, run
):
    enrolment = enrol(run, "Ana")
    base = reverse(LIST_URL)
    for path in ("add/", f"edit/{enrolment.pk}/", f"delete/{enrolment.pk}/"):
        assert admin_client.get(base + path).status_code == 404, path
        assert admin_client.post(base + path).status_code == 404, path
    html = listing(admin_client).content.decode()
    delete_action = reverse(
        "wagtail_bulk_action", args=("enrolments", "enrolment", "delete")
    )
    assert delete_action not in html
    assert 'href="' + base + "add/" not in html
    # Wagtail routes its Delete action for every snippet; it refuses this one.
    admin_client.post(f"{delete_action}?id={enrolment.pk}")
    assert Enrolment.objects.filter(pk=enrolment.pk).exists()


def test_the_inspect_page_shows_an_enrolment_read_only(admin_client, run):
    enrolment = enrol(run, "Јована Јовановић")
    url = reverse("wagtailsnippets_enrolments_enrolment:inspect", args=(enrolment.pk,))
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "Јована Јовановић" in response.content.decode()


def test_the_inspect_page_reads_in_words_sections_and_local_time(admin_client, run):
    """No "True", "None" or UTC on a record page: Yes/No, a dash, the
    academy's time (Belgrade, an hour ahead of UTC in winter), a price."""
    import datetime as dt

    from django.utils import timezone

    enrolment = enrol(run, "Ana Kovač")
    moment = dt.datetime(2026, 12, 4, 23, 30, tzinfo=dt.UTC)
    Enrolment.objects.filter(pk=enrolment.pk).update(created_at=moment)
    url = reverse("wagtailsnippets_enrolments_enrolment:inspect", args=(enrolment.pk,))

    page = admin_client.get(url).content.decode()

    for heading in ("Who and what", "Decisions", "Result", "Price"):
        assert f">{heading}</h2>" in page
    assert ">Member price</dt>" in page and "<dd>No</dd>" in page
    assert "<dd>None</dd>" not in page and "<dd>False</dd>" not in page
    assert "<dd>—</dd>" in page  # not decided, not cancelled
    assert "30,000 RSD" in page
    # 23:30 UTC is 00:30 the next day in Belgrade.
    enrolled = page[page.index(">Enrolled on<") :][:120]
    assert "<dd>5 December 2026, 00:30</dd>" in enrolled, enrolled
    assert timezone.get_current_timezone_name() == "Europe/Belgrade"


def test_non_staff_users_are_sent_away_from_the_admin(client, run):
    enrolment = enrol(run, "Ana")
    client.force_login(UserFactory())
    organisations = reverse("wagtailsnippets_enrolments_organisation:list")
    for url in (
        reverse(LIST_URL),
        f"{reverse(LIST_URL)}?export=csv",
        reverse(TRAINEES_URL),
        organisations,
        bulk_url("approve", enrolment),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/admin/login/" in response["Location"]
    client.post(bulk_url("approve", enrolment))
    assert status_of(enrolment) == Status.PENDING


def test_staff_who_may_only_view_get_no_decisions(client, run):
    enrolment = enrol(run, "Ana")
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_enrolment"),
    )
    client.force_login(viewer)
    response = listing(client)
    assert response.status_code == 200
    assert "Ana" in response.content.decode()
    assert bulk_url("approve").split("?")[0] not in response.content.decode()
    client.post(bulk_url("approve", enrolment))
    assert status_of(enrolment) == Status.PENDING


# Organisations and trainees


def test_trainees_listing_filters_by_organisation(admin_client, run):
    organisation = member_organisation()
    TraineeProfileFactory(full_name="Ana Member", organisation=organisation)
    TraineeProfileFactory(full_name="Bojan Freelancer")
    response = admin_client.get(reverse(TRAINEES_URL))
    html = response.content.decode()
    assert "Ana Member" in html and "Bojan Freelancer" in html
    html = admin_client.get(
        reverse(TRAINEES_URL), {"organisation": organisation.pk}
    ).content.decode()
    assert "Ana Member" in html
    assert "Bojan Freelancer" not in html


def test_each_organisation_links_to_its_trainees(admin_client):
    organisation = member_organisation()
    TraineeProfileFactory(full_name="Ana Member", organisation=organisation)
    html = admin_client.get(
        reverse("wagtailsnippets_enrolments_organisation:list")
    ).content.decode()
    assert f"{reverse(TRAINEES_URL)}?organisation={organisation.pk}" in html


def test_trainees_listing_query_count_does_not_grow_with_rows(admin_client, run):
    organisation = member_organisation()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(reverse(TRAINEES_URL)).status_code == 200
        return len(captured)

    for i in range(3):
        enrol(run, f"Trainee {i}", organisation=organisation)
    with_three = queries()
    for i in range(3, 12):
        enrol(run, f"Trainee {i}", organisation=OrganisationFactory())
    assert queries() == with_three


def test_trainees_cannot_be_added_or_edited_through_the_admin(admin_client):
    trainee = TraineeProfileFactory()
    base = reverse(TRAINEES_URL)
    for path in ("new/", f"edit/{trainee.pk}/", f"delete/{trainee.pk}/"):
        assert admin_client.get(base + path).status_code == 404, path


def test_the_inspect_page_of_an_offer_says_until_when_it_is_held(
    admin_client, course, time_machine
):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from enrolments.services import enrolment_cancel

    time_machine.move_to(
        dt.datetime(2026, 12, 1, 9, tzinfo=ZoneInfo("Europe/Belgrade")), tick=False
    )
    run = CourseRunFactory(
        course=course,
        capacity=1,
        starts_on=dt.date(2026, 12, 20),
        ends_on=dt.date(2026, 12, 21),
    )
    holder, waiting = enrol(run, "Ana"), enrol(run, "Bojan")
    enrolment_cancel(enrolment=holder, by_staff=True)
    url = reverse("wagtailsnippets_enrolments_enrolment:inspect", args=(waiting.pk,))
    page = admin_client.get(url).content.decode()
    offered = page[page.index(">Seat offered until<") :][:120]
    assert "<dd>3 December 2026, 09:00</dd>" in offered, offered
    assert "Seat offered" in page
