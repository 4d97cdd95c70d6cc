"""The filters of the Certificates listing (Certificates > Certificates):
status, review ("Needs review"), kind, expiry (in the next 90 days), run
and course; the search box
matches serial and name."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from academy_site.filters import CHOOSE_COURSE, CHOOSE_RUN, IdChoiceFilter
from certificates.models import Certificate, Kind
from certificates.selectors import certificates_expiring, with_review_flag
from courses.models import CoursePage, CourseRun

SEARCH_FIELDS = ["serial", "full_name"]
NEEDS_REVIEW = "open"
EXPIRING_SOON = "90"


class CertificateFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        choices=Certificate.Status.choices,
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )
    review = django_filters.ChoiceFilter(
        label=_("Review"),
        choices=[(NEEDS_REVIEW, _("Needs review"))],
        widget=forms.RadioSelect,
        empty_label=_("All"),
        method="filter_review",
    )
    kind = django_filters.ChoiceFilter(
        choices=Kind.choices, widget=forms.RadioSelect, empty_label=_("All")
    )
    expiring = django_filters.ChoiceFilter(
        label=_("Expiry"),
        choices=[(EXPIRING_SOON, _("Expires in the next 90 days"))],
        widget=forms.RadioSelect,
        empty_label=_("All"),
        method="filter_expiring",
    )
    run = IdChoiceFilter(
        field_name="enrolment__run",
        label=_("Run"),
        # The course is joined because a run's name includes its course's title.
        queryset=CourseRun.objects.select_related("course").order_by("-starts_on"),
        error_messages=CHOOSE_RUN,
    )
    course = IdChoiceFilter(
        field_name="enrolment__course",
        label=_("Course"),
        queryset=CoursePage.objects.order_by("title"),
        error_messages=CHOOSE_COURSE,
    )

    class Meta:
        model = Certificate
        fields = ["status", "review", "kind", "expiring", "run", "course"]

    def filter_review(self, queryset, name, value):
        return queryset.filter(needs_review=True) if value == NEEDS_REVIEW else queryset

    def filter_expiring(self, queryset, name, value):
        if value != EXPIRING_SOON:
            return queryset
        return queryset.filter(pk__in=certificates_expiring().values("pk"))


def certificates_for_admin():
    """Every certificate, newest first. The listing's columns read only the
    certificate's own snapshots and whether it has an open review (a
    subquery), so a page of rows is one query."""
    return with_review_flag(Certificate.objects.order_by("-created_at", "-pk"))
