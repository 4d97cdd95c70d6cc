"""Who may see which certificates (certificates/access.py), asked directly,
with certificates issued the way the academy issues them."""

import pytest
from django.contrib.auth.models import AnonymousUser

from academy_site.roles import ACADEMY_ADMIN, INSTRUCTOR, grant_role, roles_sync
from certificates.access import certificates_downloadable_by, certificates_managed_by
from tests.certificates.factories import completed_enrolment, issue_certificate
from tests.factories import InstructorFactory, UserFactory

pytestmark = pytest.mark.django_db


def staff(name: str, role: str):
    user = UserFactory(username=f"{name.lower()}@academy.local", is_staff=True)
    grant_role(user=user, role=role)
    return user


@pytest.fixture
def certificates(catalogue, django_capture_on_commit_callbacks):
    """Two issued certificates; Boris teaches the first one's run."""
    roles_sync()
    boris = staff("Boris", INSTRUCTOR)
    InstructorFactory(full_name="Boris Borić", user=boris)
    taught = completed_enrolment(catalogue, title="Rust", slug="rust")
    other = completed_enrolment(catalogue, title="Go", slug="go")
    taught.run.instructors.add(boris.instructor)
    taught.run.save()  # a ParentalManyToManyField writes on save
    issued = [
        issue_certificate(django_capture_on_commit_callbacks, enrolment=enrolment)
        for enrolment in (taught, other)
    ]
    return {"boris": boris, "taught": issued[0], "other": issued[1]}


def test_a_trainee_downloads_their_own_certificate_only(certificates):
    owner = certificates["taught"].enrolment.trainee.user
    assert list(certificates_downloadable_by(owner)) == [certificates["taught"]]
    assert not certificates_downloadable_by(AnonymousUser()).exists()


def test_an_academy_admin_downloads_every_certificate(certificates):
    admin = staff("Vesna", ACADEMY_ADMIN)
    assert set(certificates_downloadable_by(admin)) == {
        certificates["taught"],
        certificates["other"],
    }


def test_an_instructor_counts_the_certificates_of_their_runs(certificates):
    boris = certificates["boris"]
    assert list(certificates_managed_by(boris)) == [certificates["taught"]]
    # Teaching a run does not make its certificates downloadable.
    assert not certificates_downloadable_by(boris).exists()
    admin = staff("Vesna", ACADEMY_ADMIN)
    assert certificates_managed_by(admin).count() == 2
