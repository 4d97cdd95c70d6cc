"""The people menus of the Wagtail admin: Enrolments, Organisations, Trainees.

Enrolments and Trainees are read-only here: their add, edit, copy and delete
views are not routed (and the permission policy refuses them), so the only
writes are the enrolment services behind the bulk actions.
"""

from django.contrib.admin.utils import quote
from django.contrib.auth import get_permission_codename
from django.db.models import Count
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import SnippetViewSet

from academy_site.admin_ui import ToneStatusColumn
from courses.admin_forms import PermittedChooserViewSet, ScopedViewSetMixin
from courses.templatetags.course_tags import rsd
from enrolments.access import enrolments_visible_to, trainees_visible_to
from enrolments.admin.buttons import trainees_listing_url
from enrolments.admin.columns import LinkColumn, MemberTodayColumn
from enrolments.admin.coordinators import coordinators_url
from enrolments.admin.filters import SEARCH_FIELDS, EnrolmentFilterSet
from enrolments.admin.privacy import TraineeInspectView
from enrolments.admin.tones import ENROLMENT_TONES
from enrolments.admin.views import EnrolmentIndexView
from enrolments.audit import RecordHistoryView, RecordInspectView
from enrolments.models import Enrolment, Organisation, TraineeProfile
from enrolments.rules.reasons import reasons_text

WRITE_VIEWS = frozenset({"add", "edit", "copy", "delete"})


class InspectURLFinder(ModelAdminURLFinder):
    """Links to a read-only record (from bulk-action pages, reports) open its
    inspect page, for users who may view it."""

    def get_edit_url(self, instance):
        if self.user and not self.policy.user_has_permission(self.user, "view"):
            return None
        return reverse(self.edit_url_name, args=(quote(instance.pk),))


class ReadOnlyViewSetMixin:
    """Routes no add, edit, copy or delete view; registers only the
    permissions that mean something here (view, and `extra_permissions`)."""

    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    # History (the audit log, enrolments/audit.py) for those who may view.
    history_view_class = RecordHistoryView
    inspect_view_class = RecordInspectView
    extra_permissions: tuple[str, ...] = ()

    def get_urlpatterns(self):
        return [
            pattern
            for pattern in self.read_only_urlpatterns()
            if pattern.name not in WRITE_VIEWS
        ]

    def read_only_urlpatterns(self):
        return super().get_urlpatterns()

    def get_permissions_to_register(self):
        actions = ("view", *self.extra_permissions)
        codenames = [get_permission_codename(a, self.model_opts) for a in actions]
        return super().get_permissions_to_register().filter(codename__in=codenames)

    @property
    def url_finder_class(self):
        return type(
            f"{self.model.__name__}URLFinder",
            (InspectURLFinder,),
            {
                "edit_url_name": self.get_url_name("inspect"),
                "policy": policy_registry.get_by_type(self.model),
            },
        )


def course_and_run(enrolment: Enrolment) -> str:
    if enrolment.run:
        return str(enrolment.run)
    return gettext("%(course)s (self-paced)") % {"course": enrolment.course}


class EnrolmentInspectView(RecordInspectView):
    inspect_sections = [
        (_("Who and what"), ["trainee", "course", "run", "organisation"]),
        (
            _("Decisions"),
            [
                "status",
                "offer_expires_at",
                "employer_approval",
                "decided_at",
                "decided_by",
                "rejection_reason",
                "cancelled_at",
            ],
        ),
        (_("Result"), ["outcome", "finished_at", "final_reasons"]),
        (_("Price"), ["is_member", "price", "created_at"]),
    ]
    inspect_labels = {
        "is_member": _("Member price"),
        "created_at": _("Enrolled on"),
        "decided_at": _("Decided on"),
        "decided_by": _("Decided by"),
        "cancelled_at": _("Cancelled on"),
        "offer_expires_at": _("Seat offered until"),
    }

    def get_employer_approval_display_value(self):
        return self.object.get_employer_approval_display()

    def get_final_reasons_display_value(self):
        """Why the enrolment ended so, in the admin's language."""
        return reasons_text(self.object.final_reasons) or "—"


