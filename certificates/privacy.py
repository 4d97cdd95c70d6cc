"""Certificates and a trainee's privacy: their section of "Your data"
(/account/data/, through enrolments' personal data registry) and what an
erasure does to their certificates (the `trainee_erased` signal, received in
the erasure's transaction). Imported by CertificatesConfig.ready().

On erasure, each course decides (CoursePage.keep_name_after_erasure, in the
course's "Certificate rules"):

- kept: nothing changes; the certificate, its PDF and the name on the
  verification page stay, for certificates that must stay attributable;
- not kept (the default): the snapshot name becomes the trainee's neutral
  label, `holder_erased_at` is set, and the verification page says "Name
  withheld (personal data erased)". The issued PDF prints the name, so it is
  deleted from storage after commit and can no longer be downloaded or
  zipped. Its SHA-256 stays: a copy the holder kept still verifies by upload,
  and the page says the holder's data was erased. A certificate still being
  generated (or failed) is marked failed, so no new PDF with the name is made.

Verification by code works in both cases: status, course, dates and serial.
"""

from django.db.models import F
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from academy_site.links import absolute_url
from certificates.models import Certificate
from certificates.services.erasure import certificates_withhold_names
from enrolments.extensions import (
    register_erasure_summary,
    register_personal_data_section,
)
from enrolments.signals import trainee_erased

NAME_WITHHELD = gettext_lazy("Name withheld (personal data erased)")


@register_personal_data_section
def certificates_section(trainee) -> tuple[str, list[dict]]:
    """The trainee's certificates in every status, in one query."""
    certificates = Certificate.objects.filter(enrolment__trainee=trainee).order_by(
        "created_at", "pk"
    )
    return _("Certificates"), [
        {
            _("Serial"): c.serial,
            _("Course"): c.course_title,
            _("Certificate"): c.get_kind_display(),
            _("Name on the certificate"): c.full_name,
            _("Status"): c.get_status_display(),
            _("Issued"): c.issued_at,
            _("Valid until"): c.expires_at,
            _("Revoked"): c.revoked_at,
            _("Verification page"): absolute_url(c.get_absolute_url()),
            _("Download"): (
                absolute_url(reverse("certificates:download", args=[c.pk]))
                if c.pdf
                else ""
            ),
        }
        for c in certificates
    ]


@register_erasure_summary
def certificates_erasure_summary(trainee) -> list[str]:
    """For the admin's erasure confirmation: which certificates withhold the
    name and which keep it, by the policy of their course (one query)."""
    withheld, kept = [], []
    for certificate in (
        Certificate.objects.filter(enrolment__trainee=trainee)
        .annotate(keep_name=F("enrolment__course__keep_name_after_erasure"))
        .order_by("serial")
    ):
        name = f"{certificate.serial} ({certificate.course_title})"
        if certificate.keep_name:
            kept.append(name)
        else:
            withheld.append(name)
    if not withheld and not kept:
        return [_("No certificates.")]
    lines = []
    if withheld:
        lines.append(
            _(
                "Name withheld and PDF deleted (the course does not keep names), "
                "still verifiable by code: %(list)s"
            )
            % {"list": ", ".join(withheld)}
        )
    if kept:
        lines.append(
            _("Name and PDF kept (the course keeps names): %(list)s")
            % {"list": ", ".join(kept)}
        )
    return lines


@receiver(trainee_erased, dispatch_uid="certificates_withhold_names")
def withhold_names_on_erasure(sender, trainee, by, **kwargs) -> dict[str, int]:
    """Withhold the name where the course does not keep it (see above)."""
    return certificates_withhold_names(trainee=trainee)
