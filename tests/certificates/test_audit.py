"""The audit trail of certificates (certificates/audit.py): issuing,
reissuing, revoking and retrying each leave exactly one entry in Wagtail's
audit log with the acting user and a sentence that says what happened; a
refused change leaves none. Read in Reports > Site history and on a
certificate's History page."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import ModelLogEntry

from certificates import audit
from certificates.models import Certificate, Kind
from certificates.services.errors import CertificateError
from certificates.services.issuing import (
    certificate_request,
    certificates_issue_for_run,
)
from certificates.services.lifecycle import certificate_reissue, certificate_revoke
from certificates.services.rendering import certificate_retry
from tests.certificates.factories import (
    certificate_template,
    completed_enrolment,
    issued_certificate,
)
from tests.factories import TraineeProfileFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Certificate.Status
SITE_HISTORY = "wagtailadmin_reports:site_history"


@pytest.fixture
def staff():
    return UserFactory(username="issuer@academy.rs", is_superuser=True)


@pytest.fixture
def trainee():
    return TraineeProfileFactory(full_name="Ana Petrović")


@pytest.fixture
def certificate(django_capture_on_commit_callbacks, catalogue, trainee):
    """Issued by the completion rules (no user), its own entry cleared so a
    test sees only what it does."""
    issued = issued_certificate(
        django_capture_on_commit_callbacks, catalogue, trainee=trainee
    )
    assert issued.status == Status.ISSUED
    ModelLogEntry.objects.all().delete()
    return issued


def entries(action=None):
    queryset = ModelLogEntry.objects.filter(action__startswith="academy.")
    return queryset.filter(action=action) if action else queryset


def failed(certificate) -> Certificate:
    Certificate.objects.filter(pk=certificate.pk).update(
        status=Status.FAILED, failure_reason="The disk is full"
    )
    certificate.refresh_from_db()
    return certificate


# Issuing


def test_issuing_logs_one_entry_with_the_issuer(catalogue, trainee, staff):
    certificate_template(Kind.COMPLETION)
    enrolment = completed_enrolment(catalogue, trainee=trainee)
    certificate = certificate_request(
        enrolment=enrolment, kind=Kind.COMPLETION, by=staff
    )

    (entry,) = entries()
    assert entry.action == audit.ISSUE
    assert entry.user == staff
    assert entry.content_type == ContentType.objects.get_for_model(Certificate)
    assert entry.object_id == str(certificate.pk)
    assert entry.label == (
        f"Issued completion certificate {certificate.serial} to Ana Petrović "
        "for Kubernetes u produkciji"
    )
    assert entry.message == "Certificate issued"


def test_automatic_issue_is_logged_without_a_user(catalogue, trainee):
    certificate_template(Kind.COMPLETION)
    enrolment = completed_enrolment(catalogue, trainee=trainee)
    certificate_request(enrolment=enrolment, kind=Kind.COMPLETION)
    entry = entries().get()
    assert entry.user is None
    assert entry.user_display_name == "system"


def test_repeated_request_returns_the_certificate_and_logs_nothing_more(
    catalogue, trainee, staff
):
    certificate_template(Kind.COMPLETION)
    enrolment = completed_enrolment(catalogue, trainee=trainee)
    first = certificate_request(enrolment=enrolment, kind=Kind.COMPLETION, by=staff)
    again = certificate_request(enrolment=enrolment, kind=Kind.COMPLETION, by=staff)
    assert again.pk == first.pk
    assert entries().count() == 1


def test_unearned_certificate_logs_nothing(catalogue, trainee, staff):
    certificate_template(Kind.COMPLETION)
    enrolment = completed_enrolment(catalogue, trainee=trainee)
    enrolment.outcome = "none"
    enrolment.save(update_fields=["outcome"])
    with pytest.raises(CertificateError):
        certificate_request(enrolment=enrolment, kind=Kind.COMPLETION, by=staff)
    assert not entries().exists()


def test_bulk_issue_logs_one_entry_per_new_certificate(catalogue, staff):
    certificate_template(Kind.COMPLETION)
    enrolment = completed_enrolment(catalogue)
    completed_enrolment(catalogue)  # another run: not part of this batch
    certificates_issue_for_run(run=enrolment.run, by=staff)
    entry = entries().get()
    assert entry.user == staff
    assert entry.object_id == str(Certificate.objects.get(enrolment=enrolment).pk)


# Lifecycle


def test_revoking_logs_the_reason(certificate, staff):
    certificate_revoke(certificate=certificate, by=staff, reason="Issued in error.")

    (entry,) = entries()
    assert entry.action == audit.REVOKE
    assert entry.user == staff
    assert entry.object_id == str(certificate.pk)
    assert entry.label == (
        f"Revoked certificate {certificate.serial} of Ana Petrović "
        "for Kubernetes u produkciji"
    )
    assert entry.message == "Certificate revoked: Issued in error."
    assert entry.data["reason"] == "Issued in error."


@pytest.mark.parametrize("reason", ["", "   "])
def test_revoking_without_a_reason_logs_nothing(certificate, staff, reason):
    with pytest.raises(CertificateError):
        certificate_revoke(certificate=certificate, by=staff, reason=reason)
    assert not entries().exists()


def test_reissuing_logs_one_entry_on_the_superseded_certificate(
    certificate, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = certificate_reissue(
            certificate=certificate, by=staff, full_name="Ana Petrović Jovanović"
        )

    (entry,) = entries()
    assert entry.action == audit.REISSUE
    assert entry.user == staff
    assert entry.object_id == str(certificate.pk)
    assert entry.label == (
        f"Reissued certificate {certificate.serial} of Ana Petrović for "
        f"Kubernetes u produkciji as {new.serial}"
    )
    assert entry.message == f"Certificate reissued as {new.serial}"
    assert entry.data["new_certificate_id"] == new.pk


def test_refused_lifecycle_changes_log_nothing(certificate, staff):
    certificate_revoke(certificate=certificate, by=staff, reason="Error.")
    ModelLogEntry.objects.all().delete()
    with pytest.raises(CertificateError):
        certificate_revoke(certificate=certificate, by=staff, reason="Again.")
    with pytest.raises(CertificateError):
        certificate_reissue(certificate=certificate, by=staff)
    with pytest.raises(CertificateError):
        certificate_retry(certificate=certificate, by=staff)
    assert not entries().exists()


def test_retrying_logs_one_entry_with_the_failure(certificate, staff):
    certificate_retry(certificate=failed(certificate), by=staff)

    (entry,) = entries()
    assert entry.action == audit.RETRY
    assert entry.user == staff
    assert entry.label == (
        f"Retried generating certificate {certificate.serial} of Ana Petrović "
        "for Kubernetes u produkciji"
    )
    assert entry.data["failure_reason"] == "The disk is full"


def test_admin_pages_log_the_admin_who_clicked(client, certificate, staff):
    client.force_login(staff)
    client.post(
        reverse("certificates_admin:revoke", args=[certificate.pk]),
        {"reason": "Wrong person."},
    )
    assert entries(audit.REVOKE).get().user == staff


# Where the entries are read


def academy_admin():
    user = UserFactory(username="admin@academy.rs")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["certificates", "enrolments", "courses"]
        )
        | Permission.objects.filter(codename__in=["access_admin", "change_page"])
    )
    return user


def test_certificate_history_page_shows_its_entries(client, certificate, staff):
    certificate_revoke(certificate=certificate, by=staff, reason="Issued in error.")
    client.force_login(academy_admin())
    inspect = client.get(reverse("certificates_admin:inspect", args=[certificate.pk]))
    history_url = reverse("certificates_admin:history", args=[certificate.pk])
    assert history_url in inspect.content.decode()

    response = client.get(history_url)
    assert response.status_code == 200
    assert "Certificate revoked: Issued in error." in response.content.decode()


def test_site_history_shows_certificate_entries_to_academy_admins_only(
    client, certificate, staff
):
    certificate_revoke(certificate=certificate, by=staff, reason="Issued in error.")
    client.force_login(academy_admin())
    html = client.get(reverse(SITE_HISTORY)).content.decode()
    assert f"Revoked certificate {certificate.serial}" in html

    instructor = UserFactory(username="milica@academy.rs")
    instructor.user_permissions.set(
        Permission.objects.filter(
            codename__in=["access_admin", "change_courserun", "view_courserun"]
        )
    )
    client.force_login(instructor)
    html = client.get(reverse(SITE_HISTORY)).content.decode()
    assert certificate.serial not in html
    assert "Ana Petrović" not in html
