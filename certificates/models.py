"""Certificate templates, certificates and their lifecycle.

Templates are edited in the Wagtail admin (Certificates > Templates); a
certificate is requested by certificates/services/issuing.py and generated
by a Celery task (certificates/tasks.py) that calls
certificates/services/rendering.py, which draws it with certificates/pdf.py.
Nothing is ever deleted: revoking and superseding change the status.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrolments.models import TraineeProfile


class Kind(models.TextChoices):
    ATTENDANCE = "attendance", _("Attendance")
    COMPLETION = "completion", _("Completion")


# A kind as a certificate's whole name: Serbian cannot build "certificate of
# <kind>" from the kind's label, so each name is translated as one phrase.
KIND_TITLES = {
    Kind.ATTENDANCE: _("Certificate of attendance"),
    Kind.COMPLETION: _("Certificate of completion"),
}


def background_upload_to(instance, filename: str) -> str:
    return f"certificate-templates/{uuid.uuid4().hex}.pdf"


class CertificateTemplate(models.Model):
    """The design and wording of a kind of certificate for an audience.

    The background is the built-in design unless an admin uploads a one-page
    PDF; an upload is validated in a worker (never in the web request) and
    used only once `background_status` is "valid".
    """

    class Audience(models.TextChoices):
        MEMBER = "member", _("Staff of member organisations")
        NON_MEMBER = "non_member", _("Everyone else")
        ANY = "any", _("Anyone")

    # The languages a trainee can prefer: the template in their language wins.
    Language = TraineeProfile.Language

    class BackgroundStatus(models.TextChoices):
        BUILT_IN = "built_in", _("Built-in design")
        CHECKING = "checking", _("Being checked")
        VALID = "valid", _("Uploaded design")
        INVALID = "invalid", _("Refused")

    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    audience = models.CharField(
        max_length=12, choices=Audience.choices, default=Audience.ANY
    )
    language = models.CharField(
        max_length=7, choices=Language.choices, default=Language.ENGLISH
    )
    heading = models.CharField(max_length=120, default="Certificate of completion")
    statement = models.CharField(
        max_length=200,
        default="has successfully completed the course",
        help_text=_("Printed between the trainee's name and the course title."),
    )
    signatory_1_name = models.CharField(max_length=120, blank=True)
    signatory_1_title = models.CharField(max_length=120, blank=True)
    signatory_2_name = models.CharField(max_length=120, blank=True)
    signatory_2_title = models.CharField(max_length=120, blank=True)
    background = models.FileField(
        upload_to=background_upload_to,
        blank=True,
        help_text=_("Optional one-page PDF (A4 or Letter, under 5 MB, not encrypted)."),
    )
    background_status = models.CharField(
        max_length=10,
        choices=BackgroundStatus.choices,
        default=BackgroundStatus.BUILT_IN,
    )
    background_error = models.CharField(max_length=300, blank=True)
    # "Active" means in use: only a template with the built-in design or a
    # checked upload can be. An admin who asks for an unchecked upload to be
    # active gets `activate_when_valid`, which the worker's check turns into
    # `is_active` when the file passes (certificates/services/backgrounds.py).
    is_active = models.BooleanField(default=True)
    activate_when_valid = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "audience", "language", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_active=False)
                | Q(background_status__in=["built_in", "valid"]),
                name="certificate_template_active_only_when_usable",
                violation_error_message=_(
                    "A template can be active only with the built-in design or "
                    "a background that passed its check."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def uses_uploaded_background(self) -> bool:
        return bool(self.background) and (
            self.background_status == self.BackgroundStatus.VALID
        )

    @property
    def background_is_renderable(self) -> bool:
        """The built-in design, or an upload that passed its check: never a
        file the worker has not checked or refused."""
        return not self.background or (
            self.background_status == self.BackgroundStatus.VALID
        )

    @property
    def awaits_check_to_activate(self) -> bool:
        return self.activate_when_valid and not self.is_active


def preview_upload_to(instance, filename: str) -> str:
    return f"certificate-template-previews/{uuid.uuid4().hex}.pdf"


class TemplatePreview(models.Model):
    """A template's sample certificate, rendered by a worker
    (certificates/services/previews.py) and shown on the template's Preview
    page in the admin. Private: served only through a permission-checked view.
    `template_updated_at` is the version of the template the sample shows (or
    is being rendered for), so a changed template is rendered again and an
    unchanged one never twice."""

    class Status(models.TextChoices):
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    template = models.OneToOneField(
        CertificateTemplate, on_delete=models.CASCADE, related_name="preview"
    )
    template_updated_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.RENDERING
    )
    pdf = models.FileField(upload_to=preview_upload_to, blank=True)
    error = models.CharField(max_length=300, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Preview of {self.template}"


class SerialSequence(models.Model):
    """The last serial number given out in a year. Incremented under a row lock,
    so concurrent issuing never hands out one serial twice."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"


def new_verification_code() -> str:
    """192 random bits, URL-safe: what the QR code and /verify/<code>/ carry."""
    return secrets.token_urlsafe(24)


