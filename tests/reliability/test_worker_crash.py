"""A Celery worker SIGKILLed again and again while it renders a batch of
certificates: every certificate still ends issued exactly once, with one file
whose SHA-256 is the one recorded, no stray files, and none left pending.
Redis redelivers what a killed worker held; a task Redis lost for good (a
kill between BRPOP and the worker's unacked record) is found by the sweep
production runs periodically (certificates.tasks.requeue_stalled_certificates).

Needs PostgreSQL (the row locks that make a redelivered render a no-op) and
Redis (the broker that redelivers what a killed worker never acknowledged,
after a visibility timeout shortened here to a few seconds). The worker
consumes from a database number of its own on the configured Redis server
(ACADEMY_CRASH_REDIS_DB, default 15), so a worker another test left running
cannot take the batch away from the one that is killed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/academy \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \\
    pytest tests/reliability/test_worker_crash.py

ACADEMY_CRASH_ROUNDS (default 20) sets how many times the worker is killed,
ACADEMY_CRASH_CERTIFICATES (default 80) the size of the batch: large enough
that every kill lands while there is work left.
"""

import datetime as dt
import hashlib
import os
import random
import shutil
import time
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.models import ModelLogEntry

from academy_site.outbox.models import OutboundEmail
from academy_site.outbox.services import emails_sweep
from certificates import audit
from certificates.models import Certificate
from certificates.services.issuing import certificates_issue_for_run
from certificates.services.rendering import stalled_requeue
from tests.certificates.factories import CertificateTemplateFactory
from tests.conftest import skip_or_fail
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    EnrolmentFactory,
    UserFactory,
)
from tests.reliability.brokers import publishing_to, redis_url_with_db
from tests.reliability.processes import KillableWorker
from tests.services import redis_reachable

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROUNDS = int(os.environ.get("ACADEMY_CRASH_ROUNDS", "20"))
CERTIFICATES = int(os.environ.get("ACADEMY_CRASH_CERTIFICATES", "80"))
VISIBILITY_TIMEOUT = 3
RATE_LIMIT = "10/s"
Status = Certificate.Status


@pytest.fixture
def crash_broker(settings) -> str:
    """A Redis database of this test's own, emptied of what an earlier run
    left unacknowledged."""
    import redis

    if not settings.CELERY_BROKER_URL.startswith("redis"):
        skip_or_fail(
            "needs Redis as the broker (CELERY_BROKER_URL=redis://...): only a "
            "broker with a visibility timeout redelivers a killed worker's tasks"
        )
    db = int(os.environ.get("ACADEMY_CRASH_REDIS_DB", "15"))
    url = redis_url_with_db(settings.CELERY_BROKER_URL, db)
    if not redis_reachable(url):
        skip_or_fail(f"Redis is not reachable at {url}")
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture
def worker_media(settings) -> Path:
    """The worker's MEDIA_ROOT (the test settings' one), shared with this
    process, and emptied of certificates so that every file found at the end
    is one this test made."""
    settings.MEDIA_ROOT = Path(settings.TEST_VAR_DIR) / "media"
    shutil.rmtree(settings.MEDIA_ROOT / "certificates", ignore_errors=True)
    return settings.MEDIA_ROOT


@pytest.fixture
def worker(crash_broker, settings):
    settings.OUTBOX_CLAIM_SECONDS = VISIBILITY_TIMEOUT  # the sweep's, as the worker's
    worker = KillableWorker(
        broker_url=crash_broker,
        log=Path(settings.TEST_VAR_DIR) / "crash-worker.log",
        extra_env={
            "CELERY_RESULT_BACKEND": crash_broker,
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            # At full speed a worker renders a dozen certificates while this
            # process notices one and picks its moment to kill, more on a
            # loaded machine: the batch could end before the last kill. At a
            # fixed pace each round issues a few, whatever the machine.
            "ACADEMY_TEST_TASK_RATE_LIMIT": RATE_LIMIT,
            "ACADEMY_TEST_OUTBOX_CLAIM_SECONDS": str(VISIBILITY_TIMEOUT),
        },
    )
    if worker.log.exists():
        worker.log.unlink()
    yield worker
    worker.stop()


