"""Certificate PDFs: pure rendering, data in, bytes out; no database.

A template's background is a one-page PDF (the built-in design, or one an admin
uploaded). It is parsed once per worker process and kept as a form XObject;
each certificate is a reportlab overlay (name, course, hours, dates, serial and
a QR code of the verification URL, in an embedded DejaVu TrueType font so
Serbian Latin and Cyrillic names render) onto which pypdf places that XObject
by reference. Nothing re-parses the background's content stream per
certificate, the QR code is one path, and streams are compressed.
"""

import io
from dataclasses import dataclass, field
from functools import lru_cache

import segno
from pypdf import PdfReader, PdfWriter
from pypdf.errors import LimitReachedError, PyPdfError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    StreamObject,
)
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from academy_site.pdf_fonts import SANS, SERIF_BOLD, fonts_register

# Two faces only: every embedded font adds objects to write and to parse.
INK = HexColor("#1b2430")
BRAND = HexColor("#0b4f6c")
MUTED = HexColor("#4d5b6a")

MAX_BACKGROUND_BYTES = 5 * 1024 * 1024
# A designed background draws a few hundred kilobytes; pypdf itself stops
# inflating a stream at 75 MB, which a 5 MB upload can still reach (a Flate
# bomb), and every certificate would carry the drawing.
MAX_BACKGROUND_DRAWING_BYTES = 16 * 1024 * 1024
# Accepted page sizes in points (portrait or landscape), with a little slack for
# the rounding of design tools.
PAGE_SIZES = {"A4": (595.28, 841.89), "Letter": (612.0, 792.0)}
SIZE_TOLERANCE = 2.0


class BackgroundInvalid(ValueError):
    """An uploaded background that cannot be used; the message says why."""


# What pypdf raises for a PDF it cannot read, a stream past its limits or an
# object that refers to itself (some loops surface as Python's RecursionError).
_UNREADABLE = (
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    RecursionError,
    NotImplementedError,  # a filter pypdf does not implement
    OSError,
)


@dataclass(frozen=True)
class Signatory:
    name: str
    title: str = ""


@dataclass(frozen=True)
class CertificateData:
    """Everything printed on one certificate, already in its final words."""

    heading: str  # "Certificate of completion"
    full_name: str
    statement: str  # "has successfully completed the course"
    course_title: str
    details: str  # "24 hours · 3–5 Dec 2026"
    issued_on: str  # "Issued 12 Dec 2026"
    serial: str
    verify_url: str
    verify_label: str = "Verify this certificate:"
    signatories: tuple[Signatory, ...] = ()
    title: str = ""  # PDF metadata title
    language: str = "en"
    # The certificate's Open Badges credential (a compact JWS), attached to
    # the file as <serial>.jwt so the PDF carries what a verifier can check.
    credential: str = ""


# The certificate the background check renders: both scripts and every field.
SAMPLE = CertificateData(
    heading="Certificate of completion · Сертификат",
    full_name="Đorđe Petrović · Ђорђе Петровић",
    statement="has successfully completed the course",
    course_title="Secure Web Development",
    details="24 hours · 1 Dec 2026 – 3 Dec 2026",
    issued_on="Issued 4 Dec 2026",
    serial="CA-2026-000000",
    verify_url="https://academy.example/verify/sample-certificate/",
    signatories=(Signatory("Milica Đorđević", "Director"),),
)


@dataclass
class Background:
    """A parsed background, reusable for any number of certificates."""

    width: float
    height: float
    form: StreamObject
    _reader: PdfReader = field(repr=False)


def page_size_name(width: float, height: float) -> str | None:
    short, long_ = sorted((width, height))
    for name, (w, h) in PAGE_SIZES.items():
        if abs(short - w) <= SIZE_TOLERANCE and abs(long_ - h) <= SIZE_TOLERANCE:
            return name
    return None


