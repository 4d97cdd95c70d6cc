"""Every kind of e-mail survives the two ways it can be lost, through the one
outbox (academy_site/outbox/):

- the broker (a Redis of the test's own) is down when the change commits: the
  change stands, the page or service answers as usual, the e-mail waits as a
  row, and once the broker is back the sweep has a real worker send it,
  exactly once;
- the worker is SIGKILLed in the middle of sending (a local SMTP server holds
  the message's DATA without an answer): nothing is delivered, the row stays
  "sending" until its claim lapses, then it is sent again, exactly once.

Each kind is made the way the product makes it: an enrolment through the
enrol page, a grading through the grading service, a certificate through its
request and generation, a sign-up through the sign-up service.
"""

import datetime as dt
import time
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from academy_site.outbox.models import OutboundEmail
from academy_site.outbox.services import emails_sweep
from certificates.models import Kind
from certificates.services.issuing import certificate_request
from certificates.services.rendering import certificate_generate
from enrolments.accounts.services import trainee_sign_up
from enrolments.services import enrolment_create
from enrolments.services.assignments import submission_grade, submission_submit
from enrolments.tasks import send_meeting_reminders
from tests.certificates.factories import CertificateTemplateFactory, earned_enrolment
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    MeetingFactory,
    ModulePageFactory,
    TraineeProfileFactory,
    UserFactory,
)
from tests.reliability.brokers import publishing_to
from tests.reliability.processes import KillableWorker
from tests.reliability.smtp import StallingSmtpServer

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CLAIM_SECONDS = 3
Status = OutboundEmail.Status


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


# --- The changes that send each kind of e-mail --------------------------------


def enrol_through_the_page(catalogue, client) -> str:
    run = CourseRunFactory(
        course=CoursePageFactory(parent=catalogue, title="Kubernetes"), capacity=3
    )
    trainee = TraineeProfileFactory()
    client.force_login(trainee.user)
    response = client.post(reverse("learning:enrol_run", args=[run.pk]))
    assert response.status_code == 302
    assert response.url == reverse("learning:home")
    assert "You are enrolled in Kubernetes" in client.get(response.url).content.decode()
    return "enrolment.confirmed"


def grade_a_submission(catalogue, client) -> str:
    course = CoursePageFactory(parent=catalogue, title="Kubernetes")
    module = ModulePageFactory(
        parent=course,
        title="Deployments",
        body=[
            {
                "type": "assignment",
                "id": "a-1",
                "value": {
                    "title": "Essay",
                    "instructions": "<p>Write.</p>",
                    "deadline": None,
                    "max_points": "100",
                    "accepts": "both",
                    "required": True,
                },
            }
        ],
    )
    enrolment = enrolment_create(
        trainee=TraineeProfileFactory(), run=CourseRunFactory(course=course)
    )
    submission = submission_submit(
        enrolment=enrolment, module=module, assignment_id="a-1", text_html="Work"
    )
    submission_grade(submission=submission, by=UserFactory(), score="80")
    return "assignment.graded"


def issue_a_certificate(catalogue, client) -> str:
    CertificateTemplateFactory()
    certificate = certificate_request(
        enrolment=earned_enrolment(catalogue), kind=Kind.COMPLETION
    )
    # What the worker's task does; here, so that its e-mail meets the outage.
    certificate_generate(certificate_id=certificate.pk)
    return "certificate.issued"


def sign_up(catalogue, client) -> str:
    trainee_sign_up(
        email="ana@firma.rs",
        full_name="Ana Anić",
        organisation=None,
        preferred_language="sr-latn",
        password="a long passphrase 2026",
    )
    return "account.confirm"


def remind_of_a_meeting(catalogue, client) -> str:
    """Beat's reminder task for a meeting three hours from now (whatever
    the time of day: the run is made around it)."""
    starts = (timezone.localtime() + dt.timedelta(hours=3)).replace(
        second=0, microsecond=0
    )
    run = CourseRunFactory(
        course=CoursePageFactory(parent=catalogue, title="Kubernetes"),
        starts_on=starts.date(),
        ends_on=starts.date(),
        enrolment_closes_on=starts.date(),
    )
    MeetingFactory(run=run, date=starts.date(), start_time=starts.time())
    enrolment_create(trainee=TraineeProfileFactory(), run=run)
    assert send_meeting_reminders() == 1
    return "enrolment.meeting_reminder"


