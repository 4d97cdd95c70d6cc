"""The private download of a certificate's PDF.

The file is streamed from storage (local disk or a private S3 bucket) through
this view, which checks who asks; a storage URL is never handed out. An id the
user may not download answers 404 (never 403, which would confirm it exists).
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from certificates.access import certificates_downloadable_by
from enrolments.views.assignments import attachment_header


@login_required
@require_safe
def certificate_download(request: HttpRequest, certificate_id: int) -> FileResponse:
    """The PDF of the trainee's own certificate (any admin may fetch any), as an
    attachment named by its serial that browsers and caches must not keep."""
    certificate = get_object_or_404(
        certificates_downloadable_by(request.user), pk=certificate_id
    )
    try:
        handle = certificate.pdf.storage.open(certificate.pdf.name, "rb")
    except FileNotFoundError as error:
        raise Http404(_("The file is missing from storage.")) from error
    response = FileResponse(handle, content_type="application/pdf")
    response["Content-Disposition"] = attachment_header(f"{certificate.serial}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response
