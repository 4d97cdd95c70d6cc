"""What a trainee's erasure does to their certificates; the policy is in the
module docstring of certificates/privacy.py, whose receiver of the
`trainee_erased` signal calls `certificates_withhold_names` in the erasure's
transaction."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from wagtail.models import ModelLogEntry

from certificates.models import Certificate
from enrolments.services.privacy import audit_log_scrub, storage_files_delete

Status = Certificate.Status
NOT_GENERATED = gettext_lazy("Not generated: the holder's personal data was erased.")


def certificates_withhold_names(*, trainee) -> dict[str, int]:
    """Withhold the name on the certificates of courses that do not keep it.
    The rows are re-read under lock, so a generation in progress finishes
    first and its new file is deleted too. Returns the counts for the
    erasure's summary."""
    certificates = list(
        Certificate.objects.select_for_update(of=("self",))
        .filter(
            enrolment__trainee=trainee,
            enrolment__course__keep_name_after_erasure=False,
            holder_erased_at__isnull=True,
        )
        .order_by("pk")
    )
    now = timezone.now()
    names, files = set(), []
    for certificate in certificates:
        names.add(certificate.full_name)
        if certificate.pdf:
            files.append(certificate.pdf.name)
        certificate.pdf = ""
        # The credential names the holder: it goes with the PDF.
        certificate.credential = ""
        certificate.full_name = trainee.full_name
        certificate.holder_erased_at = now
        if certificate.status in (Status.PENDING, Status.FAILED):
            certificate.status = Status.FAILED
            certificate.failure_reason = str(NOT_GENERATED)
    Certificate.objects.bulk_update(
        certificates,
        [
            "pdf",
            "credential",
            "full_name",
            "holder_erased_at",
            "status",
            "failure_reason",
        ],
    )
    if certificates:
        audit_log_scrub(
            entries=ModelLogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Certificate),
                object_id__in=[str(c.pk) for c in certificates],
            ),
            names=names,
            replacement=trainee.full_name,
        )
    transaction.on_commit(lambda: storage_files_delete(names=files))
    kept = Certificate.objects.filter(
        enrolment__trainee=trainee, enrolment__course__keep_name_after_erasure=True
    ).count()
    return {
        "certificates_name_withheld": len(certificates),
        "certificates_name_kept": kept,
    }
