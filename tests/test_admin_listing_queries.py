"""Every admin listing runs a number of queries that does not grow with its
rows: each is loaded with 10 rows, then with 200, and must run the same
queries both times. A listing that grew would do one more query per row (a
column reading a relation that was not joined), which no page size hides."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, PageLogEntry

from certificates import audit as certificate_audit
from certificates.models import Certificate, CertificateTemplate, Kind
from courses.models import Meeting
from enrolments import audit as enrolment_audit
from enrolments.models import (
    AssignmentSubmission,
    Enrolment,
    MembershipPeriod,
    Organisation,
    TraineeProfile,
)
from tests.enrolments.test_dashboard import (
    add_academy_rows,
    count_queries,
    instructor_user,
)
from tests.factories import (
    CoursePageFactory,
    InstructorFactory,
    ModulePageFactory,
    UserFactory,
    today,
    valid_pib,
)

pytestmark = pytest.mark.django_db
_serial = itertools.count(1)

LISTINGS = {
    "enrolments": "wagtailsnippets_enrolments_enrolment:list",
    "organisations": "wagtailsnippets_enrolments_organisation:list",
    "trainees": "trainees:index",
    "runs": "wagtailsnippets_courses_courserun:list",
    "certificates": "certificates_admin:list",
    "certificate templates": "certificate_templates:list",
    "site history": "wagtailadmin_reports:site_history",
    "dashboard": "wagtailadmin_home",
}


class Academy:
    """Grows every kind of row the admin lists, `count` at a time."""

    def __init__(self, catalogue):
        self.course = CoursePageFactory(parent=catalogue, title="Python Basics")
        self.module = ModulePageFactory(parent=self.course)
        self.template = CertificateTemplate.objects.create(
            name="Completion", kind=Kind.COMPLETION
        )
        self.teacher = instructor_user()
        # On the course's team (courses/services.py), so Scheduling > Runs
        # lists the runs of the course to them.
        team = Group.objects.create(name="Python Basics team")
        GroupPagePermission.objects.create(
            group=team,
            page=self.course,
            permission=Permission.objects.get(codename="change_page"),
        )
        self.teacher.groups.add(team)
        self.instructor = InstructorFactory(user=self.teacher)
        self.admin = UserFactory(username="root@academy.rs", is_superuser=True)
        # Publishing the pages above logged entries that the first page of
        # Site history would show with 10 rows and not with 200: another mix
        # of models, not more rows.
        PageLogEntry.objects.all().delete()

    def grow(self, count: int) -> None:
        confirmed = add_academy_rows(
            count, course=self.course, module=self.module, instructor=self.instructor
        )
        ids = [e.pk for e in confirmed]
        self._organisations(count, trainee_ids=[e.trainee_id for e in confirmed])
        self._templates(count)
        certificates = self._certificates(ids)
        self._audit_entries(ids, certificates)

    def _organisations(self, count, *, trainee_ids):
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Firma {n} d.o.o.", pib=valid_pib(20000000 + n))
            for n in (next(_serial) for _ in range(count))
        )
        MembershipPeriod.objects.bulk_create(
            MembershipPeriod(
                organisation=organisation,
                starts_on=today() - dt.timedelta(days=30),
            )
            for organisation in organisations
        )
        for trainee_id, organisation in zip(trainee_ids, organisations, strict=True):
            TraineeProfile.objects.filter(pk=trainee_id).update(
                organisation=organisation
            )
            Enrolment.objects.filter(trainee_id=trainee_id).update(
                organisation=organisation
            )

    def _templates(self, count):
        CertificateTemplate.objects.bulk_create(
            CertificateTemplate(name=f"Design {next(_serial)}", kind=Kind.ATTENDANCE)
            for _ in range(count)
        )

    def _certificates(self, enrolment_ids) -> list[Certificate]:
        statuses = itertools.cycle(["issued", "failed", "pending"])
        made = []
        for enrolment in Enrolment.objects.filter(pk__in=enrolment_ids).select_related(
            "trainee", "course"
        ):
            status = next(statuses)
            issued = status == "issued"
            made.append(
                Certificate(
                    enrolment=enrolment,
                    kind=Kind.COMPLETION,
                    template=self.template,
                    serial=f"CA-2026-{next(_serial):06d}",
                    status=status,
                    full_name=enrolment.trainee.full_name,
                    course_title=enrolment.course.title,
                    hours=16,
                    is_member=False,
                    language="en",
                    pdf="certificates/x.pdf" if issued else "",
                    sha256="0" * 64 if issued else "",
                    issued_at=timezone.now() if issued else None,
                    failure_reason="The disk is full" if status == "failed" else "",
                )
            )
        return Certificate.objects.bulk_create(made)

    def _audit_entries(self, enrolment_ids, certificates):
        """Per confirmed trainee, one entry of each kind, as the services
        write them, interleaved so any page of Site history shows every kind
        (a page's queries grow with the kinds on it, at most one per model)."""
        enrolments = Enrolment.objects.filter(pk__in=enrolment_ids).select_related(
            "trainee", "course", "run__course"
        )
        meetings = {
            m.run_id: m for m in Meeting.objects.filter(run__enrolments__in=enrolments)
        }
        submissions = {
            s.enrolment_id: s
            for s in AssignmentSubmission.objects.filter(enrolment__in=enrolments)
        }
        issued = {c.enrolment_id: c for c in certificates}
        for enrolment in enrolments.order_by("pk"):
            enrolment_audit.log_enrolment_approved(enrolment=enrolment, by=self.admin)
            meeting = meetings[enrolment.run_id]
            meeting.run = enrolment.run
            enrolment_audit.log_register_saved(
                meeting=meeting, by=self.teacher, changed=1
            )
            submission = submissions[enrolment.pk]
            submission.enrolment = enrolment
            submission.score, submission.passed = Decimal("8"), True
            enrolment_audit.log_submission_graded(
                submission=submission, by=self.teacher
            )
            certificate_audit.log_certificate_issued(
                certificate=issued[enrolment.pk], by=self.admin
            )


@pytest.fixture
def academy(catalogue):
    return Academy(catalogue)


@pytest.mark.parametrize("listing", list(LISTINGS))
def test_listing_queries_do_not_grow_with_rows(client, academy, listing):
    url = reverse(LISTINGS[listing])
    client.force_login(academy.admin)
    academy.grow(10)
    small = count_queries(client, url)
    academy.grow(190)
    assert count_queries(client, url) == small, listing


@pytest.mark.parametrize("listing", ["dashboard", "runs", "enrolments", "trainees"])
def test_instructor_listing_queries_do_not_grow_with_rows(client, academy, listing):
    url = reverse(LISTINGS[listing])
    client.force_login(academy.teacher)
    academy.grow(10)
    small = count_queries(client, url)
    academy.grow(190)
    assert count_queries(client, url) == small, listing
    # The rows are there for them: an empty listing would prove nothing.
    seen = "Trainee " if listing == "trainees" else "Python Basics"
    assert seen in client.get(url).content.decode(), listing
