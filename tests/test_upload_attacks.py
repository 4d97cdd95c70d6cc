"""The upload attack matrix: five hostile files, each sent to
the three places that accept uploads (a trainee's assignment submission, the
public /verify/ PDF check, a certificate template background in the admin).
Every cell must be refused with a clear message, or stored and served back only
as an attachment with nosniff and a non-HTML type; never inline. The figure is
in docs/reliability.md ("Uploads")."""

import functools
import io
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import SkipFile
from django.urls import reverse

from certificates import pdf
from certificates.forms import MAX_PDF_BYTES, PdfSizeLimitHandler
from certificates.models import CertificateTemplate
from enrolments.models import AssignmentSubmission
from enrolments.uploads import MAX_UPLOAD_BYTES, SizeLimitUploadHandler
from tests.certificates.test_admin import template_form
from tests.enrolments.test_assignments import (  # noqa: F401 (fixtures)
    course,
    enrolment,
    module,
    page_url,
    png_bytes,
    run,
    trainee,
    trainee_client,
)

pytestmark = pytest.mark.django_db

REFUSED, ATTACHMENT, INLINE = "refused", "attachment", "INLINE"


def png_with_html() -> bytes:
    return png_bytes() + b"<html><body><script>alert(document.domain)</script>"


def html_named_pdf() -> bytes:
    return b"<!doctype html><html><script>alert(document.cookie)</script></html>"


def svg_with_script() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@functools.cache
def zip_bomb_pdf(zeros: int = 64 * 1024 * 1024) -> bytes:
    """A PDF whose one stream inflates from ~64 KB to 64 MB of zeros."""
    stream = zlib.compress(bytes(zeros), 9)
    return (
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Contents 4 0 R >> endobj\n"
        + f"4 0 obj << /Length {len(stream)} /Filter /FlateDecode >> stream\n".encode()
        + stream
        + b"\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


def oversized(limit: int) -> bytes:
    """One byte over the point's limit; the 10x case is streamed below."""
    return b"%PDF-1.7\n" + bytes(limit - 8)


ATTACKS = {
    "png+html": ("photo.png", png_with_html),
    "html-as-pdf": ("report.pdf", html_named_pdf),
    "svg+script": ("logo.svg", svg_with_script),
    "oversized": ("big.pdf", None),
    "zip-bomb-pdf": ("bomb.pdf", zip_bomb_pdf),
}
MATRIX: dict[tuple[str, str], str] = {}


def body_of(attack: str, limit: int) -> tuple[str, bytes]:
    name, build = ATTACKS[attack]
    return name, oversized(limit) if build is None else build()


def assert_attachment(response) -> None:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    content_type = response["Content-Type"]
    assert "html" not in content_type and "svg" not in content_type
    assert "xml" not in content_type


@pytest.mark.parametrize("attack", ATTACKS)
def test_assignment_submission_refuses_or_serves_only_as_attachment(
    attack, trainee_client, module, enrolment  # noqa: F811 (fixtures)
):
    name, body = body_of(attack, MAX_UPLOAD_BYTES)
    response = trainee_client.post(
        page_url(module), {"file": SimpleUploadedFile(name, body)}
    )
    submission = AssignmentSubmission.objects.filter(enrolment=enrolment).first()
    if submission is None:
        assert response.status_code == 200
        page = response.content.decode()
        assert "cannot be uploaded" in page or "larger than 20 MB" in page
        MATRIX[(attack, "assignment")] = REFUSED
        assert attack in {"html-as-pdf", "svg+script", "oversized"}
        return
    assert response.status_code == 302
    served = trainee_client.get(
        reverse("learning:submission_file", args=[submission.pk])
    )
    assert_attachment(served)
    assert submission.file_type in {"image/png", "application/pdf"}
    MATRIX[(attack, "assignment")] = ATTACHMENT


@pytest.mark.parametrize("attack", ATTACKS)
def test_verify_upload_refuses_or_never_stores_the_file(attack, client):
    name, body = body_of(attack, MAX_PDF_BYTES)
    handle = io.BytesIO(body)
    handle.name = name
    response = client.post("/en/verify/", {"file": handle})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")  # our page, not theirs
    page = response.content.decode()
    assert "<script>alert" not in page
    reasons = ("This is not a PDF file.", "larger than 10 MB", "does not match")
    assert any(reason in page for reason in reasons), page[:2000]
    # /verify/ keeps nothing: the file is hashed and dropped, so it is never
    # served back from the site's origin.
    MATRIX[(attack, "verify")] = REFUSED


@pytest.mark.parametrize("attack", ATTACKS)
def test_template_background_is_refused_by_form_or_worker(
    attack, admin_client, django_capture_on_commit_callbacks
):
    name, body = body_of(attack, pdf.MAX_BACKGROUND_BYTES)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("certificate_templates:add"),
            template_form(background=SimpleUploadedFile(name, body)),
        )
    template = CertificateTemplate.objects.first()
    if template is None:
        assert response.status_code == 200
        page = response.content.decode()
        assert "smaller than 5.0" in page or "is not allowed" in page
    else:
        assert template.background_status == (
            CertificateTemplate.BackgroundStatus.INVALID
        ), template.background_error
        assert template.background_error
        assert not template.uses_uploaded_background
    MATRIX[(attack, "background")] = REFUSED


@pytest.mark.parametrize(
    "handler_class, limit",
    [(SizeLimitUploadHandler, MAX_UPLOAD_BYTES), (PdfSizeLimitHandler, MAX_PDF_BYTES)],
    ids=["assignment", "verify"],
)
def test_a_file_ten_times_the_limit_is_dropped_at_the_limit_not_stored(
    handler_class, limit, rf
):
    """Streams 10x the assignment limit (200 MB) in 64 KB chunks without ever
    holding it: the handler stops at the point's limit."""
    request = rf.post("/")
    handler = handler_class(request)
    handler.new_file("file", "big.pdf", "application/pdf", 10 * MAX_UPLOAD_BYTES)
    chunk = bytes(64 * 1024)
    passed = 0
    with pytest.raises(SkipFile):
        for start in range(0, 10 * MAX_UPLOAD_BYTES, len(chunk)):
            handler.receive_data_chunk(chunk, start)
            passed += len(chunk)
    assert passed <= limit
    assert request.upload_refused


def test_zz_print_the_matrix_and_no_cell_is_inline():
    points = ("assignment", "verify", "background")
    if len(MATRIX) < len(ATTACKS) * len(points):
        pytest.skip("run the whole file to build the matrix")
    lines = [f"{'attack':<14}" + "".join(f"{p:<12}" for p in points)]
    for attack in ATTACKS:
        lines.append(
            f"{attack:<14}" + "".join(f"{MATRIX[(attack, p)]:<12}" for p in points)
        )
    print("\n" + "\n".join(lines))
    assert INLINE not in MATRIX.values()
