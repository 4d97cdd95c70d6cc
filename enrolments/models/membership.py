import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.search import index

from enrolments.validators import domain_problem, validate_pib


class OrganisationQuerySet(models.QuerySet):
    def members_on(self, day: dt.date):
        return self.filter(
            Q(membership_periods__starts_on__lte=day)
            & (
                Q(membership_periods__ends_on__isnull=True)
                | Q(membership_periods__ends_on__gte=day)
            )
        ).distinct()


class Organisation(index.Indexed, ClusterableModel):
    """A company whose staff train at the academy: a cluster member for the
    periods listed, otherwise a non-member. Edited in Snippets > Organisations."""

    name = models.CharField(max_length=200)
    pib = models.CharField(
        _("tax id (PIB)"),
        max_length=9,
        unique=True,
        validators=[validate_pib],
        help_text=_("The 9-digit Serbian tax identification number."),
    )
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)

    objects = OrganisationQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("pib"),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldRowPanel(
                    [FieldPanel("contact_email"), FieldPanel("contact_phone")]
                ),
                FieldPanel("address"),
            ],
            heading=_("Contact"),
        ),
        InlinePanel(
            "membership_periods",
            heading=_("Membership"),
            label=_("Membership period"),
        ),
        InlinePanel(
            "domains",
            heading=_("Verified e-mail domains"),
            label=_("Domain"),
            help_text=_(
                "Staff who confirm an address on one of these domains are "
                "confirmed as this organisation's staff at once."
            ),
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("pib"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def is_member_on(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return any(period.covers(day) for period in self.membership_periods.all())


class MembershipPeriod(models.Model):
    """An organisation is a member from `starts_on` to `ends_on` (inclusive);
    an empty end means the membership is ongoing."""

    organisation = ParentalKey(
        Organisation, on_delete=models.CASCADE, related_name="membership_periods"
    )
    starts_on = models.DateField(_("member from"))
    ends_on = models.DateField(_("member until"), null=True, blank=True)

    panels = [FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")])]

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="membership_ends_after_it_starts",
                violation_error_message=_("A membership cannot end before it starts."),
            )
        ]

    def __str__(self):
        until = date_format(self.ends_on) if self.ends_on else gettext("ongoing")
        return f"{date_format(self.starts_on)} – {until}"

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class OrganisationDomain(models.Model):
    """An e-mail domain the academy has verified as the organisation's own
    (e.g. `panonijasoft.rs`): a trainee who confirms an address on it is
    confirmed as the organisation's staff without anyone's say
    (enrolments/services/membership.py). Edited on the organisation."""

    organisation = ParentalKey(
        Organisation, on_delete=models.CASCADE, related_name="domains"
    )
    domain = models.CharField(
        _("domain"),
        max_length=253,
        unique=True,
        help_text=_("The part after @, e.g. panonijasoft.rs."),
        error_messages={
            "unique": _("This domain is already verified for another organisation.")
        },
    )
    public_provider_accepted = models.BooleanField(
        _("accept a public mail provider"),
        default=False,
        help_text=_(
            "Tick only if this organisation really owns the domain: anyone can "
            "get an address at a public provider such as gmail.com."
        ),
    )

    panels = [
        FieldRowPanel([FieldPanel("domain"), FieldPanel("public_provider_accepted")])
    ]

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.CheckConstraint(
                condition=Q(domain=Lower("domain")) & ~Q(domain__contains="@"),
                name="organisation_domain_lowercase_without_at",
                violation_error_message=_(
                    "Write the domain in lower case, without the part before @."
                ),
            )
        ]

    def __str__(self):
        return self.domain

    def clean(self):
        problem = domain_problem(self.domain, public_ok=self.public_provider_accepted)
        if problem:
            raise ValidationError({"domain": problem})
        self.domain = self.domain.strip().lower()


class MembershipClaim(models.Model):
    """A trainee's statement that they work for an organisation, and what
    became of it. Only a confirmed claim gives the member price and puts the
    trainee's enrolments in the organisation's reports.

    Made and decided only through enrolments/services/membership.py. A trainee
    has at most one open claim (pending or confirmed), enforced by the
    database; an ended, refused or withdrawn claim stays as history: who was a
    member when.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REFUSED = "refused", _("Refused")
        ENDED = "ended", _("Ended")

    class Method(models.TextChoices):
        DOMAIN = "domain", _("E-mail address on a verified domain")
        COORDINATOR = "coordinator", _("By the organisation's coordinator")
        JOIN_LINK = "join_link", _("With the organisation's invitation link")
        ADMIN = "admin", _("By an academy admin")
        RECORDED_BEFORE = "recorded_before", _(
            "Recorded before membership was confirmed"
        )

    trainee = models.ForeignKey(
        "enrolments.TraineeProfile",
        on_delete=models.CASCADE,
        related_name="membership_claims",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="claims"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    method = models.CharField(
        _("confirmed by"), max_length=20, choices=Method.choices, blank=True
    )
    made_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-made_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee"],
                condition=Q(status__in=["pending", "confirmed"]),
                name="one_open_membership_claim_per_trainee",
                violation_error_message=_(
                    "A trainee can have one open organisation claim at a time."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | ~Q(method=""),
                name="confirmed_claim_says_how",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "confirmed"])
                | Q(decided_at__isnull=False)
                | Q(ended_at__isnull=False),
                name="closed_claim_says_when",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self):
        return f"{self.trainee} – {self.organisation} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.CONFIRMED)


class Coordinator(models.Model):
    """Someone at an organisation who looks after its staff's training: they
    confirm or refuse staff claims on their own page (/organisation/,
    enrolments/coordination/). Appointed by an academy admin (Organisations >
    Coordinators); an organisation may have several, and one person may
    coordinate several organisations."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="coordinators"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinating"
    )
    monthly_summary = models.BooleanField(_("monthly summary by e-mail"), default=True)
    appointed_at = models.DateTimeField(default=timezone.now)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["organisation__name", "appointed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                name="one_coordinator_row_per_person_and_organisation",
                violation_error_message=_(
                    "This person already coordinates this organisation."
                ),
            )
        ]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.email} – {self.organisation}"


class JoinLink(models.Model):
    """An invitation to join an organisation's staff, made by its coordinator:
    whoever opens /organisation/join/<token>/ while it is valid, signed in with
    a confirmed account, is confirmed as the organisation's staff. A link with
    an `email` is a personal invitation (sent by e-mail): only that address may
    use it, once. Links expire and can be revoked; each names one
    organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="join_links"
    )
    # 256 random bits, URL-safe: unguessable, and a bearer credential for the
    # member price, so revocable and short-lived.
    token = models.CharField(max_length=64, unique=True)
    email = models.EmailField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    uses = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="join_link_expires_after_it_is_made",
            ),
            models.CheckConstraint(
                condition=Q(email="") | Q(uses__lte=1),
                name="personal_invitation_used_once",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.email or 'link'})"

    def is_valid(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.revoked_at is None
            and now < self.expires_at
            and not (self.email and self.uses)
        )
