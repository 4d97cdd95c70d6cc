"""Checks on files trainees upload, before anything is stored.

The type is decided by the file's content (its magic bytes), never by its name
or the browser's Content-Type, both of which the uploader chooses: a program
renamed report.pdf is still a program. Only types an instructor can open
safely pass: PDF, PNG, JPEG, Office and OpenDocument files (without macros),
and UTF-8 plain text that is not a web page in disguise. Office files are ZIP
archives, so their directory is read (never unpacked) to refuse zip bombs.
"""

import codecs
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from academy_site.uploads import UploadSizeLimitHandler
from enrolments.errors import EnrolmentError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_TEXT = "20 MB"
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_ENTRIES = 10_000
ALLOWED_TYPES_TEXT = _(
    "PDF, PNG or JPEG images, Word, Excel, PowerPoint or OpenDocument files, "
    "and plain text"
)


def _filled(message) -> str:
    return message % {"types": ALLOWED_TYPES_TEXT, "limit": MAX_UPLOAD_TEXT}


# Messages made at import: filled in only when shown, in the language then active.
filled_lazy = lazy(_filled, str)
TOO_LARGE = filled_lazy(_("The file is larger than %(limit)s."))

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TEXT = "text/plain"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"

# The extensions a display name may keep for each type; the first is added
# when the uploaded name has none of them, so the reader's computer opens the
# file with the program that matches its content.
EXTENSIONS = {
    PDF: ("pdf",),
    PNG: ("png",),
    JPEG: ("jpg", "jpeg"),
    TEXT: ("txt", "md"),
    DOCX: ("docx",),
    XLSX: ("xlsx",),
    PPTX: ("pptx",),
    ODT: ("odt",),
    ODS: ("ods",),
    ODP: ("odp",),
}
# The part that names an Office Open XML document's kind.
OOXML_MAIN_PARTS = {
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
    "ppt/presentation.xml": PPTX,
}
ODF_TYPES = (ODT, ODS, ODP)

HEAD_BYTES = 4096
# What browsers and mail clients treat as markup when they sniff, plus XML
# (which covers SVG): refused even though it is valid UTF-8 text.
MARKUP_START = re.compile(
    rb"<(?:!doctype|!--|\?xml|html|head|body|script|iframe|svg|math|style|title"
    rb"|a|b|br|p|div|font|table|h1|img|meta|object|embed|base|form|link)[\s/>]",
    re.IGNORECASE,
)
PROGRAM_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")


class UploadRefused(EnrolmentError):
    message = filled_lazy(_("This file cannot be uploaded. Allowed: %(types)s."))


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    display_name: str
    size: int


def upload_check(upload) -> CheckedUpload:
    """Refuse the upload (UploadRefused, with a message for the trainee) unless
    it is small enough and of an allowed type; otherwise its detected type and
    a name that is safe to show and to offer in a download."""
    size = upload.size
    if size is None or size > MAX_UPLOAD_BYTES:
        raise UploadRefused(TOO_LARGE)
    if size == 0:
        raise UploadRefused(gettext("The file is empty."))
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    content_type = detect_type(upload, head)
    upload.seek(0)
    return CheckedUpload(
        content_type=content_type,
        display_name=display_name(getattr(upload, "name", ""), content_type),
        size=size,
    )


def detect_type(upload, head: bytes) -> str:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return office_type(upload)
    if head.startswith(PROGRAM_MAGIC):
        raise UploadRefused(
            gettext("Programs and scripts cannot be uploaded. Allowed: %(types)s.")
            % {"types": ALLOWED_TYPES_TEXT}
        )
    if is_markup(head):
        raise UploadRefused(
            gettext(
                "Web pages, SVG images and other markup cannot be uploaded. "
                "Allowed: %(types)s."
            )
            % {"types": ALLOWED_TYPES_TEXT}
        )
    if is_utf8_text(upload):
        return TEXT
    raise UploadRefused(
        gettext("This type of file cannot be uploaded. Allowed: %(types)s.")
        % {"types": ALLOWED_TYPES_TEXT}
    )


def is_markup(head: bytes) -> bool:
    start = head.removeprefix(codecs.BOM_UTF8).lstrip()
    return bool(MARKUP_START.match(start))


def is_utf8_text(upload, chunk_size: int = 64 * 1024) -> bool:
    """UTF-8 throughout and no NUL byte (which marks binary data), read in
    chunks so a large file is never held in memory at once."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := upload.read(chunk_size):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def office_type(upload) -> str:
    """The kind of Office/OpenDocument file a ZIP archive is, judged from its
    directory alone; a plain ZIP, a bomb or a macro-enabled file is refused."""
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UploadRefused(
            gettext("This document is damaged and cannot be read.")
        ) from error
    with archive:
        entries = archive.infolist()
        check_not_a_bomb(entries, archive_size=upload.size)
        names = {entry.filename for entry in entries}
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise UploadRefused(
                gettext(
                    "Office files with macros cannot be uploaded; save the document "
                    "without macros (for example as .docx) and try again."
                )
            )
        if "[Content_Types].xml" in names:
            for part, content_type in OOXML_MAIN_PARTS.items():
                if part in names:
                    return content_type
        elif "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
            declared = archive.read("mimetype").decode("ascii", "replace").strip()
            if declared in ODF_TYPES:
                return declared
    raise UploadRefused(
        gettext("ZIP archives cannot be uploaded. Allowed: %(types)s.")
        % {"types": ALLOWED_TYPES_TEXT}
    )


def check_not_a_bomb(entries: list[zipfile.ZipInfo], *, archive_size: int) -> None:
    """Sizes come from the archive's directory; a lying directory only makes
    the reader stop early, since nothing here unpacks more than `mimetype`."""
    if len(entries) > MAX_ZIP_ENTRIES:
        raise UploadRefused(
            gettext("This document has too many parts to be a real one.")
        )
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        raise UploadRefused(
            gettext("This document unpacks to more than 100 MB, which is too large.")
        )
    if unpacked > MAX_COMPRESSION_RATIO * max(archive_size, 1):
        raise UploadRefused(
            gettext(
                "This document is compressed far more than real documents are, "
                "so it is refused as a possible zip bomb."
            )
        )


def display_name(name: str, content_type: str, max_length: int = 150) -> str:
    """The uploaded name without any folder, control or reserved characters,
    ending in an extension that matches the detected type."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/")
    name = os.path.basename(name)
    name = "".join(
        "_" if char in '<>:"/|?*' else char
        for char in name
        if not unicodedata.category(char).startswith("C")
    )
    name = name.strip(" .") or "submission"
    stem, dot, extension = name.rpartition(".")
    allowed = EXTENSIONS[content_type]
    if not dot or extension.lower() not in allowed:
        stem, extension = name, allowed[0]
    stem = stem[: max_length - len(extension) - 1].rstrip(" .") or "submission"
    return f"{stem}.{extension.lower()}"


class SizeLimitUploadHandler(UploadSizeLimitHandler):
    """The assignment upload limit, applied while the file streams in."""

    limit = MAX_UPLOAD_BYTES
    refusal = TOO_LARGE
