"""What a killed worker or a broker outage can lose, and how it is found again
(the proof with real workers and a real broker is tests/reliability/).

- A worker killed after a render committed but before it queued the e-mail
  leaves the render task unacknowledged; the broker redelivers it, and the
  redelivered render queues the e-mail the first one never did.
- A broker that refuses a task after commit leaves the request done (no error
  page) and the certificate pending; `requeue_stalled_certificates` queues
  the render, and the e-mail of an issued certificate, again.
"""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from certificates.models import Certificate, Kind
from certificates.services.issuing import certificate_request
from certificates.services.rendering import stalled_requeue
from certificates.tasks import generate_certificate, send_certificate_email
from tests.certificates.factories import CertificateTemplateFactory, earned_enrolment

pytestmark = pytest.mark.django_db
Status = Certificate.Status


@pytest.fixture
def issued_without_email(catalogue, django_capture_on_commit_callbacks):
    """An issued certificate whose e-mail task was lost with a killed worker."""
    CertificateTemplateFactory()
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_request(
            enrolment=earned_enrolment(catalogue), kind=Kind.COMPLETION
        )
    Certificate.objects.filter(pk=certificate.pk).update(notified_at=None)
    mail.outbox.clear()
    certificate.refresh_from_db()
    assert certificate.status == Status.ISSUED
    return certificate


def run_render_task(certificate_id: int, *, redelivered: bool):
    """Run the task body as a worker does for a message the broker handed out
    again (delivery_info["redelivered"], set by Redis past the visibility
    timeout) or for the first time."""
    generate_certificate.push_request(
        delivery_info={"redelivered": redelivered}, retries=0
    )
    try:
        return generate_certificate.run(certificate_id)
    finally:
        generate_certificate.pop_request()


def test_a_redelivered_render_sends_the_email_a_killed_worker_never_queued(
    issued_without_email, django_capture_on_commit_callbacks
):
    certificate = issued_without_email
    with django_capture_on_commit_callbacks(execute=True):
        assert run_render_task(certificate.pk, redelivered=True) == "issued"

    certificate.refresh_from_db()
    assert certificate.notified_at is not None
    assert len(mail.outbox) == 1
    assert certificate.render_attempts == 1  # not rendered again


def test_a_redelivered_render_of_a_notified_certificate_sends_nothing(
    issued_without_email, django_capture_on_commit_callbacks
):
    certificate = issued_without_email
    with django_capture_on_commit_callbacks(execute=True):
        run_render_task(certificate.pk, redelivered=True)
        run_render_task(certificate.pk, redelivered=True)
    assert len(mail.outbox) == 1


def test_a_duplicate_first_delivery_queues_no_email(
    issued_without_email, django_capture_on_commit_callbacks
):
    # Two render tasks of one certificate (a double click): the e-mail the
    # first queued may still be on its way, so the second queues none.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run_render_task(issued_without_email.pk, redelivered=False)
    assert callbacks == []
    assert mail.outbox == []


def broker_down(*args, **kwargs):
    raise OperationalError(
        "Error 111 connecting to 127.0.0.1:6379. Connection refused."
    )


def test_a_request_while_the_broker_is_down_stays_pending_without_an_error(
    catalogue, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    CertificateTemplateFactory()
    monkeypatch.setattr(generate_certificate, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_request(
            enrolment=earned_enrolment(catalogue), kind=Kind.COMPLETION
        )
    certificate.refresh_from_db()
    assert certificate.status == Status.PENDING
    assert "Broker unreachable" in caplog.text


def test_the_sweep_queues_stalled_renders_and_lost_emails_again(
    catalogue, issued_without_email, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(generate_certificate, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        stalled = certificate_request(
            enrolment=earned_enrolment(catalogue), kind=Kind.COMPLETION
        )
    monkeypatch.undo()
    # Issued and requested long enough ago that their tasks are surely lost.
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    Certificate.objects.filter(pk=stalled.pk).update(created_at=an_hour_ago)
    Certificate.objects.filter(pk=issued_without_email.pk).update(issued_at=an_hour_ago)

    with django_capture_on_commit_callbacks(execute=True):
        assert stalled_requeue() == {"renders": 1, "emails": 1}

    stalled.refresh_from_db()
    issued_without_email.refresh_from_db()
    assert stalled.status == Status.ISSUED
    assert issued_without_email.notified_at is not None
    # The render just now issued `stalled` and queued its e-mail: both sent.
    assert len(mail.outbox) == 2
    assert stalled_requeue() == {"renders": 0, "emails": 0}


def test_the_sweep_leaves_recent_certificates_to_their_tasks(
    issued_without_email, monkeypatch
):
    queued = []
    monkeypatch.setattr(send_certificate_email, "delay", queued.append)
    assert stalled_requeue() == {"renders": 0, "emails": 0}
    assert queued == []