class EnrolmentViewSet(ScopedViewSetMixin, ReadOnlyViewSetMixin, SnippetViewSet):
    """Enrolments menu: every enrolment (for an instructor, those of the runs
    they teach), filtered and searched, approved, rejected or cancelled in
    bulk, exported. Reached per run from Scheduling > Runs ("Enrolments" in a
    run's menu)."""

    model = Enrolment
    index_view_class = EnrolmentIndexView
    index_template_name = "enrolments/admin/enrolment_index.html"
    icon = "clipboard-list"
    menu_label = _("Enrolments")
    menu_order = 205
    add_to_admin_menu = True
    extra_permissions = ("change",)  # deciding: approve, reject, cancel
    list_per_page = 50
    ordering = "-created_at"
    list_display = [
        "trainee__full_name",
        Column("course_run", label=_("Course / run"), accessor=course_and_run),
        ToneStatusColumn(
            "status",
            label=_("Status"),
            accessor=lambda e: (
                gettext("Waiting for the employer")
                if e.waits_for_employer
                else e.get_status_display()
            ),
            tones=ENROLMENT_TONES,
            sort_key="status",
        ),
        Column(
            "is_member",
            label=_("Member"),
            accessor=lambda e: gettext("Yes") if e.is_member else gettext("No"),
            sort_key="is_member",
        ),
        Column("organisation", label=_("Organisation"), sort_key="organisation__name"),
        Column(
            "price",
            label=_("Price"),
            accessor=lambda e: rsd(e.price),  # "18.000 RSD" in Serbian
            sort_key="price",
        ),
        DateColumn("created_at", label=_("Enrolled"), sort_key="created_at"),
    ]
    filterset_class = EnrolmentFilterSet
    search_fields = SEARCH_FIELDS
    inspect_view_class = EnrolmentInspectView
    # Shown in sections: EnrolmentInspectView.inspect_sections.
    inspect_view_fields = [
        name for _heading, names in EnrolmentInspectView.inspect_sections
        for name in names
    ]  # fmt: skip

    def scoped_queryset(self, request):
        return enrolments_visible_to(request.user)

    def register_chooser_viewset(self):
        # No chooser: no form links to an enrolment, and Wagtail's chooser
        # would list trainees to any admin user without checking "view".
        pass


class OrganisationViewSet(SnippetViewSet):
    """Organisations menu, edited with their membership periods; each row's
    trainee count opens the Trainees listing filtered by the organisation."""

    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 210
    add_to_admin_menu = True
    # Organisations are for academy admins: the chooser is too.
    chooser_viewset_class = PermittedChooserViewSet
    list_display = [
        "name",
        Column("pib", label=_("PIB")),
        MemberTodayColumn("member", label=_("Member today")),
        LinkColumn(
            "trainee_count",
            label=_("Trainees"),
            get_url=lambda org: trainees_listing_url(organisation=org.pk),
            sort_key="trainee_count",
        ),
        LinkColumn(
            "coordinator_count",
            label=_("Coordinators"),
            get_url=coordinators_url,
            sort_key="coordinator_count",
        ),
    ]
    search_fields = ["name", "pib"]
    # Any part of a name or PIB, through the database: the search index is
    # for whole words, and on SQLite it cannot search one column by name.
    search_backend_name = None

    def get_queryset(self, request):
        return Organisation.objects.prefetch_related("membership_periods").annotate(
            trainee_count=Count("trainees", distinct=True),
            coordinator_count=Count("coordinators", distinct=True),
        )


class TraineeIndexView(generic.IndexView):
    def get_base_queryset(self):
        return trainees_visible_to(self.request.user)


class TraineeViewSet(ScopedViewSetMixin, ReadOnlyViewSetMixin, ModelViewSet):
    """Trainees menu: everyone who signed up (for an instructor, the trainees
    of the runs they teach), with their organisation. Profiles are made by
    sign-up and edited by the trainee, never here."""

    model = TraineeProfile
    name = "trainees"
    inspect_view_class = TraineeInspectView  # with "Erase personal data"
    index_view_class = TraineeIndexView
    icon = "user"
    menu_label = _("Trainees")
    menu_order = 215
    add_to_admin_menu = True
    ordering = "full_name"
    list_per_page = 50
    list_display = [
        "full_name",
        Column(
            "email", label=_("E-mail"), accessor="user.email", sort_key="user__email"
        ),
        Column("organisation", label=_("Organisation"), sort_key="organisation__name"),
        "preferred_language",
        MemberTodayColumn(
            "member_today",
            label=_("Member today"),
            # Only confirmed staff: a pending claim gives no member price.
            organisation_of=lambda trainee: (
                trainee.organisation if trainee.confirmed_staff else None
            ),
        ),
        Column("enrolment_count", label=_("Enrolments"), sort_key="enrolment_count"),
    ]
    list_filter = ["organisation"]
    search_fields = ["full_name", "user__email"]
    inspect_view_fields = [
        "full_name",
        "user",
        "organisation",
        "preferred_language",
        "created_at",
    ]

    def read_only_urlpatterns(self):
        # ModelViewSet would build its add and edit views, which need a form.
        conv = self.pk_path_converter
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(f"inspect/<{conv}:pk>/", self.inspect_view, name="inspect"),
        ]

    def scoped_queryset(self, request):
        return trainees_visible_to(request.user)
