"""A run's issued certificates as one ZIP, /admin/certificates/runs/<run_id>/
certificates.zip (linked from the run's issue page and from a batch's
progress page).

The archive is streamed: each PDF is copied from storage into the response in
chunks, so neither the server's memory nor the time to the first byte grows
with the run. Entries are named `<serial>-<name>.pdf` in plain ASCII (Serbian
Cyrillic and Latin letters spelled out: Ђорђе → Djordje), which every unzip
tool and file system accepts.
"""

import logging
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views import View
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from certificates.models import Certificate
from courses.models import CourseRun

logger = logging.getLogger(__name__)

_CYRILLIC = "абвгдђежзијклљмнњопрстћуфхцчџш"
_LATIN = "a b v g d dj e ž z i j k l lj m n nj o p r s t ć u f h c č dž š".split()
SERBIAN_TO_ASCII = {
    **{c: latin for c, latin in zip(_CYRILLIC, _LATIN, strict=True)},
    **{
        c.upper(): latin.capitalize()
        for c, latin in zip(_CYRILLIC, _LATIN, strict=True)
    },
    "đ": "dj",
    "Đ": "Dj",
}


def ascii_name(text: str) -> str:
    """ "Ђорђе Петровић" and "Đorđe Petrović" → "Djordje-Petrovic"."""
    spelled = "".join(SERBIAN_TO_ASCII.get(char, char) for char in text)
    folded = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", folded).strip("-")


def entry_name(certificate: Certificate) -> str:
    name = ascii_name(certificate.full_name)
    return f"{certificate.serial}-{name}.pdf" if name else f"{certificate.serial}.pdf"


class _Sink:
    """A write-only file for ZipFile that hands what was written to the
    response; having no seek(), it makes ZipFile write data descriptors."""

    def __init__(self):
        self._chunks: list[bytes] = []

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> list[bytes]:
        """What was written since the last take: nothing, or one piece."""
        data = b"".join(self._chunks)
        self._chunks.clear()
        return [data] if data else []


def zip_stream(certificates: Iterable[Certificate]) -> Iterator[bytes]:
    """The ZIP of the certificates' PDFs, piece by piece. Deflated although
    PDF streams are compressed already: a streamed entry has its sizes after
    the data, which unzip tools expect of deflated entries but not all of them
    of stored ones."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w") as archive:
        for certificate in certificates:
            try:
                source = certificate.pdf.storage.open(certificate.pdf.name, "rb")
            except OSError:
                logger.exception("No file for certificate %s", certificate.serial)
                continue
            moment = timezone.localtime(certificate.issued_at or timezone.now())
            info = zipfile.ZipInfo(entry_name(certificate), moment.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            with source, archive.open(info, "w") as target:
                for chunk in source.chunks():
                    target.write(chunk)
                    yield from sink.take()
            yield from sink.take()
    yield from sink.take()


class RunZipView(PermissionCheckedMixin, View):
    """The issued certificates of a run (revoked and superseded ones left
    out), for users who may view certificates."""

    model = Certificate
    permission_required = "view"

    def get(self, request, run_id):
        run = get_object_or_404(CourseRun.objects.select_related("course"), pk=run_id)
        certificates = list(
            Certificate.objects.filter(
                enrolment__run=run, status=Certificate.Status.ISSUED
            )
            # Withheld after the holder's erasure: no file to put in.
            .exclude(pdf="")
            .only("pk", "serial", "full_name", "pdf", "issued_at")
            .order_by("serial")
        )
        response = StreamingHttpResponse(
            zip_stream(certificates), content_type="application/zip"
        )
        filename = f"certificates-{ascii_name(run.course.title)}-run-{run.pk}.zip"
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
