"""Checks on files trainees upload, before anything is stored.

The type is decided by the file's content (its magic bytes), never by the
browser's Content-Type, which the uploader chooses: a program renamed
report.pdf is still a program. Each assignment says which kinds of file it
takes (courses.blocks.SUBMISSION_FILE_KINDS); by default those an instructor
can open safely: PDF, PNG, JPEG, Office and OpenDocument files (without
macros), and UTF-8 plain text that is not a web page in disguise. A data or
programming course may add source code (UTF-8 text named .py, .sql, ...),
Jupyter notebooks (JSON with cells) and ZIP archives (without programs
inside). The name's extension only tells text kinds apart; the content must
still be text. ZIP-based files have their directory read (never unpacked) to
refuse zip bombs. Every file is served as a download, never shown inline.
"""

import codecs
import json
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from academy_site.uploads import UploadSizeLimitHandler
from courses.blocks import DEFAULT_FILE_KINDS
from enrolments.errors import EnrolmentError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_TEXT = "20 MB"
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_ENTRIES = 10_000
# What each kind of file is called in messages, in words a trainee knows.
KIND_NAMES = {
    "documents": _("PDF, Word or OpenDocument documents"),
    "spreadsheets": _("Excel or OpenDocument spreadsheets"),
    "presentations": _("PowerPoint or OpenDocument presentations"),
    "images": _("PNG or JPEG images"),
    "text": _("plain text (.txt, .md, .csv)"),
    "code": _("source code (.py, .r, .sql, .js and similar)"),
    "notebooks": _("Jupyter notebooks (.ipynb)"),
    "archives": _("ZIP archives"),
}


def kinds_text(kinds=None) -> str:
    """The kinds an assignment takes, in words: "PDF, Word or OpenDocument
    documents; PNG or JPEG images"."""
    kinds = list(kinds or DEFAULT_FILE_KINDS)
    return "; ".join(str(KIND_NAMES[kind]) for kind in KIND_NAMES if kind in kinds)


ALLOWED_TYPES_TEXT = lazy(kinds_text, str)()


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
CODE = "text/x-source"
NOTEBOOK = "application/x-ipynb+json"
ZIP = "application/zip"

# The extensions a display name may keep for each type; the first is added
# when the uploaded name has none of them, so the reader's computer opens the
# file with the program that matches its content.
EXTENSIONS = {
    PDF: ("pdf",),
    PNG: ("png",),
    JPEG: ("jpg", "jpeg"),
    TEXT: ("txt", "md", "csv"),
    DOCX: ("docx",),
    XLSX: ("xlsx",),
    PPTX: ("pptx",),
    ODT: ("odt",),
    ODS: ("ods",),
    ODP: ("odp",),
    CODE: (
        "py", "r", "sql", "js", "ts", "java", "kt", "scala", "c", "h", "cpp",
        "hpp", "cs", "go", "rs", "rb", "php", "swift", "m", "jl", "sh", "ps1",
        "html", "htm", "css", "xml", "json", "yaml", "yml", "toml", "ini",
        "tf",
    ),
    NOTEBOOK: ("ipynb",),
    ZIP: ("zip",),
}  # fmt: skip
# The kind of assignment file each type is.
KIND_OF = {
    PDF: "documents",
    DOCX: "documents",
    ODT: "documents",
    XLSX: "spreadsheets",
    ODS: "spreadsheets",
    PPTX: "presentations",
    ODP: "presentations",
    PNG: "images",
    JPEG: "images",
    TEXT: "text",
    CODE: "code",
    NOTEBOOK: "notebooks",
    ZIP: "archives",
}
# What a ZIP archive handed in may not hold: programs a reader's computer
# would run with a double click.
ARCHIVE_REFUSED_EXTENSIONS = (
    ".exe", ".dll", ".scr", ".msi", ".bat", ".cmd", ".com", ".vbs", ".jar",
    ".apk", ".app", ".lnk",
)  # fmt: skip
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


