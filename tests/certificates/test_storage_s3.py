"""Certificate PDFs on an S3-compatible endpoint over HTTP (moto's server): the
rendered file lands in the bucket byte for byte, stays private, and an
unreachable endpoint is a transient error the task retries.

The storage is configured the way academy_site/settings/base.py configures it
when AWS_STORAGE_BUCKET_NAME is set; changing STORAGES makes Django build a
fresh default storage, and the test's settings are restored afterwards.
"""

import hashlib
import uuid

import boto3
import pytest
import requests
from botocore.config import Config
from django.core.files.storage import default_storage

from certificates.models import Certificate, Kind
from certificates.services.errors import StorageUnavailable
from certificates.services.issuing import certificate_request
from certificates.services.rendering import certificate_generate
from tests.certificates.factories import CertificateTemplateFactory, earned_enrolment
from tests.services import free_port

pytestmark = [pytest.mark.s3, pytest.mark.django_db]

REGION = "eu-central-1"
CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}


def use_s3(settings, *, endpoint_url: str, bucket: str, **extra) -> None:
    settings.AWS_STORAGE_BUCKET_NAME = bucket
    settings.AWS_S3_ENDPOINT_URL = endpoint_url
    settings.AWS_S3_REGION_NAME = REGION
    settings.AWS_ACCESS_KEY_ID = CREDENTIALS["aws_access_key_id"]
    settings.AWS_SECRET_ACCESS_KEY = CREDENTIALS["aws_secret_access_key"]
    settings.AWS_DEFAULT_ACL = "private"
    settings.AWS_QUERYSTRING_AUTH = True
    settings.AWS_QUERYSTRING_EXPIRE = 300
    settings.AWS_S3_FILE_OVERWRITE = False
    settings.AWS_S3_SIGNATURE_VERSION = "s3v4"
    settings.AWS_S3_ADDRESSING_STYLE = "path"
    for name, value in extra.items():
        setattr(settings, name, value)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }


@pytest.fixture
def bucket(s3_server):
    name = f"certificates-{uuid.uuid4().hex[:8]}"
    client = boto3.client(
        "s3", endpoint_url=s3_server.url, region_name=REGION, **CREDENTIALS
    )
    client.create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    return client, name


def test_the_pdf_is_stored_in_the_bucket_and_kept_private(
    s3_server, bucket, settings, catalogue, django_capture_on_commit_callbacks
):
    s3, bucket_name = bucket
    use_s3(settings, endpoint_url=s3_server.url, bucket=bucket_name)
    CertificateTemplateFactory()

    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_request(
            enrolment=earned_enrolment(catalogue), kind=Kind.COMPLETION
        )

    certificate.refresh_from_db()
    assert type(default_storage._wrapped).__name__ == "S3Storage"
    assert certificate.status == Certificate.Status.ISSUED
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket_name)["Contents"]]
    assert keys == [certificate.pdf.name]
    body = s3.get_object(Bucket=bucket_name, Key=certificate.pdf.name)["Body"].read()
    assert body.startswith(b"%PDF-")
    assert hashlib.sha256(body).hexdigest() == certificate.sha256

    acl = s3.get_object_acl(Bucket=bucket_name, Key=certificate.pdf.name)
    assert not any(
        grant["Grantee"].get("URI", "").endswith(("AllUsers", "AuthenticatedUsers"))
        for grant in acl["Grants"]
    )
    plain_url = f"{s3_server.url}/{bucket_name}/{certificate.pdf.name}"
    assert requests.get(plain_url, timeout=10).status_code == 403
    signed_url = certificate.pdf.url
    assert "X-Amz-Signature=" in signed_url and "X-Amz-Expires=300" in signed_url
    assert requests.get(signed_url, timeout=10).content == body


def test_an_unreachable_endpoint_is_a_transient_error(settings, catalogue):
    use_s3(
        settings,
        endpoint_url=f"http://127.0.0.1:{free_port()}",
        bucket="nowhere",
        AWS_S3_CLIENT_CONFIG=Config(
            connect_timeout=1, read_timeout=1, retries={"max_attempts": 1}
        ),
    )
    CertificateTemplateFactory()
    certificate = certificate_request(
        enrolment=earned_enrolment(catalogue), kind=Kind.COMPLETION
    )

    with pytest.raises(StorageUnavailable):
        certificate_generate(certificate_id=certificate.pk)

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.PENDING