class CertificateBatch(models.Model):
    """A bulk issue started by an admin: its certificates report progress."""

    run = models.ForeignKey(
        "courses.CourseRun",
        on_delete=models.PROTECT,
        related_name="certificate_batches",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Batch {self.pk} for {self.run}"


class Certificate(models.Model):
    """One certificate of one enrolment: its snapshots, file and status."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being generated")
        ISSUED = "issued", _("Issued")
        FAILED = "failed", _("Failed")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Superseded")

    enrolment = models.ForeignKey(
        "enrolments.Enrolment", on_delete=models.PROTECT, related_name="certificates"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    template = models.ForeignKey(
        CertificateTemplate, on_delete=models.PROTECT, related_name="certificates"
    )
    batch = models.ForeignKey(
        CertificateBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    serial = models.CharField(max_length=20, unique=True)
    verification_code = models.CharField(
        max_length=64, unique=True, default=new_verification_code, editable=False
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PENDING
    )
    # Snapshots: what the certificate says, whatever changes later.
    full_name = models.CharField(max_length=150)
    course_title = models.CharField(max_length=255)
    hours = models.DecimalField(max_digits=5, decimal_places=1)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    is_member = models.BooleanField()
    language = models.CharField(max_length=7)
    pdf = models.FileField(upload_to="certificates/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)
    render_attempts = models.PositiveSmallIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revocation_reason = models.TextField(blank=True)
    superseded_by = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    # Set by certificates/privacy.py when the holder's personal data is erased
    # and the course does not keep names: the name is withheld and the PDF,
    # which prints it, is deleted (its SHA-256 stays, so the holder's own copy
    # still verifies).
    holder_erased_at = models.DateTimeField(null=True, blank=True)
    # The Open Badges 3.0 credential, a compact JWS signed in the worker with
    # the PDF (certificates/services/credentials.py); "" until then, and
    # again when an erasure withholds the name it carries.
    credential = models.TextField(blank=True, editable=False)
    # Its bit in the revocation status lists (certificates/credentials/
    # status_list.py): list number and position, drawn when it is signed.
    status_list = models.PositiveIntegerField(null=True, blank=True, editable=False)
    status_index = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"],
                name="certificate_one_status_bit_each",
            ),
            models.UniqueConstraint(
                fields=["enrolment", "kind"],
                condition=Q(status__in=["pending", "issued", "failed"]),
                name="certificate_one_current_per_enrolment_and_kind",
                violation_error_message=_(
                    "This enrolment already has a certificate of this kind."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | ~Q(revocation_reason=""),
                name="certificate_revocation_has_reason",
                violation_error_message=_("A revocation needs a reason."),
            ),
            models.CheckConstraint(
                condition=~Q(status="issued")
                | (~Q(sha256="") & (~Q(pdf="") | Q(holder_erased_at__isnull=False))),
                name="certificate_issued_has_file",
            ),
        ]

    def __str__(self):
        return f"{self.serial} ({self.full_name})"

    def get_absolute_url(self) -> str:
        return reverse("certificates:verify", args=[self.verification_code])

    @property
    def kind_title(self) -> str:
        """The certificate's name by its kind: "Certificate of completion"."""
        return KIND_TITLES.get(self.kind, self.kind)

    @property
    def is_expired(self) -> bool:
        return bool(self.expires_at and self.expires_at <= timezone.now())

    @property
    def public_status(self) -> str:
        """What the verification page says: valid, revoked, superseded,
        expired, or not issued (pending/failed)."""
        if self.status == self.Status.ISSUED:
            return "expired" if self.is_expired else "valid"
        if self.status in (self.Status.REVOKED, self.Status.SUPERSEDED):
            return self.status
        return "not_issued"


class CertificateReview(models.Model):
    """A flag on a certificate whose basis changed after issue (a corrected
    register, a new grade, a reopened run, a corrected name), open until an
    academy admin reissues, revokes or keeps it. Opened and extended by
    certificates/services/review.py; listed on the admin dashboard and in
    Certificates > Certificates ("Needs review"), decided on the certificate's
    Review page. The verification page does not read it: a certificate stays
    valid until a person decides otherwise.

    `reasons` are data, not sentences ({"code": "outcome_dropped", "old":
    "completion", "new": "none", ...}), so they are told in the language of
    whoever reads them (certificates/review_reasons.py).
    """

    class Decision(models.TextChoices):
        REISSUED = "reissued", _("Reissued")
        REVOKED = "revoked", _("Revoked")
        KEPT = "kept", _("Kept as issued")
        # The record went back to what the certificate says before anyone
        # decided: closed by the system, the certificate never changed.
        RESTORED = "restored", _("Record restored")

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="reviews"
    )
    reasons = models.JSONField(default=list)
    opened_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate"],
                condition=Q(closed_at__isnull=True),
                name="certificate_review_one_open",
                violation_error_message=_(
                    "This certificate already has an open review."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(closed_at__isnull=True) & Q(decision=""))
                | (Q(closed_at__isnull=False) & ~Q(decision="")),
                name="certificate_review_closed_has_decision",
            ),
        ]

    def __str__(self):
        return f"Review of {self.certificate_id} opened {self.opened_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class IssuerKey(models.Model):
    """A public key the academy has signed credentials with, named by its
    JWK thumbprint and listed in /.well-known/did.json for as long as
    credentials signed with it may be checked: a rotated key is retired,
    never removed. Registered by certificates/services/credentials.py on
    first use; the private key never reaches the database."""

    thumbprint = models.CharField(max_length=43, unique=True)
    public_jwk = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.thumbprint