def upload_check(upload, kinds=None) -> CheckedUpload:
    """Refuse the upload (UploadRefused, with a message for the trainee) unless
    it is small enough and of one of `kinds` (an assignment's file kinds;
    empty or None: DEFAULT_FILE_KINDS); otherwise its detected type and a
    name that is safe to show and to offer in a download."""
    kinds = frozenset(kinds or DEFAULT_FILE_KINDS)
    size = upload.size
    if size is None or size > MAX_UPLOAD_BYTES:
        raise UploadRefused(TOO_LARGE)
    if size == 0:
        raise UploadRefused(gettext("The file is empty."))
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    name = getattr(upload, "name", "") or ""
    content_type = detect_type(upload, head, kinds=kinds, extension=extension_of(name))
    upload.seek(0)
    if KIND_OF[content_type] not in kinds:
        raise UploadRefused(
            gettext("This assignment does not take %(kind)s. It takes %(types)s.")
            % {"kind": KIND_NAMES[KIND_OF[content_type]], "types": kinds_text(kinds)}
        )
    return CheckedUpload(
        content_type=content_type,
        display_name=display_name(name, content_type),
        size=size,
    )


def extension_of(name: str) -> str:
    base = os.path.basename(name.replace("\\", "/")).lower()
    stem, dot, extension = base.rpartition(".")
    return extension if dot else ""


def detect_type(
    upload, head: bytes, *, kinds=frozenset(DEFAULT_FILE_KINDS), extension: str = ""
) -> str:
    types = kinds_text(kinds)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return zip_type(upload, kinds=kinds)
    # Source code may be any text, a script's #! line or markup included: it
    # is only ever downloaded, as text, never run or shown by the browser.
    as_code = "code" in kinds and extension in EXTENSIONS[CODE]
    if head.startswith(PROGRAM_MAGIC) and not (as_code and head.startswith(b"#!")):
        raise UploadRefused(
            gettext("Programs and scripts cannot be uploaded. Allowed: %(types)s.")
            % {"types": types}
        )
    if is_markup(head) and not as_code:
        raise UploadRefused(
            gettext(
                "Web pages, SVG images and other markup cannot be uploaded. "
                "Allowed: %(types)s."
            )
            % {"types": types}
        )
    if is_utf8_text(upload):
        if extension in EXTENSIONS[NOTEBOOK] and "notebooks" in kinds:
            return notebook_type(upload)
        return CODE if as_code else TEXT
    raise UploadRefused(
        gettext("This type of file cannot be uploaded. Allowed: %(types)s.")
        % {"types": types}
    )


def notebook_type(upload) -> str:
    """A Jupyter notebook is JSON with a list of cells and a format number."""
    upload.seek(0)
    try:
        notebook = json.loads(upload.read().decode("utf-8"))
    except ValueError:
        notebook = None
    if not (
        isinstance(notebook, dict)
        and isinstance(notebook.get("cells"), list)
        and isinstance(notebook.get("nbformat"), int)
    ):
        raise UploadRefused(
            gettext(
                "This is not a Jupyter notebook: save it from Jupyter as .ipynb "
                "and try again."
            )
        )
    return NOTEBOOK


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


def zip_type(upload, *, kinds) -> str:
    """The kind of file a ZIP archive is, judged from its directory alone: an
    Office or OpenDocument file (without macros), or, where the assignment
    takes archives, a plain archive without programs inside. A zip bomb is
    refused whatever it claims to be."""
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
    if "archives" not in kinds:
        raise UploadRefused(
            gettext("ZIP archives cannot be uploaded. Allowed: %(types)s.")
            % {"types": kinds_text(kinds)}
        )
    programs = sorted(
        name for name in names if name.lower().endswith(ARCHIVE_REFUSED_EXTENSIONS)
    )
    if programs:
        raise UploadRefused(
            gettext(
                "The archive holds programs (%(names)s), which cannot be handed "
                "in; leave them out and try again."
            )
            % {"names": ", ".join(programs[:3])}
        )
    return ZIP


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
