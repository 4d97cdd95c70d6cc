"""Outages of the services around the academy, and what a user sees of them.

- The broker (Redis) goes down while a trainee enrols: the enrolment is saved
  and the trainee sent on as usual; the e-mail, whose task the broker never
  took, goes out once the broker is back and `send_pending_notices` runs.
  The shared Redis cannot be stopped, so the test starts a redis-server of its
  own (port ACADEMY_OUTAGE_REDIS_PORT, default 6390) and kills it.
- Object storage is unreachable while a certificate renders: the task retries
  with exponential backoff, then marks the certificate failed with the reason
  the admin sees; once storage is back, the admin's retry issues it.
"""

import datetime as dt
import hashlib
import logging
import os
import re
import time
import uuid
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from academy_site.celery import app
from academy_site.roles import ACADEMY_ADMIN, grant_role
from certificates.models import Certificate, Kind
from certificates.services.issuing import certificate_request
from certificates.tasks import generate_certificate
from enrolments.models import Enrolment, EnrolmentNotice, TraineeProfile
from enrolments.tasks import send_enrolment_notice
from tests.certificates.factories import (
    CertificateTemplateFactory,
    EnrolmentFactory,
    earned_enrolment,
)
from tests.certificates.test_storage_s3 import CREDENTIALS, REGION, use_s3
from tests.conftest import skip_or_fail
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    TraineeProfileFactory,
    UserFactory,
)
from tests.reliability.brokers import publishing_to
from tests.reliability.processes import KillableWorker, RedisServer
from tests.services import free_port

REDIS_PORT = int(os.environ.get("ACADEMY_OUTAGE_REDIS_PORT", "6390"))


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


# --- The broker down during an enrolment ------------------------------------


@pytest.fixture
def own_redis():
    if not RedisServer.available():
        skip_or_fail("redis-server is not installed (Debian: apt-get install redis)")
    server = RedisServer(REDIS_PORT)
    try:
        server.start()
    except RuntimeError as error:
        skip_or_fail(str(error))
    yield server
    server.stop()


def sent_by_worker(worker: KillableWorker) -> int:
    """Notices the worker's tasks sent (True), not the no-op runs (False)."""
    task = re.escape(send_enrolment_notice.name)
    return len(
        re.findall(rf"{task}\[[^\]]+\] succeeded in [^:]+: True", worker.output())
    )


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_enrolling_while_the_broker_is_down_saves_and_mails_once_it_is_back(
    own_redis, catalogue, client, settings, caplog
):
    run = CourseRunFactory(
        course=CoursePageFactory(parent=catalogue, title="Kubernetes"), capacity=3
    )
    trainee = TraineeProfileFactory()
    client.force_login(trainee.user)

    with publishing_to(own_redis.url):
        # A web process that has talked to the broker before it went away.
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1)
        send_enrolment_notice.delay(0)
        own_redis.stop()

        with caplog.at_level(logging.WARNING, logger="enrolments.notifications"):
            response = client.post(reverse("learning:enrol_run", args=[run.pk]))

        assert "Broker unreachable" in caplog.text
        assert response.status_code == 302
        assert response.url == reverse("learning:home")
        page = client.get(response.url).content.decode()
        assert "You are enrolled in Kubernetes" in page
        enrolment = Enrolment.objects.get(trainee=trainee, run=run)
        assert enrolment.status == Enrolment.Status.CONFIRMED
        notice = EnrolmentNotice.objects.get(enrolment=enrolment)
        assert notice.sent_at is None
        with pytest.raises(CommandError, match="still unreachable"):
            call_command("send_pending_notices", older_than=0)

        # The broker is back, empty (no persistence): the task it never took
        # is not in it. The sweep finds the notice by its row.
        own_redis.start()
        worker = KillableWorker(
            broker_url=own_redis.url,
            log=Path(settings.TEST_VAR_DIR) / "outage-worker.log",
            extra_env={"CELERY_RESULT_BACKEND": own_redis.url},
        )
        if worker.log.exists():
            worker.log.unlink()
        worker.start(pool="solo", concurrency=1)
        try:
            call_command("send_pending_notices", older_than=0)
            sent = wait_for(
                lambda: EnrolmentNotice.objects.get(pk=notice.pk).sent_at, 60
            )
            assert sent, worker.output()[-3000:]
            # A second sweep (cron runs it again) finds nothing to send.
            call_command("send_pending_notices", older_than=0)
            time.sleep(2)
            assert sent_by_worker(worker) == 1, worker.output()[-3000:]
        finally:
            worker.stop()


def broker_down(*args, **kwargs):
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Refused.")


