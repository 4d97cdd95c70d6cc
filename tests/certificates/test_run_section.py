"""A run's overview in /teaching/ lists its certificates with visible
buttons for academy admins: issue, retry, revoke, reissue and download.
Instructors, who hold no certificate permission, get none of it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode

from academy_site.roles import ACADEMY_ADMIN, INSTRUCTOR, grant_role, roles_sync
from certificates.admin import url_names
from enrolments.models import Enrolment
from enrolments.services import enrolment_create
from tests.certificates.factories import completed_enrolment, issue_certificate
from tests.factories import InstructorFactory, TraineeProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def staff(name: str, role: str):
    user = UserFactory(username=f"{name.lower()}@academy.local", is_staff=True)
    grant_role(user=user, role=role)
    return user


@pytest.fixture
def issued(catalogue, django_capture_on_commit_callbacks):
    roles_sync()
    enrolment = completed_enrolment(
        catalogue, trainee=TraineeProfileFactory(full_name="Ana Kovač")
    )
    return issue_certificate(django_capture_on_commit_callbacks, enrolment=enrolment)


def overview_url(run):
    return reverse("teaching:run_overview", args=[run.pk])


def test_the_academy_admin_issues_revokes_and_reissues_from_the_runs_page(
    client, issued
):
    run = issued.enrolment.run
    client.force_login(staff("Vesna", ACADEMY_ADMIN))

    response = client.get(overview_url(run), follow=True)
    page = response.content.decode()

    assert "1 issued · 0 being generated · 0 failed · 0 revoked" in page
    assert reverse(url_names.name("issue"), args=[run.pk]) in page
    row = page.split(f'id="certificate-{issued.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Ana Kovač" in row and issued.serial in row
    back = "?" + urlencode({"next": response.request["PATH_INFO"]})
    for view in ("revoke", "reissue"):
        assert reverse(url_names.name(view), args=[issued.pk]) + back in row
    assert reverse("certificates:download", args=[issued.pk]) in row
    # The revoke link opens the admin's confirmation, which comes back here.
    confirm = client.get(reverse(url_names.name("revoke"), args=[issued.pk]) + back)
    assert confirm.status_code == 200


def test_an_instructor_gets_no_certificate_actions(client, issued):
    run = issued.enrolment.run
    boris = staff("Boris", INSTRUCTOR)
    InstructorFactory(full_name="Boris Borić", user=boris)
    run.instructors.add(boris.instructor)
    run.save()
    client.force_login(boris)

    page = client.get(overview_url(run), follow=True).content.decode()

    assert "Attendance:" in page  # their run's page, without the certificates
    assert issued.serial not in page
    assert reverse(url_names.name("issue"), args=[run.pk]) not in page
    assert reverse(url_names.name("revoke"), args=[issued.pk]) not in page


def test_the_section_reads_in_a_fixed_number_of_queries(
    client, issued, django_capture_on_commit_callbacks
):
    run = issued.enrolment.run
    client.force_login(staff("Vesna", ACADEMY_ADMIN))

    def queries(extra: int) -> int:
        for i in range(extra):
            enrolment = enrolment_create(
                trainee=TraineeProfileFactory(full_name=f"Trainee {i}"), run=run
            )
            Enrolment.objects.filter(pk=enrolment.pk).update(outcome="completion")
            enrolment.refresh_from_db()
            issue_certificate(django_capture_on_commit_callbacks, enrolment=enrolment)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(overview_url(run), follow=True).status_code == 200
        return len(captured)

    queries(0)  # warms the per-process caches
    assert queries(1) == queries(4)