def validate_background(pdf_bytes: bytes) -> tuple[float, float]:
    """Check an uploaded background: a real, unencrypted, one-page PDF in A4 or
    Letter under the size limit that can be drawn under a certificate. Returns
    the page size in points. Meant to run in a worker under a time limit: a
    crafted PDF is never parsed in a request.

    The check prepares the background exactly as rendering does
    (prepare_background, the same code and limits) and renders one sample
    certificate onto it, so a background that passes cannot fail to render:
    a content stream that inflates past the limit (a Flate bomb) or a /Length
    that refers to itself is refused here, with the reason."""
    background = prepare_background(pdf_bytes)
    try:
        certificate_pdf(SAMPLE, background)
    except Exception as error:  # noqa: BLE001 - whatever would fail a render
        raise BackgroundInvalid(_unreadable_reason(error)) from None
    return background.width, background.height


def prepare_background(pdf_bytes: bytes) -> Background:
    """Check the background and turn its only page into a form XObject, once.
    Raises BackgroundInvalid, saying why, for any PDF that cannot be used."""
    if len(pdf_bytes) > MAX_BACKGROUND_BYTES:
        raise BackgroundInvalid("The background must be smaller than 5 MB.")
    if not pdf_bytes.startswith(b"%PDF-"):
        raise BackgroundInvalid("The background is not a PDF file.")
    try:
        reader = PdfReader(io.BytesIO(pdf_bytes), strict=False)
        if reader.is_encrypted:
            raise BackgroundInvalid("The background PDF is encrypted.")
        pages = len(reader.pages)
        if pages != 1:
            raise BackgroundInvalid(
                f"The background must have exactly one page, not {pages}."
            )
        page = reader.pages[0]
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        if page_size_name(width, height) is None:
            raise BackgroundInvalid(
                f"The background page is {width:.0f} × {height:.0f} points; "
                "use A4 or Letter."
            )
        contents = page.get_contents()  # a ContentStream: an empty dict is falsy
        drawing = contents.get_data() if contents is not None else b""
        if len(drawing) > MAX_BACKGROUND_DRAWING_BYTES:
            raise BackgroundInvalid(
                "The background's drawing is too large: its content expands to "
                f"{len(drawing) / 2**20:.0f} MB, more than the "
                f"{MAX_BACKGROUND_DRAWING_BYTES // 2**20} MB allowed."
            )
        form = DecodedStreamObject()
        form.set_data(drawing)
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(
                    [FloatObject(v) for v in (box.left, box.bottom, box.right, box.top)]
                ),
                NameObject("/Resources"): page.get("/Resources", DictionaryObject()),
            }
        )
        form = form.flate_encode()
    except BackgroundInvalid:
        raise
    except _UNREADABLE as error:
        raise BackgroundInvalid(_unreadable_reason(error)) from None
    return Background(width=width, height=height, form=form, _reader=reader)


def _unreadable_reason(error: BaseException) -> str:
    if isinstance(error, LimitReachedError) and "decompress" in str(error):
        return (
            "The background's drawing is too large: a compressed stream expands "
            "to more than 75 MB (a PDF built to exhaust memory, or a damaged one)."
        )
    if isinstance(error, (LimitReachedError, RecursionError)):
        return (
            "The background PDF is damaged: an object refers to itself "
            "(a stream's /Length, for example, points back at the stream)."
        )
    return f"The background PDF cannot be read: {error}"


