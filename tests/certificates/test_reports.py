"""The certificate reports under Reports in the Wagtail admin
(certificates/reports.py): certificates issued per month, course and kind, and
an organisation's trainees with their enrolments and certificates."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate, Kind
from enrolments.models import AttendanceRecord, Enrolment, TraineeProfile
from tests.certificates.factories import certificate_template
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    EnrolmentFactory,
    MeetingFactory,
    OrganisationFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Status = Certificate.Status

REPORTS = ["issued", "organisation"]


def report_url(name: str, **params) -> str:
    url = reverse(f"certificate_reports:{name}")
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def local(year, month, day, hour=12) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))


_serials = iter(range(1, 100_000))


def certificate(enrolment, *, kind=Kind.COMPLETION, status=Status.ISSUED, issued_at):
    """A certificate row as the lifecycle services leave it (the PDF itself
    does not matter to a report)."""
    number = next(_serials)
    return Certificate.objects.create(
        enrolment=enrolment,
        kind=kind,
        template=certificate_template(kind),
        serial=f"CA-{issued_at.year}-{number:06d}",
        status=status,
        full_name=enrolment.trainee.full_name,
        course_title=enrolment.course.title,
        hours=Decimal("16"),
        is_member=enrolment.is_member,
        language="sr-latn",
        pdf=f"certificates/{number}.pdf",
        sha256=f"{number:064d}",
        issued_at=issued_at,
        revocation_reason="Issued by mistake." if status == Status.REVOKED else "",
    )


@pytest.fixture
def admin_client(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_reports"])
    )
    client.force_login(user)
    return client


@pytest.fixture
def academy(catalogue):
    """Two courses; a member organisation with two trainees and an outsider;
    certificates issued in March and April 2026 (local time)."""
    alpha = CoursePageFactory(parent=catalogue, title="Alpha: secure coding")
    beta = CoursePageFactory(parent=catalogue, title="Beta: Kubernetes")
    today = timezone.localdate()
    a1 = CourseRunFactory(
        course=alpha, starts_on=today - dt.timedelta(days=5), ends_on=today
    )
    b1 = CourseRunFactory(course=beta)
    member = OrganisationFactory(name="Member d.o.o.")
    ana = TraineeProfileFactory(full_name="Ana Anić", organisation=member)
    djordje = TraineeProfileFactory(full_name="Đorđe Petrović", organisation=member)
    outsider = TraineeProfileFactory(full_name="Zoran Outsider")
    e_ana = EnrolmentFactory(
        run=a1, trainee=ana, organisation=member, is_member=True,
        status=Enrolment.Status.COMPLETED,
    )  # fmt: skip
    e_ana_beta = EnrolmentFactory(
        run=b1, trainee=ana, organisation=member, is_member=True, outcome="none"
    )
    e_djordje = EnrolmentFactory(
        run=a1, trainee=djordje, organisation=member, is_member=True,
        outcome="attendance",
    )  # fmt: skip
    e_out = EnrolmentFactory(run=b1, trainee=outsider)
    past = timezone.now() - dt.timedelta(days=30)
    Enrolment.objects.update(created_at=past, seat_since=past)
    meeting = MeetingFactory(
        run=a1, date=today - dt.timedelta(days=4), start_time=dt.time(9, 0)
    )
    AttendanceRecord.objects.create(
        meeting=meeting, enrolment=e_ana, status="present", source="register"
    )
    AttendanceRecord.objects.create(
        meeting=meeting, enrolment=e_djordje, status="absent", source="register"
    )
    certs = {
        # March: Alpha completion ×2 (one of them since superseded), Alpha
        # attendance ×1 revoked; Beta completion ×1 (the outsider).
        "ana_old": certificate(
            e_ana, status=Status.SUPERSEDED, issued_at=local(2026, 3, 2)
        ),
        "djordje": certificate(
            e_djordje,
            kind=Kind.ATTENDANCE,
            status=Status.REVOKED,
            issued_at=local(2026, 3, 31, 23),
        ),
        "other": certificate(
            e_ana, status=Status.REVOKED, issued_at=local(2026, 3, 10)
        ),
        "outsider": certificate(e_out, issued_at=local(2026, 3, 20)),
        # April: Ana's reissue, issued just after midnight local time.
        "ana_new": certificate(e_ana, issued_at=local(2026, 4, 1, 0)),
    }
    Certificate.objects.create(  # pending: not issued, never counted
        enrolment=e_ana_beta, kind=Kind.COMPLETION,
        template=certificate_template(Kind.COMPLETION), serial="CA-2026-999999",
        full_name="Ana Anić", course_title="Beta", hours=Decimal("8"),
        is_member=True, language="sr-latn",
    )  # fmt: skip
    return {
        "alpha": alpha,
        "beta": beta,
        "a1": a1,
        "member": member,
        "certificates": certs,
        "enrolments": {"ana": e_ana, "ana_beta": e_ana_beta, "djordje": e_djordje},
    }


def cells(rows) -> list[list[str]]:
    return [[text for text, _numeric in row] for row in rows]


# --- Certificates issued ---------------------------------------------------------


def test_certificates_issued_per_month_course_and_kind(admin_client, academy):
    response = admin_client.get(report_url("issued"))
    assert response.status_code == 200
    # month, course, kind, issued, revoked, superseded, total
    assert cells(response.context["report_rows"]) == [
        ["2026-03", "Alpha: secure coding", "Attendance", "0", "1", "0", "1"],
        ["2026-03", "Alpha: secure coding", "Completion", "0", "1", "1", "2"],
        ["2026-03", "Beta: Kubernetes", "Completion", "1", "0", "0", "1"],
        ["2026-04", "Alpha: secure coding", "Completion", "1", "0", "0", "1"],
    ]
    assert cells([response.context["report_totals"]]) == [
        ["Total", "", "", "2", "2", "1", "5"]
    ]
    html = response.content.decode()
    assert "<svg" in html and "Certificates issued per month" in html


def test_certificate_period_is_the_issue_date_in_local_time(admin_client, academy):
    march = admin_client.get(
        report_url("issued", **{"from": "2026-03-01", "to": "2026-03-31"})
    )
    assert cells([march.context["report_totals"]])[0][-1] == "4"
    course = admin_client.get(report_url("issued", course=academy["beta"].pk))
    assert cells([course.context["report_totals"]])[0][-1] == "1"
    organisation = admin_client.get(
        report_url("issued", organisation=academy["member"].pk)
    )
    assert cells([organisation.context["report_totals"]])[0][-1] == "4"
    assert "certificate was issued" in march.content.decode()


def test_certificates_issued_exports(admin_client, academy):
    rows = csv_rows(admin_client.get(report_url("issued", export="csv")))
    assert rows[0] == [
        "Month", "Course", "Kind", "Issued", "Revoked", "Superseded", "Total",
    ]  # fmt: skip
    assert rows[1] == [
        "2026-03",
        "Alpha: secure coding",
        "Attendance",
        "0",
        "1",
        "0",
        "1",
    ]
    assert rows[-1] == ["Total", "", "", "2", "2", "1", "5"]
    response = admin_client.get(report_url("issued", export="xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert list(sheet.active.iter_rows(values_only=True))[-1][3:] == (2, 2, 1, 5)


def test_certificates_issued_empty_state(admin_client, academy):
    response = admin_client.get(report_url("issued", **{"from": "2030-01-01"}))
    assert "No certificates match these filters." in response.content.decode()


# --- An organisation's trainees --------------------------------------------------


def test_organisation_report_needs_an_organisation(admin_client, academy):
    page = admin_client.get(report_url("organisation"))
    assert page.status_code == 200
    html = page.content.decode()
    # The first visit is a prompt, not an error.
    assert "Choose an organisation in the filter menu" in html
    assert "These filters could not be used" not in html
    wrong = admin_client.get(report_url("organisation", organisation="x"))
    html = wrong.content.decode()
    assert "These filters could not be used" in html
    assert "Choose the organisation whose trainees to list." in html or (
        "Choose an organisation from the list." in html
    )
    for params in ({}, {"organisation": "99999"}, {"organisation": "x"}):
        export = admin_client.get(report_url("organisation", export="csv", **params))
        assert export.status_code == 400
        assert "organisation" in export.content.decode().lower()


def test_organisation_report_lists_trainees_enrolments_and_certificates(
    admin_client, academy
):
    member, a1 = academy["member"], academy["a1"]
    response = admin_client.get(report_url("organisation", organisation=member.pk))
    html = response.content.decode()
    assert "Member d.o.o." in html and "Zoran Outsider" not in html
    rows = cells(response.context["report_rows"])
    run_dates = f"{a1.starts_on:%Y-%m-%d} – {a1.ends_on:%Y-%m-%d}"
    certs = academy["certificates"]
    assert [row[0] for row in rows] == ["Ana Anić", "Ana Anić", "Đorđe Petrović"]
    ana_alpha = next(row for row in rows if row[2] == "Alpha: secure coding")
    assert ana_alpha[3:7] == [
        run_dates, "Completed", "100.0 %", "Completion certificate",
    ]  # fmt: skip
    assert ana_alpha[7] == (
        f"{certs['ana_old'].serial} (Completion, Superseded, 2026-03-02); "
        f"{certs['other'].serial} (Completion, Revoked, 2026-03-10); "
        f"{certs['ana_new'].serial} (Completion, Issued, 2026-04-01)"
    )
    djordje = rows[2]
    assert djordje[5:7] == ["0.0 %", "Attendance certificate"]
    assert "Revoked, 2026-03-31" in djordje[7]
    ana_beta = next(row for row in rows if row[2] == "Beta: Kubernetes")
    assert ana_beta[5] == "—"  # no meeting held yet
    assert "CA-2026-999999 (Completion, Being generated)" == ana_beta[7]


def test_organisation_report_exports_every_row(admin_client, academy):
    member = academy["member"]
    response = admin_client.get(
        report_url("organisation", organisation=member.pk, export="csv")
    )
    assert f"organisation-{member.pk}-trainees-" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == [
        "Trainee", "E-mail", "Course", "Run dates", "Status", "Attendance",
        "Outcome", "Certificates",
    ]  # fmt: skip
    assert [row[0] for row in rows[1:]] == ["Ana Anić", "Ana Anić", "Đorđe Petrović"]


def test_organisation_report_empty_state(admin_client, academy):
    empty = OrganisationFactory(name="Empty d.o.o.")
    response = admin_client.get(report_url("organisation", organisation=empty.pk))
    html = response.content.decode()
    assert "Nobody enrolled on behalf of this organisation then." in html


# --- Permission --------------------------------------------------------------


@pytest.mark.parametrize("report", REPORTS)
def test_certificate_reports_need_the_report_permission(client, academy, report):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    params = {"organisation": academy["member"].pk}
    response = client.get(report_url(report, export="csv", **params))
    assert response.status_code == 302
    xhr = client.get(
        reverse(f"certificate_reports:{report}_results"),
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert xhr.status_code == 403
    client.force_login(TraineeProfileFactory().user)
    assert "/admin/login/" in client.get(report_url(report))["Location"]


# --- Queries -----------------------------------------------------------------


def bulk_certificates(catalogue, organisation, count: int) -> None:
    course = CoursePageFactory(parent=catalogue, title=f"Bulk {count}")
    run = CourseRunFactory(course=course)
    MeetingFactory(run=run, date=timezone.localdate() - dt.timedelta(days=1))
    users = UserFactory._meta.model.objects.bulk_create(
        [UserFactory.build(username=f"c{count}-{n}@example.rs") for n in range(count)]
    )
    trainees = TraineeProfile.objects.bulk_create(
        [TraineeProfile(user=u, full_name=f"Trainee {n}") for n, u in enumerate(users)]
    )
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                trainee=t, run=run, course=course, status="completed",
                is_member=True, organisation=organisation, price=Decimal("100"),
                outcome="completion",
            )
            for t in trainees
        ]
    )  # fmt: skip
    Enrolment.objects.update(seat_since=timezone.now() - dt.timedelta(days=30))
    template = certificate_template(Kind.COMPLETION)
    Certificate.objects.bulk_create(
        [
            Certificate(
                enrolment=e, kind=Kind.COMPLETION, template=template,
                serial=f"CB-{count}-{n:06d}", status=Status.ISSUED,
                full_name="T", course_title="C", hours=Decimal("1"),
                is_member=True, language="en", pdf=f"c/{count}-{n}.pdf",
                sha256="ab" * 32, issued_at=local(2026, 1 + n % 12, 5),
            )
            for n, e in enumerate(enrolments)
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
def test_certificate_report_queries_do_not_grow_with_rows(
    admin_client, catalogue, report
):
    organisation = OrganisationFactory()
    urls = [
        report_url(report, organisation=organisation.pk),
        report_url(report, organisation=organisation.pk, export="csv"),
    ]
    bulk_certificates(catalogue, organisation, 10)
    small = [queries_for(admin_client, url) for url in urls]
    bulk_certificates(catalogue, organisation, 190)
    assert Certificate.objects.count() == 200
    large = [queries_for(admin_client, url) for url in urls]
    assert small == large


def test_organisation_report_pages_by_fifty_and_exports_all(admin_client, catalogue):
    organisation = OrganisationFactory()
    bulk_certificates(catalogue, organisation, 55)
    first = admin_client.get(report_url("organisation", organisation=organisation.pk))
    second = admin_client.get(
        report_url("organisation", organisation=organisation.pk, p=2)
    )
    assert len(first.context["report_rows"]) == 50
    assert len(second.context["report_rows"]) == 5
    rows = csv_rows(
        admin_client.get(
            report_url("organisation", organisation=organisation.pk, export="csv")
        )
    )
    assert len(rows) == 1 + 55
