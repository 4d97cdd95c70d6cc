import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.search import index

from enrolments.validators import validate_pib


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
