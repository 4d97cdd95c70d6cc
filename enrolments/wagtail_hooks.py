"""Admin menus for people: Organisations (with their membership periods)."""

from django.utils import timezone
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from enrolments.models import Organisation


class MemberTodayColumn(BooleanColumn):
    def get_value(self, instance):
        return instance.is_member_on(timezone.localdate())


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = "Organisations"
    menu_order = 210
    add_to_admin_menu = True
    list_display = [
        "name",
        Column("pib", label="PIB"),
        MemberTodayColumn("member", label="Member today"),
        Column("trainee_count", label="Trainees"),
    ]
    search_fields = ["name", "pib"]

    def get_queryset(self, request):
        from django.db.models import Count

        return Organisation.objects.prefetch_related("membership_periods").annotate(
            trainee_count=Count("trainees")
        )


register_snippet(OrganisationViewSet)