CHANGES = [
    enrol_through_the_page,
    grade_a_submission,
    issue_a_certificate,
    sign_up,
    remind_of_a_meeting,
]
KINDS = [
    "enrolment.confirmed",
    "assignment.graded",
    "certificate.issued",
    "account.confirm",
    "enrolment.meeting_reminder",
]
IDS = [
    "enrolment notice",
    "grade notice",
    "certificate e-mail",
    "confirmation",
    "meeting reminder",
]


@pytest.fixture
def smtp():
    server = StallingSmtpServer()
    yield server
    server.stop()


@pytest.fixture
def worker(own_redis, smtp, settings):
    worker = KillableWorker(
        broker_url=own_redis.url,
        log=Path(settings.TEST_VAR_DIR) / "outbox-worker.log",
        extra_env={
            "CELERY_RESULT_BACKEND": own_redis.url,
            "CELERY_VISIBILITY_TIMEOUT": str(CLAIM_SECONDS),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "EMAIL_USE_TLS": "false",
            "ACADEMY_TEST_OUTBOX_CLAIM_SECONDS": str(CLAIM_SECONDS),
        },
    )
    if worker.log.exists():
        worker.log.unlink()
    yield worker
    worker.stop()


@pytest.mark.parametrize("change", CHANGES, ids=IDS)
def test_an_email_queued_while_the_broker_is_down_is_sent_once_it_is_back(
    change, own_redis, worker, smtp, catalogue, client, caplog
):
    with publishing_to(own_redis.url):
        own_redis.stop()
        kind = change(catalogue, client)

        [email] = OutboundEmail.objects.filter(kind=kind)
        assert email.status == Status.QUEUED
        assert "Broker unreachable" in caplog.text
        waiting = OutboundEmail.objects.filter(status=Status.QUEUED).count()

        own_redis.start()
        worker.start(pool="solo", concurrency=1)
        # The broker came back empty: the sweep finds the e-mails by their rows.
        assert emails_sweep(lost_after=dt.timedelta(0))["queued"] == waiting
        sent = wait_for(
            lambda: not OutboundEmail.objects.exclude(status=Status.SENT).exists(), 60
        )
        assert sent, worker.output()[-3000:]
        # A second sweep (beat runs it every minute) finds nothing to send.
        assert emails_sweep(lost_after=dt.timedelta(0))["queued"] == 0
        time.sleep(1)
    # Each e-mail once: the one of this kind, and any the change also sent
    # (grading a submission follows an enrolment's confirmation).
    assert len(smtp.delivered) == waiting
    assert sum(f"X-Academy-Kind: {kind}".encode() in m for m in smtp.delivered) == 1


@pytest.mark.parametrize(
    "change, kind", list(zip(CHANGES, KINDS, strict=True)), ids=IDS
)
def test_a_worker_killed_in_the_middle_of_a_send_leaves_it_sent_exactly_once(
    change, kind, own_redis, worker, smtp, catalogue, client, settings
):
    settings.OUTBOX_CLAIM_SECONDS = CLAIM_SECONDS  # the sweep's, as the worker's
    smtp.stall_on = f"X-Academy-Kind: {kind}".encode()
    with publishing_to(own_redis.url):
        worker.start(pool="solo", concurrency=1)
        change(catalogue, client)
        [email] = OutboundEmail.objects.filter(kind=kind)

        assert smtp.stalled.wait(60), worker.output()[-3000:]
        worker.kill()  # the mail server has the message but has not taken it
        email.refresh_from_db()
        assert email.status == Status.SENDING
        assert not any(smtp.stall_on in message for message in smtp.delivered)

        worker.start(pool="solo", concurrency=1)
        # Once the claim lapses, the sweep (and Redis, redelivering the task
        # the killed worker never acknowledged) hand it to the new worker.
        time.sleep(CLAIM_SECONDS + 0.5)
        emails_sweep(lost_after=dt.timedelta(0))
        sent = wait_for(
            lambda: OutboundEmail.objects.get(pk=email.pk).status == Status.SENT, 60
        )
        assert sent, worker.output()[-3000:]
        time.sleep(CLAIM_SECONDS + 1)  # room for a duplicate to show up
    email.refresh_from_db()
    assert email.attempts == 2
    assert sum(smtp.stall_on in message for message in smtp.delivered) == 1
