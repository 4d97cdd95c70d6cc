"""What a killed worker or a broker outage can lose, and how it is found again
(the proof with real workers and a real broker is tests/reliability/).

- The e-mail that says a certificate is ready is an outbox row written in the
  transaction that issues the certificate: a worker killed before that commit
  leaves neither (the redelivered render does both), one killed after it
  leaves both, and the outbox sends the e-mail.
- A broker that refuses a task after commit leaves the request done (no error
  page) and the certificate pending; `requeue_stalled_certificates` queues
  the render again.
"""

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from academy_site.outbox.models import OutboundEmail
from certificates.models import Certificate, Kind
from certificates.services.issuing import certificate_request
from certificates.services.rendering import certificate_generate, stalled_requeue
from certificates.tasks import generate_certificate
from tests.certificates.factories import CertificateTemplateFactory, earned_enrolment

pytestmark = pytest.mark.django_db
Status = Certificate.Status


def broker_down(*args, **kwargs):
    raise OperationalError(
        "Error 111 connecting to 127.0.0.1:6379. Connection refused."
    )


@pytest.fixture
def pending(catalogue, monkeypatch, django_capture_on_commit_callbacks):
    """A requested certificate whose render task the broker never took."""
    CertificateTemplateFactory()
    monkeypatch.setattr(generate_certificate, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_request(
            enrolment=earned_enrolment(catalogue), kind=Kind.COMPLETION
        )
    monkeypatch.undo()
    return certificate


class Killed(Exception):
    """The worker dies before its transaction commits."""


def test_a_render_that_dies_before_commit_leaves_no_email_and_its_retry_sends_one(
    pending, django_capture_on_commit_callbacks
):
    with pytest.raises(Killed), transaction.atomic():
        certificate_generate(certificate_id=pending.pk)
        raise Killed

    pending.refresh_from_db()
    assert pending.status == Status.PENDING
    assert not OutboundEmail.objects.filter(kind="certificate.issued").exists()

    with django_capture_on_commit_callbacks(execute=True):
        certificate_generate(certificate_id=pending.pk)
        certificate_generate(certificate_id=pending.pk)  # redelivered as well
    pending.refresh_from_db()
    assert pending.status == Status.ISSUED
    [email] = OutboundEmail.objects.filter(kind="certificate.issued")
    assert email.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1
    assert pending.verification_code in mail.outbox[0].body


def test_a_request_while_the_broker_is_down_stays_pending_without_an_error(
    pending, caplog
):
    pending.refresh_from_db()
    assert pending.status == Status.PENDING
    # Logged while the fixture made the request.
    assert any(
        "Broker unreachable" in record.getMessage()
        for record in caplog.get_records("setup")
    )


def test_the_sweep_queues_stalled_renders_again(
    pending, django_capture_on_commit_callbacks
):
    # Requested long enough ago that its task is surely lost.
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    Certificate.objects.filter(pk=pending.pk).update(created_at=an_hour_ago)

    with django_capture_on_commit_callbacks(execute=True):
        assert stalled_requeue() == 1

    pending.refresh_from_db()
    assert pending.status == Status.ISSUED
    # The render issued it and queued its e-mail: sent.
    assert len(mail.outbox) == 1
    assert stalled_requeue() == 0


def test_the_sweep_leaves_recent_certificates_to_their_tasks(pending, monkeypatch):
    queued = []
    monkeypatch.setattr(generate_certificate, "delay", queued.append)
    assert stalled_requeue() == 0
    assert queued == []
