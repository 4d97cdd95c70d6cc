"""Certificate rendering: the text reads back (Latin and Cyrillic), the QR code
scans to the verification URL, and uploaded backgrounds are checked."""

import io

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4, letter
from reportlab.pdfgen.canvas import Canvas

from certificates.pdf import (
    BackgroundInvalid,
    CertificateData,
    Signatory,
    certificate_pdf,
    default_background,
    prepare_background,
    validate_background,
)
from tests.certificates.factories import (
    flate_bomb_pdf,
    raw_pdf,
    self_length_pdf,
    stream,
)

VERIFY_URL = (
    "https://academy.example.rs/verify/3q2-1Xyz_abcdefghijklmnopqrstuvwxyz012345/"
)


def certificate(name="Đorđe Petrović", **overrides):
    values = dict(
        heading="Certificate of completion",
        full_name=name,
        statement="has successfully completed the course",
        course_title="Kubernetes in Production",
        details="32 hours · 16 Nov – 7 Dec 2026",
        issued_on="Issued 12 Dec 2026",
        serial="CA-2026-000123",
        verify_url=VERIFY_URL,
        signatories=(Signatory("Milica Đorđević", "Director"),),
    )
    values.update(overrides)
    return CertificateData(**values)


def text_of(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


@pytest.mark.parametrize("name", ["Đorđe Petrović", "Ђорђе Петровић", "Čedomir Šćekić"])
def test_names_in_latin_and_cyrillic_read_back_from_the_pdf(name):
    pdf = certificate_pdf(certificate(name), default_background())
    text = text_of(pdf)
    assert name in text
    assert "Kubernetes in Production" in text
    assert "CA-2026-000123" in text


def test_the_qr_code_scans_to_the_verification_url():
    pdf = certificate_pdf(certificate(), default_background())
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=3).to_pil()
    results = zxingcpp.read_barcodes(image)
    assert [r.text for r in results if r.format == zxingcpp.BarcodeFormat.QRCode] == [
        VERIFY_URL
    ]


def test_metadata_names_the_certificate():
    pdf = certificate_pdf(certificate(), default_background())
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta.title == "Certificate of completion: Đorđe Petrović"
    assert "CA-2026-000123" in meta.subject
    assert meta.author == "Cluster Academy"


def test_each_certificate_embeds_the_background_once_by_reference():
    pdf = certificate_pdf(certificate(), default_background())
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    xobjects = page["/Resources"]["/XObject"]
    assert "/CABackground" in xobjects
    assert xobjects["/CABackground"].get_object()["/Subtype"] == "/Form"
    assert len(reader.pages) == 1


def pdf_bytes(pages=1, size=A4, encrypt=False, text="Designed background"):
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size)
    for _ in range(pages):
        canvas.drawString(72, 72, text)
        canvas.showPage()
    canvas.save()
    data = buffer.getvalue()
    if encrypt:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        writer.encrypt("secret")
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
    return data


@pytest.mark.parametrize("size", [A4, letter, (A4[1], A4[0])])
def test_an_uploaded_background_in_a4_or_letter_is_used(size):
    upload = pdf_bytes(size=size, text="Partner design")
    assert validate_background(upload) == pytest.approx(size, abs=0.01)
    pdf = certificate_pdf(certificate(), prepare_background(upload))
    text = text_of(pdf)
    assert "Partner design" in text and "Đorđe Petrović" in text


@pytest.mark.parametrize(
    "upload, message",
    [
        (b"GIF89a not a pdf", "not a PDF"),
        (b"%PDF-1.7 garbage without structure", "cannot be read"),
        (pdf_bytes(pages=2), "exactly one page, not 2"),
        (pdf_bytes(encrypt=True), "encrypted"),
        (pdf_bytes(size=(400, 400)), "use A4 or Letter"),
        (b"%PDF-" + b"0" * (5 * 1024 * 1024), "smaller than 5 MB"),
    ],
)
def test_unusable_backgrounds_are_refused_with_the_reason(upload, message):
    with pytest.raises(BackgroundInvalid, match=message):
        validate_background(upload)


# --- Backgrounds that pass the check render ---------------------------------


@pytest.mark.parametrize(
    "upload, message",
    [
        (flate_bomb_pdf(80), "expands to more than 75 MB"),
        (flate_bomb_pdf(20), "expands to 20 MB, more than the 16 MB allowed"),
        (self_length_pdf(), "an object refers to itself"),
    ],
    ids=["flate-bomb-80-mb", "flate-bomb-20-mb", "self-referring-length"],
)
def test_a_background_rendering_would_choke_on_is_refused_by_the_check(upload, message):
    assert len(upload) < 100_000  # well under the 5 MB upload limit
    with pytest.raises(BackgroundInvalid, match=message):
        validate_background(upload)
    # Rendering prepares it the same way and says the same.
    with pytest.raises(BackgroundInvalid, match=message):
        prepare_background(upload)


HOSTILE = {
    "flate-bomb": flate_bomb_pdf(80),
    "self-length": self_length_pdf(),
    "length-too-long": raw_pdf(b"<< /Length 99999 >>\nstream\n0 0 m\nendstream"),
    "length-negative": raw_pdf(b"<< /Length -5 >>\nstream\n0 0 m\nendstream"),
    "contents-loop": raw_pdf(b"[4 0 R]"),
    "contents-not-a-stream": raw_pdf(b"42"),
    "resources-loop": raw_pdf(
        stream(b"/F1 12 Tf"), resources=b"<< /Font 5 0 R >>", extra=b"5 0 R"
    ),
    "resource-self-reference": raw_pdf(
        stream(b"q /X0 Do Q"),
        resources=b"<< /XObject << /X0 5 0 R >> >>",
        extra=stream(b"", b"/Type /XObject /Subtype /Form /Resources 5 0 R"),
    ),
    "bad-filter": raw_pdf(stream(b"garbage", b"/Filter /FlateDecode")),
    "unknown-filter": raw_pdf(stream(b"0 0 m", b"/Filter /NoSuchDecode")),
    "ok": raw_pdf(stream(b"0 0 m 100 100 l S")),
}


@pytest.mark.parametrize("upload", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_background_the_check_accepts_always_renders(upload):
    """The check's verdict holds for rendering: refused with a reason, or
    prepared and drawn under a certificate without an error."""
    try:
        validate_background(upload)
    except BackgroundInvalid as refusal:
        assert str(refusal)
        return
    pdf = certificate_pdf(certificate(), prepare_background(upload))
    assert "Đorđe Petrović" in text_of(pdf)
