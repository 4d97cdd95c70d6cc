"""The enrolment e-mail goes through the broker to a real worker process, after
the enrolment's transaction commits."""

import time

import pytest

from academy_site.outbox.models import OutboundEmail
from enrolments.services import enrolment_create
from tests.factories import CoursePageFactory, CourseRunFactory, TraineeProfileFactory

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


def test_worker_sends_the_confirmation_after_commit(celery_worker, catalogue):
    run = CourseRunFactory(course=CoursePageFactory(parent=catalogue))
    enrolment = enrolment_create(trainee=TraineeProfileFactory(), run=run)
    email = OutboundEmail.objects.get(dedupe_key=f"enrolment:{enrolment.pk}:confirmed")

    sent = wait_for(lambda: OutboundEmail.objects.get(pk=email.pk).sent_at is not None)

    assert sent, (
        "the worker did not send the notice:\n" + celery_worker.output()[-3000:]
    )
    assert "academy_site.outbox.tasks.send_outbound_email" in celery_worker.output()