@pytest.mark.django_db
def test_a_refused_task_does_not_turn_the_enrolment_into_an_error(
    catalogue, client, monkeypatch, django_capture_on_commit_callbacks
):
    run = CourseRunFactory(course=CoursePageFactory(parent=catalogue), capacity=3)
    trainee = TraineeProfileFactory()
    client.force_login(trainee.user)
    monkeypatch.setattr(send_enrolment_notice, "delay", broker_down)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("learning:enrol_run", args=[run.pk]))

    assert len(callbacks) == 1  # the refused dispatch ran, and was caught
    assert response.status_code == 302
    assert response.url == reverse("learning:home")
    notice = EnrolmentNotice.objects.get(enrolment__trainee=trainee)
    assert notice.sent_at is None


@pytest.mark.django_db
def test_the_sweep_sends_only_old_unsent_notices_of_trainees_still_here(
    catalogue, django_capture_on_commit_callbacks
):
    run = CourseRunFactory(course=CoursePageFactory(parent=catalogue), capacity=9)
    now = timezone.now()

    def notice(created_ago, *, sent=False, erased=False):
        enrolment = EnrolmentFactory(run=run)
        if erased:
            TraineeProfile.objects.filter(pk=enrolment.trainee_id).update(erased_at=now)
        row = EnrolmentNotice.objects.create(
            enrolment=enrolment,
            kind=EnrolmentNotice.Kind.CONFIRMED,
            sent_at=now if sent else None,
        )
        EnrolmentNotice.objects.filter(pk=row.pk).update(created_at=now - created_ago)
        return row

    lost = notice(dt.timedelta(minutes=20))
    notice(dt.timedelta(minutes=1))  # its task is probably still queued
    notice(dt.timedelta(minutes=20), sent=True)
    notice(dt.timedelta(days=3))  # about something long past
    notice(dt.timedelta(minutes=20), erased=True)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_pending_notices")

    assert [m.to for m in mail.outbox] == [[lost.enrolment.trainee.user.email]]
    lost.refresh_from_db()
    assert lost.sent_at is not None
    mail.outbox.clear()
    call_command("send_pending_notices")
    assert mail.outbox == []


# --- Storage unreachable during generation ----------------------------------


@pytest.mark.s3
@pytest.mark.django_db
def test_unreachable_storage_retries_with_backoff_fails_then_admin_retry_issues(
    s3_server,
    settings,
    catalogue,
    client,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    # Eager retries run at once, as a worker runs them after the backoff; with
    # errors propagating, Celery would raise the first Retry instead.
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    countdowns = []
    retry = generate_certificate.retry

    def counted_retry(*args, **kwargs):
        countdowns.append(kwargs.get("countdown"))
        return retry(*args, **kwargs)

    monkeypatch.setattr(generate_certificate, "retry", counted_retry)
    use_s3(
        settings,
        endpoint_url=f"http://127.0.0.1:{free_port()}",  # nothing listens
        bucket="certificates",
        AWS_S3_CLIENT_CONFIG=Config(
            connect_timeout=1, read_timeout=1, retries={"max_attempts": 1}
        ),
    )
    CertificateTemplateFactory()

    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_request(
            enrolment=earned_enrolment(catalogue), kind=Kind.COMPLETION
        )

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.FAILED
    assert certificate.failure_reason.startswith("Storage unavailable after 6 retries:")
    # Six retries, each after a random wait of up to 5 s, 10 s, 20 s, ...
    # (exponential backoff with full jitter, capped at 300 s).
    assert len(countdowns) == generate_certificate.max_retries == 6
    caps = [min(300, 5 * 2**attempt) for attempt in range(6)]
    assert caps == [5, 10, 20, 40, 80, 160]
    assert all(0 <= wait <= cap for wait, cap in zip(countdowns, caps, strict=True))

    admin = UserFactory(is_staff=True)
    grant_role(user=admin, role=ACADEMY_ADMIN)
    client.force_login(admin)
    listing = client.get(reverse("certificates_admin:list"))
    assert listing.status_code == 200
    assert "Storage unavailable after 6 retries" in listing.content.decode()

    # Storage is back.
    bucket = f"certificates-{uuid.uuid4().hex[:8]}"
    s3 = boto3.client(
        "s3", endpoint_url=s3_server.url, region_name=REGION, **CREDENTIALS
    )
    s3.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    use_s3(settings, endpoint_url=s3_server.url, bucket=bucket)
    retry_url = reverse("certificates_admin:retry", args=[certificate.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry_url, follow=True)

    assert f"{certificate.serial} is being generated again." in (
        response.content.decode()
    )
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ISSUED
    assert certificate.failure_reason == ""
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == [certificate.pdf.name]
    body = s3.get_object(Bucket=bucket, Key=certificate.pdf.name)["Body"].read()
    assert hashlib.sha256(body).hexdigest() == certificate.sha256
