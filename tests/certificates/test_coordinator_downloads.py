"""An organisation's coordinator sees their staff's training and downloads
their certificates, one PDF or all as a ZIP; nobody else's."""

import datetime as dt
import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enrolments.services.attendance import register_save
from enrolments.services.membership import coordinator_appoint
from tests.certificates.factories import completed_enrolment, issue_certificate
from tests.factories import (
    MeetingFactory,
    MembershipPeriodFactory,
    OrganisationFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def panonija():
    organisation = OrganisationFactory(name="Panonija Soft d.o.o.")
    MembershipPeriodFactory(organisation=organisation)
    return organisation


@pytest.fixture
def coordinator(client, panonija):
    user = UserFactory(email="dragana@panonijasoft.rs")
    coordinator_appoint(organisation=panonija, user=user, by=None)
    client.force_login(user)
    return user


def staff_certificate(capture, catalogue, organisation, name):
    trainee = TraineeProfileFactory(full_name=name, organisation=organisation)
    enrolment = completed_enrolment(catalogue, trainee=trainee)
    return issue_certificate(capture, enrolment=enrolment)


def test_the_staff_page_shows_attendance_progress_and_certificates(
    client,
    django_capture_on_commit_callbacks,
    catalogue,
    coordinator,
    panonija,
    time_machine,
):
    ours = staff_certificate(
        django_capture_on_commit_callbacks, catalogue, panonija, "Ana Kovač"
    )
    run = ours.enrolment.run
    meeting = MeetingFactory(run=run, date=run.starts_on)
    # The day after the meeting, once it was held and marked.
    time_machine.move_to(
        dt.datetime.combine(run.starts_on, dt.time(18), tzinfo=dt.UTC), tick=False
    )
    register_save(meeting=meeting, marks={ours.enrolment.pk: "present"}, by=None)
    # The session opened before the clock moved may have expired by then (two
    # weeks, and the run starts in two): log in again at the new time.
    client.force_login(coordinator)
    theirs = staff_certificate(
        django_capture_on_commit_callbacks, catalogue, OrganisationFactory(), "Eva Tuđa"
    )
    # Named Panonija but never confirmed: not counted as its staff.
    pending = TraineeProfileFactory(
        full_name="Stefan Pending", organisation=panonija, confirmed=False
    )
    completed_enrolment(catalogue, trainee=pending)

    page = client.get(reverse("coordination:enrolments", args=[panonija.pk]))
    html = page.content.decode()

    assert "Ana Kovač" in html and "100%" in html
    assert reverse("certificates:download", args=[ours.pk]) in html
    assert "Eva Tuđa" not in html and "Stefan Pending" not in html
    assert (
        client.get(reverse("certificates:download", args=[ours.pk])).status_code == 200
    )
    assert (
        client.get(reverse("certificates:download", args=[theirs.pk])).status_code
        == 404
    )


def test_the_zip_holds_the_staffs_issued_certificates_only(
    client, django_capture_on_commit_callbacks, catalogue, coordinator, panonija
):
    ours = staff_certificate(
        django_capture_on_commit_callbacks, catalogue, panonija, "Đorđe Petrović"
    )
    staff_certificate(
        django_capture_on_commit_callbacks, catalogue, OrganisationFactory(), "Eva Tuđa"
    )

    response = client.get(reverse("certificates:organisation_zip", args=[panonija.pk]))

    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == [f"{ours.serial}-Djordje-Petrovic.pdf"]
    assert archive.read(archive.namelist()[0]).startswith(b"%PDF")


def test_another_organisations_zip_and_pages_are_not_found(
    client, coordinator, panonija
):
    other = OrganisationFactory()
    for url in (
        reverse("certificates:organisation_zip", args=[other.pk]),
        reverse("coordination:enrolments", args=[other.pk]),
        reverse("coordination:enrolments_export", args=[other.pk, "csv"]),
    ):
        assert client.get(url).status_code == 404


def test_the_export_lists_the_same_lines_as_text_safe_csv(
    client, django_capture_on_commit_callbacks, catalogue, coordinator, panonija
):
    staff_certificate(
        django_capture_on_commit_callbacks, catalogue, panonija, "=HYPERLINK(1)"
    )
    csv = client.get(
        reverse("coordination:enrolments_export", args=[panonija.pk, "csv"])
    ).content.decode("utf-8-sig")
    header, row = csv.strip().splitlines()
    assert header.startswith("Name,E-mail,Course,Run starts,Status")
    assert row.startswith("'=HYPERLINK(1),")
    xlsx = client.get(
        reverse("coordination:enrolments_export", args=[panonija.pk, "xlsx"])
    )
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    bad = reverse("coordination:enrolments_export", args=[panonija.pk, "pdf"])
    assert client.get(bad).status_code == 404


def test_the_staff_page_reads_in_a_fixed_number_of_queries(
    client, django_capture_on_commit_callbacks, catalogue, coordinator, panonija
):
    url = reverse("coordination:enrolments", args=[panonija.pk])

    def queries_with(extra: int) -> int:
        for i in range(extra):
            staff_certificate(
                django_capture_on_commit_callbacks, catalogue, panonija, f"Staff {i}"
            )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries_with(1)  # warms the per-process caches
    assert queries_with(1) == queries_with(8)
