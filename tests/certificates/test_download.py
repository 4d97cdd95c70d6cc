"""The trainee's own certificate: the e-mail that announces it, the private
download it links to (and who else may, or may not, fetch the file), and the
list My learning shows."""

import hashlib

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from academy_site.outbox.models import OutboundEmail
from academy_site.outbox.services import email_send
from certificates.models import Certificate, Kind
from certificates.notifications import certificate_email_queue
from certificates.selectors import certificates_for_trainee
from certificates.services.issuing import certificate_request
from certificates.services.lifecycle import certificate_reissue, certificate_revoke
from tests.certificates.factories import (
    certificate_template,
    completed_enrolment,
    issue_certificate,
    issued_certificate,
    pdf_bytes,
)
from tests.factories import TraineeProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainee(db):
    return TraineeProfileFactory(
        full_name="Ђорђе Петровић",
        user=UserFactory(username="djordje@example.rs"),
        preferred_language="en",
    )


@pytest.fixture
def certificate(catalogue, trainee, django_capture_on_commit_callbacks):
    return issued_certificate(
        django_capture_on_commit_callbacks, catalogue, trainee=trainee
    )


def download_url(certificate: Certificate) -> str:
    return reverse("certificates:download", args=[certificate.pk])


def certificate_emails(certificate: Certificate) -> list:
    return [m for m in mail.outbox if m.subject.startswith("Your certificate:")]


def test_the_trainee_downloads_their_pdf_as_a_private_attachment(
    client, certificate, trainee
):
    client.force_login(trainee.user)

    response = client.get(download_url(certificate))

    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == pdf_bytes(certificate)
    assert hashlib.sha256(body).hexdigest() == certificate.sha256
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{certificate.serial}.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_another_trainee_gets_404(client, certificate):
    client.force_login(TraineeProfileFactory(full_name="Јована Јовановић").user)

    assert client.get(download_url(certificate)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, certificate):
    url = download_url(certificate)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:log_in')}?next={url}"


def test_staff_without_the_permission_get_404(client, certificate):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(download_url(certificate)).status_code == 404


def test_academy_admins_with_the_view_permission_may_download(client, certificate):
    admin = UserFactory(is_staff=True)
    admin.user_permissions.add(
        Permission.objects.get(
            codename="view_certificate", content_type__app_label="certificates"
        )
    )
    client.force_login(admin)

    response = client.get(download_url(certificate))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes(certificate)


def test_a_superuser_may_download(client, certificate):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(download_url(certificate))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_certificate_without_a_file_yet_is_404_even_for_its_owner(
    client, catalogue, trainee
):
    certificate_template(Kind.COMPLETION)
    enrolment = completed_enrolment(catalogue, trainee=trainee)
    # Outside a captured commit the render task never runs: it stays pending.
    pending = certificate_request(enrolment=enrolment, kind=Kind.COMPLETION)
    client.force_login(trainee.user)

    assert client.get(download_url(pending)).status_code == 404


def test_a_revoked_certificates_file_stays_downloadable_by_its_owner(
    client, certificate, trainee
):
    certificate_revoke(certificate=certificate, by=None, reason="Issued in error")
    client.force_login(trainee.user)

    response = client.get(download_url(certificate))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_download_only_answers_get(client, certificate, trainee):
    client.force_login(trainee.user)

    assert client.post(download_url(certificate)).status_code == 405


def test_the_email_is_sent_once_with_the_download_and_verification_links(
    client, certificate, trainee
):
    # Issuing sent it; queueing it again (a redelivered render) and two more
    # runs of the send task (a redelivery, a retry) do not.
    assert certificate_email_queue(certificate=certificate) is False
    email = OutboundEmail.objects.get(dedupe_key=f"certificate:{certificate.pk}")
    assert email_send(email_id=email.pk) is False
    assert email_send(email_id=email.pk) is False

    emails = certificate_emails(certificate)
    assert len(emails) == 1
    email = emails[0]
    assert email.to == [trainee.user.email]
    assert email.subject == "Your certificate: Kubernetes u produkciji"
    # In the trainee's language (English here), as their links open.
    download = f"http://testserver/en/certificates/{certificate.pk}/download/"
    verify = f"http://testserver/en/verify/{certificate.verification_code}/"
    html = email.alternatives[0][0]
    for body in (email.body, html):
        assert "Ђорђе Петровић" in body
        assert "Kubernetes u produkciji" in body
        assert download in body
        assert verify in body
        assert certificate.pdf.name not in body  # never a storage URL
    assert 'href="http://testserver/en/certificates/' in html
    # The link works for the trainee once logged in.
    client.force_login(trainee.user)
    assert client.get(download.removeprefix("http://testserver")).status_code == 200


def test_the_trainees_certificates_are_listed_newest_first_in_every_status(
    catalogue, trainee, certificate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reissued = certificate_reissue(certificate=certificate, by=None)
    second = issue_certificate(
        django_capture_on_commit_callbacks,
        enrolment=completed_enrolment(catalogue, trainee=trainee, title="Go"),
    )
    certificate_revoke(certificate=second, by=None, reason="Issued in error")
    issued_certificate(django_capture_on_commit_callbacks, catalogue)  # another's

    listed = list(certificates_for_trainee(trainee=trainee))

    assert [c.pk for c in listed] == [second.pk, reissued.pk, certificate.pk]
    assert [c.status for c in listed] == ["revoked", "issued", "superseded"]


def test_the_trainees_certificates_come_with_their_course_and_run(
    trainee, certificate, django_assert_num_queries
):
    with django_assert_num_queries(1):
        for listed in certificates_for_trainee(trainee=trainee):
            assert listed.enrolment.course.title == "Kubernetes u produkciji"
            assert listed.enrolment.run.starts_on == certificate.starts_on
