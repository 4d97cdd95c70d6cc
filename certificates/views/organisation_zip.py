"""An organisation's coordinator downloads their staff's issued certificates
as one ZIP (streamed, like the admin's run ZIP). Another organisation's id
answers 404."""

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from certificates.access import certificates_of_coordinated_staff
from certificates.admin.zip_export import ascii_name, zip_stream
from enrolments.access import coordinated_organisation_or_404


@login_required
@require_safe
def organisation_zip(request, organisation_id: int) -> StreamingHttpResponse:
    organisation = coordinated_organisation_or_404(request.user, organisation_id)
    certificates = list(
        certificates_of_coordinated_staff(request.user)
        .filter(enrolment__organisation=organisation)
        .only("pk", "serial", "full_name", "pdf", "issued_at")
        .order_by("serial")
    )
    response = StreamingHttpResponse(
        zip_stream(certificates), content_type="application/zip"
    )
    filename = f"certificates-{ascii_name(organisation.name)}.zip"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response