def wait_for(condition, timeout: float, interval: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


def issued_count(batch) -> int:
    return batch.certificates.filter(status=Status.ISSUED).count()


def emails_sent(batch) -> dict[str, object]:
    """The certificates' e-mails the outbox sent: dedupe key -> sent time."""
    keys = [
        f"certificate:{pk}" for pk in batch.certificates.values_list("pk", flat=True)
    ]
    return dict(
        OutboundEmail.objects.filter(
            dedupe_key__in=keys, status=OutboundEmail.Status.SENT
        ).values_list("dedupe_key", "sent_at")
    )


def all_done(batch) -> bool:
    return issued_count(batch) == CERTIFICATES and len(emails_sent(batch)) == (
        CERTIFICATES
    )


def broker_idle(url: str) -> bool:
    """No task queued and none held unacknowledged by a worker: nothing a
    worker could still do."""
    import redis

    client = redis.Redis.from_url(url)
    queued = sum(
        client.llen(key)
        for key in client.scan_iter("celery*")
        if client.type(key) == b"list"
    )
    return queued == 0 and client.zcard("unacked_index") == 0


def test_killed_workers_leave_every_certificate_issued_once_with_one_file(
    catalogue, crash_broker, worker, worker_media
):
    CertificateTemplateFactory()
    run = CourseRunFactory(course=CoursePageFactory(parent=catalogue))
    for _ in range(CERTIFICATES):
        EnrolmentFactory(run=run)
    admin = UserFactory()
    started = time.monotonic()

    with publishing_to(crash_broker):
        batch, problems = certificates_issue_for_run(run=run, by=admin)
    assert problems == []
    assert batch.certificates.count() == CERTIFICATES

    # Each round: a fresh worker renders until at least one more certificate
    # is issued, then the whole process group is SIGKILLed a random moment
    # later, most often in the middle of the next render (before or after its
    # file is stored, before its transaction commits, before the e-mail task
    # is queued).
    chance = random.Random(os.environ.get("ACADEMY_CRASH_SEED"))
    rounds = []
    for _ in range(ROUNDS):
        before = issued_count(batch)
        round_started = time.monotonic()
        worker.start()
        wait_for(
            lambda before=before: issued_count(batch) > before
            or before == CERTIFICATES
            or broker_idle(crash_broker),
            timeout=VISIBILITY_TIMEOUT + 30,
        )
        time.sleep(chance.uniform(0, 0.15))
        worker.kill()
        rounds.append((before, round(time.monotonic() - round_started, 1)))

    # A worker started after the visibility timeout takes back every task a
    # killed one left unacknowledged.
    time.sleep(VISIBILITY_TIMEOUT + 1)
    worker.start()
    wait_for(
        lambda: all_done(batch) or broker_idle(crash_broker),
        timeout=60,
        interval=0.25,
    )
    # Redis can still lose a task for good: BRPOP takes it off the queue and
    # the worker records it as unacknowledged only afterwards, so a kill in
    # between leaves it nowhere. The certificate row still says what is
    # missing; the periodic sweep (requeue_stalled_certificates, run here at
    # once instead of 30 minutes later) queues it again.
    swept = {"renders": 0, "emails": 0}
    if not all_done(batch):
        with publishing_to(crash_broker):
            swept["renders"] = stalled_requeue(stalled_after=dt.timedelta(0))
            time.sleep(VISIBILITY_TIMEOUT + 1)  # claims of killed sends lapse
            swept["emails"] = emails_sweep(lost_after=dt.timedelta(0))["queued"]
    finished = wait_for(lambda: all_done(batch), timeout=60, interval=0.25)
    elapsed = time.monotonic() - started
    sent = emails_sent(batch)
    unfinished = [
        (c.serial, c.status)
        for c in batch.certificates.all()
        if c.status != Status.ISSUED or f"certificate:{c.pk}" not in sent
    ]
    assert finished, (
        f"after {ROUNDS} kills and a sweep, not issued and notified: "
        f"{list(unfinished)}\n{worker.output()[-4000:]}"
    )
    assert worker.kills == ROUNDS
    issued_before_last_kill = rounds[-1][0]
    assert (
        issued_before_last_kill < CERTIFICATES
    ), "the batch was done before the last kill: raise ACADEMY_CRASH_CERTIFICATES"

    # Duplicate deliveries still arriving must change nothing: wait out one
    # more visibility timeout and compare.
    snapshot = {
        c.pk: (c.issued_at, c.sha256, c.pdf.name) for c in batch.certificates.all()
    }
    sent_snapshot = emails_sent(batch)
    time.sleep(VISIBILITY_TIMEOUT + 1)
    worker.stop()

    certificates = list(batch.certificates.order_by("serial"))
    assert all(c.status == Status.ISSUED for c in certificates)
    # Issued once: one committed render (rolled-back attempts leave no trace),
    # one audit entry, the issue date and file the first render recorded.
    assert all(c.render_attempts == 1 for c in certificates)
    assert len({c.serial for c in certificates}) == CERTIFICATES
    assert {c.pk: (c.issued_at, c.sha256, c.pdf.name) for c in certificates} == snapshot
    # One e-mail each, sent once: its time unchanged by any late duplicate.
    assert emails_sent(batch) == sent_snapshot
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Certificate),
        action=audit.ISSUE,
        object_id__in=[str(c.pk) for c in certificates],
    )
    assert entries.count() == CERTIFICATES

    # One file each, byte for byte what the row says, and nothing else.
    stored = sorted(p.name for p in (worker_media / "certificates").iterdir())
    assert stored == sorted(Path(c.pdf.name).name for c in certificates)
    for certificate in certificates:
        body = (worker_media / certificate.pdf.name).read_bytes()
        assert body.startswith(b"%PDF-")
        assert hashlib.sha256(body).hexdigest() == certificate.sha256

    # Shown with -s: the figures quoted in docs/reliability.md.
    print(
        f"\n{ROUNDS} SIGKILLs, {CERTIFICATES} certificates, {elapsed:.0f} s "
        f"until all were issued and notified; tasks lost by the broker and "
        f"queued again by the sweep: {swept}; issued before each kill and "
        f"seconds per round: {rounds}"
    )
