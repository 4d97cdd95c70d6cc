"""Who may see which certificates: one rule each, asked by the download view
and the admin dashboard. Whose runs a user manages is enrolments/access.py's
to say; what an admin may do in the certificate admin is mapped onto Django's
model permissions in certificates/admin/permissions.py."""

from django.db.models import Q, QuerySet

from certificates.models import Certificate, CertificateReview
from enrolments.access import (
    manages_all_runs,
    organisations_coordinated_by,
    runs_managed_by,
)

# Academy admins hold it (academy_site/roles.py).
VIEW_ALL_PERMISSION = "certificates.view_certificate"
# Revoke and reissue: what deciding a review may lead to.
MANAGE_PERMISSION = "certificates.change_certificate"


def certificates_downloadable_by(user) -> QuerySet[Certificate]:
    """Certificates with a file that `user` may download: their own, their
    organisation's staff's issued ones for a coordinator, or all of them for
    superusers and holders of the view permission (academy admins)."""
    if not user.is_authenticated or not user.is_active:
        return Certificate.objects.none()
    certificates = Certificate.objects.exclude(pdf="")
    if user.is_superuser or user.has_perm(VIEW_ALL_PERMISSION):
        return certificates
    return certificates.filter(
        Q(enrolment__trainee__user=user)
        | Q(pk__in=certificates_of_coordinated_staff(user).values("pk"))
    )


def certificates_of_coordinated_staff(user) -> QuerySet[Certificate]:
    """The issued certificates of the enrolments `user`'s organisations were
    counted for (the trainee was confirmed staff when enrolling): what an
    organisation's coordinator may download, one by one or as a ZIP."""
    return Certificate.objects.filter(
        status=Certificate.Status.ISSUED,
        enrolment__organisation__in=organisations_coordinated_by(user),
    ).exclude(pdf="")


def certificates_managed_by(user) -> QuerySet[Certificate]:
    """Every certificate for academy admins; those of their runs for anyone
    else. The dashboard's certificate panel counts these."""
    if manages_all_runs(user):
        return Certificate.objects.all()
    return Certificate.objects.filter(enrolment__run__in=runs_managed_by(user))


def may_review_certificates(user) -> bool:
    """Academy admins (and superusers) decide certificates flagged for review.
    An instructor never sees the queue, whatever certificate permission they
    were given by hand: whether the academy still stands by a certificate is
    not one run's matter."""
    return manages_all_runs(user) and (
        user.is_superuser or user.has_perm(MANAGE_PERMISSION)
    )


def reviews_open_for(user) -> QuerySet[CertificateReview]:
    """The open reviews `user` decides: all of them, or none."""
    if not may_review_certificates(user):
        return CertificateReview.objects.none()
    return CertificateReview.objects.filter(closed_at__isnull=True)
