"""Certificate tasks on a real worker process consuming from the configured
broker (Redis in CI's PostgreSQL pass, kombu's filesystem transport otherwise):
duplicate dispatch leaves one certificate, one stored file and one e-mail.

The worker runs with the test settings, whose MEDIA_ROOT is the session's
`TEST_VAR_DIR/media` whatever the environment says; these tests point the test
process at the same folder, so both sides see the files the worker stores.
"""

import hashlib
import re
import shutil
import time
from pathlib import Path

import pytest

from academy_site.outbox.models import OutboundEmail
from certificates.models import Certificate, Kind
from certificates.selectors import batch_progress
from certificates.services.issuing import (
    certificate_request,
    certificates_issue_for_run,
)
from certificates.tasks import generate_certificate
from tests.certificates.factories import CertificateTemplateFactory, earned_enrolment
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    EnrolmentFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def wait_for(condition, timeout=90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


@pytest.fixture
def worker_media(settings) -> Path:
    """The worker's MEDIA_ROOT, shared with this test process. Emptied of
    certificates first: earlier tests with the worker (tests/browser) leave
    files whose serials, counted from 1 in every test database, repeat here."""
    settings.MEDIA_ROOT = Path(settings.TEST_VAR_DIR) / "media"
    shutil.rmtree(settings.MEDIA_ROOT / "certificates", ignore_errors=True)
    return settings.MEDIA_ROOT


class WorkerLog:
    """What the worker logged since the test began, by task name."""

    def __init__(self, worker):
        self.worker = worker
        self.start = len(worker.output())

    def succeeded(self, task_name: str) -> int:
        since = self.worker.output()[self.start :]
        return len(re.findall(rf"{re.escape(task_name)}\[[^\]]+\] succeeded", since))

    def tail(self) -> str:
        return self.worker.output()[self.start :][-3000:]


def test_duplicate_dispatch_leaves_one_certificate_one_file_and_one_email(
    celery_worker, catalogue, worker_media
):
    CertificateTemplateFactory()
    enrolment = earned_enrolment(catalogue)
    log = WorkerLog(celery_worker)

    # Two requests (a double click) and five more deliveries of the render task
    # (a redelivery, a second worker, an impatient admin) for one certificate.
    first = certificate_request(enrolment=enrolment, kind=Kind.COMPLETION)
    second = certificate_request(enrolment=enrolment, kind=Kind.COMPLETION)
    for _ in range(5):
        generate_certificate.delay(first.pk)

    def all_done():
        return (
            log.succeeded("certificates.tasks.generate_certificate") >= 6
            and log.succeeded("academy_site.outbox.tasks.send_outbound_email") >= 1
        )

    assert wait_for(all_done), "the worker did not finish:\n" + log.tail()
    assert second.pk == first.pk
    certificates = Certificate.objects.filter(enrolment=enrolment, kind="completion")
    assert certificates.count() == 1
    certificate = certificates.get()
    assert certificate.status == Certificate.Status.ISSUED
    assert certificate.render_attempts == 1

    files = sorted((worker_media / "certificates").glob(f"{certificate.serial}*"))
    assert [f.name for f in files] == [Path(certificate.pdf.name).name]
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == certificate.sha256

    [email] = OutboundEmail.objects.filter(dedupe_key=f"certificate:{certificate.pk}")
    assert email.status == OutboundEmail.Status.SENT
    time.sleep(1)  # room for a stray duplicate e-mail task to show up
    assert log.succeeded("academy_site.outbox.tasks.send_outbound_email") == 1
    assert OutboundEmail.objects.get(pk=email.pk).sent_at == email.sent_at


def test_a_bulk_issue_reports_progress_until_the_worker_is_done(
    celery_worker, catalogue, worker_media
):
    CertificateTemplateFactory()
    run = CourseRunFactory(course=CoursePageFactory(parent=catalogue))
    for _ in range(3):
        EnrolmentFactory(run=run)

    batch, problems = certificates_issue_for_run(run=run, by=UserFactory())

    assert problems == []
    finished = wait_for(lambda: batch_progress(batch=batch)["finished"])
    assert finished, "the worker did not finish:\n" + celery_worker.output()[-3000:]
    assert batch_progress(batch=batch) == {
        "total": 3,
        "done": 3,
        "failed": 0,
        "pending": 0,
        "finished": True,
    }
    for certificate in batch.certificates.all():
        assert (worker_media / certificate.pdf.name).is_file()
