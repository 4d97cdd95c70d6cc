"""Filters and search of the Enrolments listing (Enrolments menu). The bulk
actions' "select all in listing" reuses them, so it acts on exactly the rows
the listing showed."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import BooleanRadioSelect

from academy_site.filters import (
    CHOOSE_COURSE,
    CHOOSE_ORGANISATION,
    CHOOSE_RUN,
    IdChoiceFilter,
)
from courses.models import CoursePage, CourseRun
from enrolments.models import Enrolment, Organisation
from enrolments.selectors import enrolments_for_admin

SEARCH_FIELDS = ["trainee__full_name", "trainee__user__email"]


class EnrolmentFilterSet(WagtailFilterSet):
    course = IdChoiceFilter(
        queryset=CoursePage.objects.order_by("title"), error_messages=CHOOSE_COURSE
    )
    run = IdChoiceFilter(
        # The course is joined because a run's name includes its course's title.
        queryset=CourseRun.objects.select_related("course").order_by("-starts_on"),
        error_messages=CHOOSE_RUN,
    )
    status = django_filters.ChoiceFilter(
        choices=Enrolment.Status.choices,
        widget=forms.RadioSelect,
        empty_label=pgettext_lazy("any enrolment status", "All"),
    )
    employer_approval = django_filters.ChoiceFilter(
        label=_("Employer's approval"),
        choices=[c for c in Enrolment.EmployerApproval.choices if c[0]],
        widget=forms.RadioSelect,
        empty_label=pgettext_lazy("any employer's approval", "All"),
    )
    is_member = django_filters.BooleanFilter(
        label=_("Member price"), widget=BooleanRadioSelect
    )
    organisation = IdChoiceFilter(
        queryset=Organisation.objects.all(), error_messages=CHOOSE_ORGANISATION
    )

    class Meta:
        model = Enrolment
        fields = [
            "course",
            "run",
            "status",
            "employer_approval",
            "is_member",
            "organisation",
        ]


def search_enrolments(queryset: QuerySet[Enrolment], query: str):
    """Trainee name or e-mail containing `query`, as the listing's search box."""
    condition = Q()
    for field in SEARCH_FIELDS:
        condition |= Q(**{f"{field}__icontains": query})
    return queryset.filter(condition)


def enrolments_in_listing(request) -> QuerySet[Enrolment]:
    """The enrolments the listing shows for the request's filters and `q`."""
    queryset = enrolments_for_admin()
    filters = EnrolmentFilterSet(data=request.GET, queryset=queryset, request=request)
    if filters.is_valid():
        queryset = filters.qs
    query = request.GET.get("q", "").strip()
    return search_enrolments(queryset, query) if query else queryset
