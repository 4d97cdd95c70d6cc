"""Certificates from issue to revocation, in Chromium against the live site
with a real Celery worker rendering the PDFs: an admin issues the certificates
of a finished run in bulk and watches the progress; the trainee downloads
theirs from My learning; a visitor verifies it by its QR code's link and by
uploading the PDF; the admin revokes it and the verification page says so."""

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit

import pypdfium2
import pytest
import zxingcpp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from certificates.models import Certificate
from tests.browser.conftest import (
    PASSWORD,
    expect,
    log_in_to_admin,
    log_in_to_site,
    screenshot,
)
from tests.factories import EnrolmentFactory, TraineeProfileFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TRAINEE_EMAIL = "djordje.petrovic@panonijasoft.example"


@pytest.fixture
def worker_media(settings) -> Path:
    """The worker's MEDIA_ROOT (the session's), shared with the live server so
    both see the PDFs the worker stores."""
    settings.MEDIA_ROOT = Path(settings.TEST_VAR_DIR) / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def finished_run(academy):
    """The Kubernetes run, moved into the past, with three trainees who earned
    a completion certificate."""
    run = academy.run
    today = timezone.localdate()
    run.starts_on = today - dt.timedelta(days=30)
    run.ends_on = today - dt.timedelta(days=23)
    run.save()
    djordje = TraineeProfileFactory(
        user=UserFactory(username=TRAINEE_EMAIL, email=TRAINEE_EMAIL),
        full_name="Đorđe Petrović",
    )
    for trainee in [
        djordje,
        TraineeProfileFactory(full_name="Јована Јовановић"),
        TraineeProfileFactory(full_name="Milica Čolić"),
    ]:
        EnrolmentFactory(run=run, trainee=trainee, outcome="completion")
    return run


def qr_code_url(pdf: bytes) -> str:
    """What a phone reads from the QR code on the certificate's first page."""
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=3).to_pil()
    [code] = [
        result.text
        for result in zxingcpp.read_barcodes(image)
        if result.format == zxingcpp.BarcodeFormat.QRCode
    ]
    return code


def test_admin_issues_in_bulk_trainee_downloads_visitor_verifies_admin_revokes(
    celery_worker, worker_media, new_page, finished_run, tmp_path
):
    get_user_model().objects.create_superuser(
        username="admin", email="admin@academy.local", password=PASSWORD
    )

    # The admin finds the run in Scheduling > Runs and issues in bulk.
    admin = new_page()
    log_in_to_admin(admin, username="admin")
    admin.get_by_role("navigation", name="Main menu").get_by_role(
        "button", name="Scheduling"
    ).click()
    admin.get_by_role("link", name="Runs").click()
    expect(admin.get_by_role("heading", name="Course runs")).to_be_visible()
    row = admin.get_by_role("row").filter(has_text="Kubernetes in Production")
    row.get_by_role("button", name=re.compile("^More options")).click()
    row.get_by_role("link", name="Issue certificates").click()
    expect(admin.get_by_text("3 of 3 trainees earned a certificate.")).to_be_visible()
    screenshot(admin, "certificates-1-run-issue")
    admin.get_by_role("button", name="Issue for all eligible (3)").click()
    # What will be issued, to confirm, before anything is.
    expect(admin.get_by_text("3 completion certificates.")).to_be_visible()
    admin.get_by_role("button", name="Start issuing").click()

    # The progress page updates itself until the worker has rendered all three.
    admin.wait_for_url(re.compile(r"/batches/\d+/$"))
    screenshot(admin, "certificates-2-bulk-issue-progress")
    expect(admin.get_by_text("Finished.")).to_be_visible(timeout=90_000)
    expect(admin.locator("[data-count=done]")).to_have_text("3")
    expect(admin.locator("[data-count=failed]")).to_have_text("0")
    screenshot(admin, "certificates-3-bulk-issue-finished")
    certificate = Certificate.objects.get(enrolment__trainee__user__email=TRAINEE_EMAIL)
    assert certificate.status == Certificate.Status.ISSUED

    # The trainee downloads the PDF from My learning.
    trainee = new_page()
    log_in_to_site(trainee, email=TRAINEE_EMAIL)
    trainee.get_by_role("link", name="My learning").click()
    certificates = trainee.get_by_role("list", name="Certificates")
    expect(certificates).to_contain_text(certificate.serial)
    screenshot(trainee, "certificates-4-my-learning")
    with trainee.expect_download() as download_info:
        certificates.get_by_role("link", name="Download PDF").click()
    pdf_path = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf_path)
    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF")

    # A visitor scans the QR code and opens its link...
    visitor = new_page()
    verify_url = qr_code_url(pdf)
    assert verify_url.startswith(settings.WAGTAILADMIN_BASE_URL)
    visitor.goto(urlsplit(verify_url).path)
    expect(
        visitor.get_by_role("heading", name=f"Certificate {certificate.serial}")
    ).to_be_visible()
    expect(visitor.get_by_role("region", name=re.compile("^Valid:"))).to_be_visible()
    expect(visitor.get_by_text("Đorđe Petrović")).to_be_visible()
    screenshot(visitor, "certificates-5-verification-valid")

    # ...and uploads the file.
    visitor.get_by_role("link", name="verify the file").click()
    visitor.get_by_label("Certificate PDF").set_input_files(pdf_path)
    visitor.get_by_role("button", name="Check the file").click()
    expect(
        visitor.get_by_role(
            "heading", name="This file is a genuine certificate issued by the academy."
        )
    ).to_be_visible()
    screenshot(visitor, "certificates-6-verification-upload")

    # The admin revokes it from the certificates listing.
    admin.get_by_role("link", name="This run's certificates").click()
    row = admin.get_by_role("row").filter(has_text=certificate.serial)
    row.get_by_role("button", name=re.compile("^More options")).click()
    row.get_by_role("link", name="Revoke").click()
    admin.get_by_label("Reason for revoking").fill("Issued for the wrong run.")
    admin.get_by_role("button", name="Revoke the certificate").click()
    expect(admin.get_by_text(re.compile("revoked", re.I)).first).to_be_visible()
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED

    # The same QR link now says the certificate is revoked.
    visitor.goto(urlsplit(verify_url).path)
    expect(
        visitor.get_by_role("region", name=re.compile("^Revoked on .*no longer valid"))
    ).to_be_visible()
    screenshot(visitor, "certificates-7-verification-revoked")
