"""The outbox (academy_site/outbox/): one way every e-mail is written, sent,
retried and swept. The proofs with a real worker, a broker outage and a
worker killed mid-send are in tests/reliability/test_outbox.py."""

import datetime as dt
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from academy_site.outbox import services
from academy_site.outbox.models import OutboundEmail
from academy_site.outbox.services import (
    MAX_ATTEMPTS,
    email_queue,
    email_retry,
    email_send,
    emails_forget_user,
    emails_sweep,
)
from academy_site.roles import ACADEMY_ADMIN, grant_role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = OutboundEmail.Status
NOW = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC)
LISTING = "wagtailsnippets_academy_site_outboundemail:list"


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves by hand: the outbox reads timezone.now()."""

    class Clock:
        now = NOW

        def advance(self, **delta):
            self.now += dt.timedelta(**delta)

    frozen = Clock()
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen


def queue(**fields) -> OutboundEmail | None:
    values = {
        "kind": "test.note",
        "to": "ana@firma.rs",
        "subject": "Hello",
        "body_text": "Plain",
        "body_html": "<p>Rich</p>",
    }
    return email_queue(**(values | fields))


def test_an_email_is_written_with_the_change_and_sent_once_it_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue()

    email.refresh_from_db()
    assert email.status == Status.SENT and email.attempts == 1
    [message] = mail.outbox
    assert (message.to, message.subject, message.body) == (
        ["ana@firma.rs"],
        "Hello",
        "Plain",
    )
    assert message.alternatives[0] == ("<p>Rich</p>", "text/html")
    assert message.extra_headers["X-Academy-Kind"] == "test.note"


def test_a_rolled_back_change_leaves_no_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            queue()
            raise RuntimeError("the change failed")

    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


def test_a_dedupe_key_makes_the_second_queue_a_no_op():
    first = queue(dedupe_key="once:1")

    assert queue(dedupe_key="once:1") is None
    assert list(OutboundEmail.objects.all()) == [first]


def test_sending_twice_sends_once():
    email = queue()

    assert email_send(email_id=email.pk) is True
    assert email_send(email_id=email.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_database_lock_is_held_while_the_mail_server_talks(monkeypatch):
    # Outside a transaction the send task would run at once (eagerly).
    monkeypatch.setattr(services, "task_on_commit", lambda *args: None)
    email = queue()
    seen = {}

    def send(self, *args, **kwargs):
        # What another connection would read now: the claim is committed.
        seen["in_transaction"] = connection.in_atomic_block
        seen["status"] = OutboundEmail.objects.get(pk=email.pk).status
        return 1

    with mock.patch("django.core.mail.EmailMessage.send", send):
        assert email_send(email_id=email.pk) is True
    assert seen == {"in_transaction": False, "status": Status.SENDING}


def test_a_transient_error_is_retried_with_backoff_then_given_up_with_the_reason(
    clock,
):
    email = queue()
    down = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    delays = []
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=down):
        for attempt in range(1, MAX_ATTEMPTS + 1):
            assert email_send(email_id=email.pk) is False
            email.refresh_from_db()
            assert email.attempts == attempt
            assert "SMTPServerDisconnected" in email.last_error
            if attempt < MAX_ATTEMPTS:
                assert email.status == Status.QUEUED
                delays.append(email.next_attempt_at - clock.now)
                clock.advance(hours=2)
    assert delays == [dt.timedelta(minutes=2**n) for n in range(MAX_ATTEMPTS - 1)]
    assert email.status == Status.FAILED
    assert email.last_error.startswith(f"Gave up after {MAX_ATTEMPTS} attempts.")
    assert email_send(email_id=email.pk) is False  # failed stays failed


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPRecipientsRefused({"ana@firma.rs": (550, b"No such user")}),
        smtplib.SMTPSenderRefused(553, b"Sender not allowed", "academy@localhost"),
    ],
    ids=["unknown recipient", "refused sender"],
)
def test_a_permanent_error_fails_at_once_with_the_reason(error):
    email = queue()
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=error):
        assert email_send(email_id=email.pk) is False

    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.FAILED, 1)
    assert type(error).__name__ in email.last_error


def test_a_greylisting_reply_is_retried():
    email = queue()
    greylisted = smtplib.SMTPDataError(451, b"Try again later")
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=greylisted):
        email_send(email_id=email.pk)

    email.refresh_from_db()
    assert email.status == Status.QUEUED


def test_the_sweep_sends_what_is_due_and_gives_up_on_what_is_too_old(monkeypatch):
    dispatched = []
    monkeypatch.setattr(
        services, "queue_task", lambda name, pk: dispatched.append(pk) or True
    )
    now = timezone.now()

    def written(subject, ago, **fields):
        email = queue(subject=subject)
        OutboundEmail.objects.filter(pk=email.pk).update(
            created_at=now - ago, next_attempt_at=now - ago, **fields
        )
        return email

    too_old = written("old", dt.timedelta(days=2, minutes=10))
    lost = written("lost", dt.timedelta(minutes=3))
    recent = written("recent", dt.timedelta(seconds=20))  # its task is on its way
    half_sent = written(
        "half-sent",
        dt.timedelta(minutes=5),
        status=Status.SENDING,
        claimed_at=now - services.claim_lease() - dt.timedelta(seconds=1),
    )
    sending = written(
        "sending", dt.timedelta(minutes=5), status=Status.SENDING, claimed_at=now
    )
    sent = written("sent", dt.timedelta(minutes=5))
    email_send(email_id=sent.pk)

    result = emails_sweep()

    assert sorted(dispatched) == sorted([lost.pk, half_sent.pk])
    assert result == {"queued": 2, "given_up": 1}
    too_old.refresh_from_db()
    assert too_old.status == Status.FAILED
    assert too_old.last_error == services.GAVE_UP
    recent.refresh_from_db()
    sending.refresh_from_db()
    assert (recent.status, sending.status) == (Status.QUEUED, Status.SENDING)


def test_a_live_worker_s_claim_is_not_taken_over():
    email = queue()
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=Status.SENDING, claimed_at=timezone.now()
    )

    assert email_send(email_id=email.pk) is False
    assert mail.outbox == []


def test_an_admin_retry_puts_a_failed_email_back_in_the_queue(
    django_capture_on_commit_callbacks,
):
    email = queue()
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=Status.FAILED, attempts=6, last_error="SMTPRecipientsRefused: ..."
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert email_retry(email=email) is True

    email.refresh_from_db()
    assert email.status == Status.SENT
    assert email_retry(email=email) is False  # only a failed one


def test_erasure_cancels_what_waits_and_forgets_address_and_text():
    user = UserFactory(email="ana@firma.rs")
    waiting = queue(user=user)
    sent = queue(user=user, subject="Sent before")
    email_send(email_id=sent.pk)
    other = queue(to="someone@else.rs")

    emails_forget_user(user=user)

    waiting.refresh_from_db()
    sent.refresh_from_db()
    assert waiting.status == Status.CANCELLED
    assert sent.status == Status.SENT
    for email in (waiting, sent):
        assert (email.to, email.subject, email.body_text, email.body_html) == (
            "erased@invalid",
            "",
            "",
            "",
        )
    other.refresh_from_db()
    assert other.to == "someone@else.rs"


def test_academy_admins_see_why_an_email_failed(client):
    email = queue()
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=Status.FAILED, attempts=1, last_error="SMTPRecipientsRefused: 550"
    )
    office = UserFactory()
    grant_role(user=office, role=ACADEMY_ADMIN)
    client.force_login(office)

    assert office.has_perm("academy_site.view_outboundemail")
    page = client.get(reverse(LISTING))

    assert page.status_code == 200
    text = page.content.decode()
    assert "ana@firma.rs" in text and "SMTPRecipientsRefused: 550" in text
    assert "Failed" in text


def test_instructors_and_trainees_do_not_see_the_emails(client):
    queue()
    client.force_login(UserFactory())

    page = client.get(reverse(LISTING))

    assert page.status_code in (302, 403)
    assert b"ana@firma.rs" not in page.content
