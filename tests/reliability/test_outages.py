"""Outages of the services around the academy, and what a user sees of them.

- The broker (Redis) goes down while a change that sends an e-mail is saved:
  tests/reliability/test_outbox.py, for every kind of e-mail.
- Object storage is unreachable while a certificate renders: the task retries
  with exponential backoff, then marks the certificate failed with the reason
  the admin sees; once storage is back, the admin's retry issues it.
"""

import hashlib
import time
import uuid

import boto3
import pytest
from botocore.config import Config
from django.urls import reverse

from academy_site.celery import app
from academy_site.roles import ACADEMY_ADMIN, grant_role
from certificates.models import Certificate, Kind
from certificates.services.issuing import certificate_request
from certificates.tasks import generate_certificate
from tests.certificates.factories import (
    CertificateTemplateFactory,
    earned_enrolment,
)
from tests.certificates.test_storage_s3 import CREDENTIALS, REGION, use_s3
from tests.factories import (
    UserFactory,
)
from tests.services import free_port


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


# --- The broker down during an enrolment ------------------------------------


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
