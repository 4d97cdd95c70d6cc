"""Trainees find their certificates in My learning (through enrolments' panel
hook, so enrolments itself knows nothing of certificates)."""

import pytest
from django.urls import reverse

from certificates.services.lifecycle import certificate_revoke
from tests.certificates.factories import completed_enrolment, issue_certificate
from tests.factories import TraineeProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_my_learning_links_the_issued_certificate(
    client, catalogue, django_capture_on_commit_callbacks
):
    trainee = TraineeProfileFactory(full_name="Ђорђе Петровић")
    certificate = issue_certificate(
        django_capture_on_commit_callbacks,
        enrolment=completed_enrolment(catalogue, trainee=trainee),
    )
    client.force_login(trainee.user)

    html = client.get(reverse("learning:home")).content.decode()

    assert reverse("certificates:download", args=[certificate.pk]) in html
    assert certificate.serial in html
    assert reverse("certificates:verify", args=[certificate.verification_code]) in html


def test_a_revoked_certificate_is_shown_as_revoked_without_a_download(
    client, catalogue, django_capture_on_commit_callbacks
):
    trainee = TraineeProfileFactory()
    certificate = issue_certificate(
        django_capture_on_commit_callbacks,
        enrolment=completed_enrolment(catalogue, trainee=trainee),
    )
    certificate_revoke(certificate=certificate, by=UserFactory(), reason="Error")
    client.force_login(trainee.user)

    html = client.get(reverse("learning:home")).content.decode()

    assert "revoked" in html
    assert reverse("certificates:download", args=[certificate.pk]) not in html


def test_another_trainees_certificate_is_not_listed(
    client, catalogue, django_capture_on_commit_callbacks
):
    certificate = issue_certificate(
        django_capture_on_commit_callbacks, enrolment=completed_enrolment(catalogue)
    )
    client.force_login(TraineeProfileFactory().user)
    html = client.get(reverse("learning:home")).content.decode()
    assert certificate.serial not in html