@lru_cache(maxsize=1)
def default_background_pdf() -> bytes:
    """The built-in design: landscape A4 with a double frame and a brand band."""
    fonts_register()
    width, height = landscape(A4)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1)
    canvas.setFillColor(HexColor("#f7fafc"))
    canvas.rect(0, 0, width, height, stroke=0, fill=1)
    canvas.setFillColor(BRAND)
    canvas.rect(0, height - 28, width, 28, stroke=0, fill=1)
    canvas.rect(0, 0, width, 12, stroke=0, fill=1)
    canvas.setStrokeColor(BRAND)
    canvas.setLineWidth(2.5)
    canvas.rect(24, 30, width - 48, height - 76, stroke=1, fill=0)
    canvas.setLineWidth(0.6)
    canvas.rect(30, 36, width - 60, height - 88, stroke=1, fill=0)
    # The academy's mark: three linked nodes.
    cx, cy = width / 2, height - 92
    canvas.setFillColor(BRAND)
    canvas.roundRect(cx - 22, cy - 22, 44, 44, 8, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#ffffff"))
    for dx, dy in ((-7, 5), (7, 5), (0, -7)):
        canvas.circle(cx + dx, cy + dy, 4, stroke=0, fill=1)
    canvas.setFillColor(BRAND)
    canvas.setFont(SERIF_BOLD, 13)
    canvas.drawCentredString(cx, cy - 40, "CLUSTER ACADEMY")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@lru_cache(maxsize=1)
def default_background() -> Background:
    return prepare_background(default_background_pdf())


def qr_runs(text: str) -> tuple[int, list[tuple[int, int, int]]]:
    """The QR code of `text` as (size, [(row, first column, length), ...]): dark
    modules merged into horizontal runs, so drawing is one short path."""
    # A fixed mask skips segno's search for the best one (most of its time);
    # any mask is valid and scanners read it equally well at this size.
    matrix = segno.make(text, error="m", micro=False, mask=2, boost_error=False).matrix
    runs = []
    for row_index, row in enumerate(matrix):
        start = None
        for column, dark in enumerate(list(row) + [0]):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                runs.append((row_index, start, column - start))
                start = None
    return len(matrix), runs


def _draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    modules, runs = qr_runs(text)
    quiet = 2
    cell = size / (modules + 2 * quiet)
    canvas.setFillColor(HexColor("#ffffff"))
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    path = canvas.beginPath()
    for row, column, length in runs:
        top = y + size - (quiet + row + 1) * cell
        path.rect(x + (quiet + column) * cell, top, length * cell, cell)
    canvas.setFillColor(HexColor("#000000"))
    canvas.drawPath(path, stroke=0, fill=1)


def _fitted_size(text: str, font: str, size: float, max_width: float) -> float:
    width = pdfmetrics.stringWidth(text, font, size)
    return size if width <= max_width else max(10.0, size * max_width / width)


# A course title is printed at the largest of these sizes that fits it on two
# lines; one too long for that (up to 255 characters) takes the lines it needs
# at the smallest: three on a landscape page, five on a portrait one, which
# still fit between the statement and the details. Shrinking it onto one line
# instead made a long title unreadable and, at the 10 pt floor, ran it past
# the page's edges (the template preview's long sample title showed it).
COURSE_TITLE_SIZES = (20, 18, 16, 14, 12)


def _course_title_lines(title: str, max_width: float) -> tuple[float, list[str]]:
    for size in COURSE_TITLE_SIZES:
        lines = simpleSplit(title, SERIF_BOLD, size, max_width)
        if len(lines) <= 2:
            return size, lines
    return size, lines


def _draw_overlay(data: CertificateData, width: float, height: float) -> bytes:
    fonts_register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), pageCompression=1)
    canvas.setTitle(data.title or data.heading)
    centre = width / 2
    text_width = width - 160

    canvas.setFillColor(BRAND)
    canvas.setFont(SERIF_BOLD, 30)
    canvas.drawCentredString(centre, height * 0.70, data.heading)

    canvas.setFillColor(INK)
    name_size = _fitted_size(data.full_name, SERIF_BOLD, 34, text_width)
    canvas.setFont(SERIF_BOLD, name_size)
    canvas.drawCentredString(centre, height * 0.58, data.full_name)

    canvas.setFillColor(MUTED)
    canvas.setFont(SANS, 13)
    canvas.drawCentredString(centre, height * 0.52, data.statement)

    canvas.setFillColor(INK)
    course_size, lines = _course_title_lines(data.course_title, text_width)
    canvas.setFont(SERIF_BOLD, course_size)
    leading = course_size * 1.15
    top = height * 0.46 + leading * (len(lines) - 1) / 2
    for number, line in enumerate(lines):
        canvas.drawCentredString(centre, top - number * leading, line)

    canvas.setFillColor(MUTED)
    canvas.setFont(SANS, 12)
    canvas.drawCentredString(centre, height * 0.41, data.details)

    slots = len(data.signatories)
    for index, person in enumerate(data.signatories):
        x = width * (index + 1) / (slots + 1)
        canvas.setStrokeColor(MUTED)
        canvas.setLineWidth(0.6)
        canvas.line(x - 80, height * 0.24, x + 80, height * 0.24)
        canvas.setFillColor(INK)
        canvas.setFont(SERIF_BOLD, 11)
        canvas.drawCentredString(x, height * 0.24 - 15, person.name)
        if person.title:
            canvas.setFillColor(MUTED)
            canvas.setFont(SANS, 9)
            canvas.drawCentredString(x, height * 0.24 - 28, person.title)

    qr_size = 74
    _draw_qr(canvas, data.verify_url, width - 60 - qr_size, 48, qr_size)
    canvas.setFillColor(MUTED)
    canvas.setFont(SANS, 8.5)
    canvas.drawString(60, 74, f"{data.issued_on} · {data.serial}")
    canvas.drawString(60, 62, data.verify_label)
    canvas.setFillColor(BRAND)
    canvas.drawString(60, 50, data.verify_url)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def certificate_pdf(data: CertificateData, background: Background) -> bytes:
    """One certificate as PDF bytes: the overlay with the background form
    XObject painted underneath it."""
    overlay = PdfReader(
        io.BytesIO(_draw_overlay(data, background.width, background.height))
    )
    writer = PdfWriter()
    page = writer.add_page(overlay.pages[0])
    form_ref = writer._add_object(background.form.clone(writer))
    resources = page[NameObject("/Resources")].get_object()
    xobjects = resources.get(NameObject("/XObject"))
    if xobjects is None:
        xobjects = DictionaryObject()
        resources[NameObject("/XObject")] = xobjects
    else:
        xobjects = xobjects.get_object()
    xobjects[NameObject("/CABackground")] = form_ref
    paint = DecodedStreamObject()
    paint.set_data(b"q /CABackground Do Q\n")
    # raw_get keeps the indirect reference: a content stream must stay indirect.
    contents = page.raw_get(NameObject("/Contents"))
    resolved = contents.get_object()
    existing = resolved if isinstance(resolved, ArrayObject) else [contents]
    page[NameObject("/Contents")] = ArrayObject([writer._add_object(paint), *existing])
    writer.add_metadata(
        {
            "/Title": data.title or f"{data.heading}: {data.full_name}",
            "/Author": "Cluster Academy",
            "/Subject": f"{data.course_title} ({data.serial})",
            "/Keywords": data.verify_url,
            "/Creator": "Cluster Academy LMS",
        }
    )
    if data.credential:
        writer.add_attachment(credential_file_name(data.serial), data.credential)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def credential_file_name(serial: str) -> str:
    return f"{serial}.jwt"


def embedded_credential(body: bytes) -> str | None:
    """The credential a certificate PDF carries, or None."""
    reader = PdfReader(io.BytesIO(body))
    for name, contents in reader.attachments.items():
        if name.endswith(".jwt") and contents:
            return contents[0].decode("ascii", errors="replace")
    return None


def pdfs_joined(bodies: list[bytes]) -> bytes:
    """The pages of several PDFs, in order, as one PDF (a preview's samples)."""
    writer = PdfWriter()
    for body in bodies:
        writer.append(PdfReader(io.BytesIO(body)))
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
