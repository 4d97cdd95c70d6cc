"""The certificate panel of the admin dashboard (certificates/admin/
dashboard.py): certificates that failed or are being generated, linked to the
filtered Certificates listing, and this month's issues against last month's;
hidden without "Can view certificate", scoped for instructors, and in a fixed
number of queries."""

import datetime as dt
import itertools

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate, CertificateTemplate, Kind
from enrolments.admin.dashboard import month_bounds
from tests.enrolments.test_dashboard import (
    DASHBOARD,
    add_academy_rows,
    count_queries,
    dashboard,
    instructor_user,
    teach,
)
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    EnrolmentFactory,
    InstructorFactory,
    ModulePageFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Status = Certificate.Status
LISTING = "certificates_admin:list"
_serial = itertools.count(1)


@pytest.fixture
def template():
    return CertificateTemplate.objects.create(name="Completion", kind=Kind.COMPLETION)


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(parent=catalogue, title="Python Basics")


@pytest.fixture
def run(course):
    return CourseRunFactory(course=course)


@pytest.fixture
def superuser():
    return UserFactory(username="root@academy.rs", is_superuser=True)


def certificate(enrolment, template, status, issued_at=None) -> Certificate:
    """A certificate row as the services leave it in `status`."""
    issued = status in (Status.ISSUED, Status.REVOKED, Status.SUPERSEDED)
    return Certificate.objects.create(
        enrolment=enrolment,
        kind=Kind.COMPLETION,
        template=template,
        serial=f"CA-2026-{next(_serial):06d}",
        status=status,
        full_name=enrolment.trainee.full_name,
        course_title=enrolment.course.title,
        hours=16,
        is_member=False,
        language="en",
        pdf="certificates/x.pdf" if issued else "",
        sha256="0" * 64 if issued else "",
        issued_at=(issued_at or timezone.now()) if issued else None,
        revocation_reason="Error." if status == Status.REVOKED else "",
    )


def certificates(run, template, *statuses) -> list[Certificate]:
    return [
        certificate(EnrolmentFactory(run=run), template, status) for status in statuses
    ]


def test_failed_and_waiting_certificates_are_counted_and_linked(
    client, run, template, superuser
):
    certificates(
        run, template, Status.FAILED, Status.FAILED, Status.PENDING, Status.ISSUED
    )
    html = dashboard(client, superuser)
    listing = reverse(LISTING)
    assert "2 certificates failed to generate" in html
    assert "1 certificate is being generated" in html
    assert f'href="{listing}?status=failed"' in html
    assert f'href="{listing}?status=pending"' in html


def test_nothing_failed_or_waiting_says_so(client, run, template, superuser):
    certificates(run, template, Status.ISSUED)
    assert "No certificate has failed or is waiting." in dashboard(client, superuser)


def test_issued_this_month_against_last_month(client, run, template, superuser):
    last_month, this_month = month_bounds()
    for moment in (
        this_month,
        timezone.now(),
        this_month - dt.timedelta(seconds=1),
        last_month - dt.timedelta(days=1),
    ):
        certificate(EnrolmentFactory(run=run), template, Status.ISSUED, moment)
    # Revoked since, but issued this month all the same.
    certificate(EnrolmentFactory(run=run), template, Status.REVOKED, timezone.now())

    html = dashboard(client, superuser)
    panel = html[html.index('id="academy-certificates-section"') :]
    assert '<dd data-figure="this-month">3</dd>' in panel
    assert '<dd data-figure="last-month">1</dd>' in panel


def test_panel_needs_the_view_permission(client, run, template):
    certificates(run, template, Status.FAILED)
    user = UserFactory()
    user.user_permissions.set(Permission.objects.filter(codename="access_admin"))
    html = dashboard(client, user)
    assert "failed to generate" not in html
    assert 'id="academy-certificates-section"' not in html

    user.user_permissions.add(Permission.objects.get(codename="view_certificate"))
    user.user_permissions.add(
        Permission.objects.get(codename="change_attendancerecord")
    )
    user = type(user).objects.get(pk=user.pk)  # a fresh permission cache
    assert "1 certificate failed to generate" in dashboard(client, user)


def test_instructor_with_the_permission_counts_only_own_runs(
    client, run, course, template
):
    teacher = teach(run, instructor_user())
    teacher.user_permissions.add(Permission.objects.get(codename="view_certificate"))
    certificates(run, template, Status.FAILED)
    others = CourseRunFactory(course=course)
    teach(others, instructor_user("other@academy.rs"))
    certificates(others, template, Status.FAILED, Status.FAILED, Status.PENDING)

    html = dashboard(client, teacher)
    assert "1 certificate failed to generate" in html
    assert "being generated" not in html


def test_dashboard_queries_do_not_grow_with_certificates(
    client, course, template, superuser
):
    module = ModulePageFactory(parent=course)
    instructor = InstructorFactory(user=instructor_user())
    client.force_login(superuser)

    def add(count):
        confirmed = add_academy_rows(
            count, course=course, module=module, instructor=instructor
        )
        statuses = itertools.cycle([Status.ISSUED, Status.FAILED, Status.PENDING])
        for enrolment, status in zip(confirmed, statuses, strict=False):
            certificate(enrolment, template, status)

    add(10)
    small = count_queries(client, reverse(DASHBOARD))
    add(190)
    assert count_queries(client, reverse(DASHBOARD)) == small


def test_trainee_factory_names_are_shown_nowhere(client, run, template, superuser):
    trainee = TraineeProfileFactory(full_name="Ana Petrović")
    certificate(EnrolmentFactory(run=run, trainee=trainee), template, Status.FAILED)
    # The panel gives counts only: names stay in the listing behind the link.
    assert "Ana Petrović" not in dashboard(client, superuser)
