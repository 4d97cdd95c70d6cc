"""Files through django-storages on an S3-compatible endpoint over HTTP (moto's
server), configured only by environment variables, and kept private."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import boto3
import pytest
import requests

pytestmark = pytest.mark.s3

BASE_DIR = Path(__file__).resolve().parents[2]

SAVE_AND_READ = """
import django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
name = default_storage.save("certificates/Đorđe.pdf", ContentFile(b"%PDF-1.7 test"))
print(type(storages["default"]).__name__)
print(name)
print(default_storage.open(name).read().decode())
print(default_storage.url(name))
"""


def new_bucket(s3_server):
    """A fresh bucket on the test's S3 server, and a client to inspect it."""
    bucket = f"academy-{uuid.uuid4().hex[:8]}"
    credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
    s3 = boto3.client(
        "s3", endpoint_url=s3_server.url, region_name="eu-central-1", **credentials
    )
    s3.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    return s3, bucket


def run_with_s3(code: str, s3_server, bucket: str):
    """Run `code` in a fresh Django process configured for S3 by environment
    variables alone, as production is; it must succeed."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "academy_site.settings.dev",
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": s3_server.url,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_S3_ADDRESSING_STYLE": "path",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result


def test_s3_storage_is_chosen_by_environment_and_files_stay_private(s3_server):
    s3, bucket = new_bucket(s3_server)
    result = run_with_s3(SAVE_AND_READ, s3_server, bucket)
    backend, name, content, url = result.stdout.strip().splitlines()

    assert backend == "S3Storage"
    assert content == "%PDF-1.7 test"
    stored = s3.get_object(Bucket=bucket, Key=name)
    assert stored["Body"].read() == b"%PDF-1.7 test"
    # The object is private: a plain URL is refused, a signed short-lived one works.
    acl = s3.get_object_acl(Bucket=bucket, Key=name)
    assert not any(
        grant["Grantee"].get("URI", "").endswith("AllUsers") for grant in acl["Grants"]
    )
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url
    assert requests.get(url.split("?")[0], timeout=10).status_code == 403
    assert requests.get(url, timeout=10).content == b"%PDF-1.7 test"


RENDITION_AND_CERTIFICATE = """
import django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from wagtail.images.models import get_rendition_storage
renditions = get_rendition_storage()
image = renditions.save("images/course.fill-400x225.png", ContentFile(b"png"))
private = default_storage.save("certificates/CA-1.pdf", ContentFile(b"%PDF-1.7"))
print(renditions.location + "/" + image if renditions.location else image)
print(renditions.url(image))
print(private)
print(default_storage.url(private))
"""


def test_course_images_are_public_and_cached_while_certificates_stay_signed(
    s3_server,
):
    """Renditions (what pages show) go public, unsigned, cached for a year;
    the default storage (certificates, submissions, originals) stays private."""
    s3, bucket = new_bucket(s3_server)
    result = run_with_s3(RENDITION_AND_CERTIFICATE, s3_server, bucket)
    image_key, image_url, private_key, private_url = result.stdout.split()

    assert image_key.startswith("public/images/")
    assert "X-Amz-Signature" not in image_url
    public = requests.get(image_url, timeout=10)
    assert public.status_code == 200 and public.content == b"png"
    assert public.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    acl = s3.get_object_acl(Bucket=bucket, Key=image_key)
    assert any(
        grant["Grantee"].get("URI", "").endswith("AllUsers") for grant in acl["Grants"]
    )

    assert private_key.startswith("certificates/")
    assert "X-Amz-Signature=" in private_url
    assert requests.get(private_url.split("?")[0], timeout=10).status_code == 403
