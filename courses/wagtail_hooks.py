"""Admin menus for course scheduling: Courses > Runs, Instructors, Topics; and
the hooks that keep each course's team (courses/services.py) in step with who
teaches it, so instructors edit and publish their own courses only."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import AdminDateInput
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from academy_site.filters import CHOOSE_COURSE, IdChoiceFilter
from courses.access import (
    courses_editable_by,
    is_instructor,
    may_add_below,
    runs_scheduled_by,
)
from courses.admin_forms import CourseRunForm, ScopedViewSetMixin
from courses.admin_views import (
    EvaluationFormCreateView,
    EvaluationFormIndexView,
    RunFactsRecordAgainView,
)
from courses.models import (
    CourseIndexPage,
    CoursePage,
    CourseRun,
    EvaluationForm,
    Instructor,
    LatinTerm,
    Topic,
)
from courses.panels import RECORD_AGAIN_URL_NAME, RunFactsPanel
from courses.services import (
    RUN_FACTS_RECORDED_AGAIN,
    course_author_add,
    course_team_sync,
    course_teams_prune,
    run_author_add,
)


def _courses_of(request):
    return courses_editable_by(request.user).order_by("title")


class CourseRunFilterSet(WagtailFilterSet):
    """Runs by dates and course; an instructor picks among their courses."""

    starts_on__gte = django_filters.DateFilter(
        "starts_on", "gte", label=_("Starts on or after"), widget=AdminDateInput
    )
    starts_on__lte = django_filters.DateFilter(
        "starts_on", "lte", label=_("Starts on or before"), widget=AdminDateInput
    )
    course = IdChoiceFilter(queryset=_courses_of, error_messages=CHOOSE_COURSE)

    class Meta:
        model = CourseRun
        fields = []


class CourseRunChooserViewSet(ScopedViewSetMixin, SnippetChooserViewSet):
    """The run chooser offers the same runs as the listing."""

    def scoped_queryset(self, request):
        return runs_scheduled_by(request.user).select_related("course")


class CourseRunViewSet(ScopedViewSetMixin, SnippetViewSet):
    """Scheduling > Runs: every run for academy admins; for an instructor the
    runs of the courses they may edit (another run's URL answers 404)."""

    model = CourseRun
    icon = "date"
    menu_label = _("Runs")
    add_to_admin_menu = False
    list_display = [
        "__str__",
        "starts_on",
        "ends_on",
        Column("capacity", label=_("Seats")),
        Column("seats_left", label=_("Seats left")),
        Column(
            "lifecycle_label",
            label=_("State"),
            accessor=lambda run: run.lifecycle_label(),
        ),
    ]
    # The form is the admin's business: the model keeps only its panels.
    edit_handler = ObjectList(
        CourseRun.panels + [RunFactsPanel()], base_form_class=CourseRunForm
    )
    filterset_class = CourseRunFilterSet
    chooser_viewset_class = CourseRunChooserViewSet
    ordering = ["-starts_on"]
    search_fields = None

    def scoped_queryset(self, request):
        return runs_scheduled_by(request.user).select_related("course", "closed_by")


class InstructorViewSet(SnippetViewSet):
    """Scheduling > Instructors: edited by academy admins; the Instructors
    role may only view (academy_site/roles.py)."""

    model = Instructor
    icon = "user"
    list_display = ["full_name", "job_title", "organisation"]
    search_fields = ["full_name", "organisation"]
    # Any part of a name, through the database: the search index is for
    # whole words, and on SQLite it cannot search one column by name.
    search_backend_name = None


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "slug"]


class LatinTermViewSet(SnippetViewSet):
    model = LatinTerm
    icon = "openquote"
    menu_label = _("Terms kept in Latin")
    list_display = ["term"]
    search_fields = ["term"]


class EvaluationFormViewSet(SnippetViewSet):
    """Scheduling > Evaluation forms: built and translated by academy admins;
    instructors may read them (their courses' questions)."""

    model = EvaluationForm
    index_view_class = EvaluationFormIndexView
    add_view_class = EvaluationFormCreateView
    icon = "form"
    menu_label = _("Evaluation forms")
    list_display = ["title", "anonymous", "is_default", "locale"]
    search_fields = ["title"]
    search_backend_name = None


class CoursesGroup(SnippetViewSetGroup):
    menu_label = _("Scheduling")
    menu_icon = "calendar"
    menu_order = 200
    items = (
        CourseRunViewSet,
        InstructorViewSet,
        TopicViewSet,
        LatinTermViewSet,
        EvaluationFormViewSet,
    )


register_snippet(CoursesGroup)


# --- A run's facts ------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_run_facts_urls():
    return [
        path(
            "courses/runs/<int:pk>/facts/record-again/",
            RunFactsRecordAgainView.as_view(),
            name=RECORD_AGAIN_URL_NAME,
        )
    ]


@hooks.register("register_log_actions")
def register_run_facts_log_actions(actions):
    actions.register_action(
        RUN_FACTS_RECORDED_AGAIN,
        _("Record the facts again"),
        _("Facts that certificates print recorded again from the course"),
    )


# --- Course teams -----------------------------------------------------------


@hooks.register("before_create_page")
def only_in_courses_they_edit(request, parent_page, page_class):
    """Instructors hold "add" on the catalogue, which Wagtail extends to every
    page below it: a module may only be added (or moved or copied) into a
    course its author may edit (their own, or their team's)."""
    _refuse_unless_editable(request, parent_page)


@hooks.register("before_move_page")
def only_moved_into_courses_they_edit(request, page, destination):
    _refuse_unless_editable(request, destination)


@hooks.register("before_copy_page")
def only_copied_into_courses_they_edit(request, page):
    destination_id = request.POST.get("new_parent_page", "")
    if destination_id.isdigit():
        destination = Page.objects.filter(pk=destination_id).first()
        if destination is not None:
            _refuse_unless_editable(request, destination)


def _refuse_unless_editable(request, parent_page) -> None:
    if not may_add_below(request.user, parent_page):
        raise PermissionDenied


@hooks.register("after_create_page")
def course_created(request, page):
    """A new course: its creator teaches it (so their team may publish it);
    a new catalogue page: instructors may add courses under it."""
    specific = page.specific
    if isinstance(specific, CoursePage):
        if not request.user.is_superuser and is_instructor(request.user):
            course_author_add(course=specific, user=request.user)
        course_team_sync(course=specific)
    elif isinstance(specific, CourseIndexPage):
        from academy_site.roles import roles_sync

        roles_sync()


@hooks.register("after_edit_page")
@hooks.register("after_publish_page")
def course_saved(request, page):
    specific = page.specific
    if isinstance(specific, CoursePage):
        course_team_sync(course=specific)


@hooks.register("after_delete_page")
def course_deleted(request, page):
    course_teams_prune()


@hooks.register("after_create_snippet")
def run_created(request, instance):
    """A run an instructor schedules without naming its instructors is
    theirs; then its instructors join the course's team."""
    if isinstance(instance, CourseRun):
        if not request.user.is_superuser and is_instructor(request.user):
            run_author_add(run=instance, user=request.user)
        course_team_sync(course=instance.course)


@hooks.register("after_edit_snippet")
def run_saved(request, instance):
    """A run's instructors teach its course: they join the course's team."""
    if isinstance(instance, CourseRun):
        course_team_sync(course=instance.course)


@hooks.register("after_delete_snippet")
def runs_deleted(request, instances):
    course_ids = {i.course_id for i in instances if isinstance(i, CourseRun)}
    for course in CoursePage.objects.filter(pk__in=course_ids):
        course_team_sync(course=course)
