"""The enrolment reports in Wagtail's Reports menu and their admin URLs
(/admin/academy-reports/...). Imported by enrolments/wagtail_hooks.py.
Menu items are shown only to users who may view reports; the views refuse
everyone else (enrolments/reports/views.py)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from enrolments.access import may_view_reports
from enrolments.reports import views


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_view_reports(request.user)


def report_urls(name: str, slug: str, view_class) -> list:
    """The page and the results-only fragment its filter menu refreshes."""
    return [
        path(f"{slug}/", view_class.as_view(), name=name),
        path(
            f"{slug}/results/",
            view_class.as_view(results_only=True),
            name=f"{name}_results",
        ),
    ]


# (URL name, menu label, view, icon); the menu keeps this order, after
# Wagtail's own reports.
REPORTS = [
    (
        "enrolments_by_course",
        _("Enrolments by course"),
        views.EnrolmentsByCourseView,
        "list-ul",
    ),
    ("members", _("Members and non-members"), views.MembersReportView, "group"),
    (
        "completion",
        _("Completion and attendance"),
        views.CompletionReportView,
        "tick-inverse",
    ),
    ("revenue", _("Revenue due"), views.RevenueReportView, "table"),
    ("claims", _("Organisation claims"), views.ClaimsReportView, "group"),
    ("evaluations", _("Course evaluations"), views.EvaluationsReportView, "form"),
]


def register_reports(*, reports: list, prefix: str, namespace: str, first_order: int):
    """Route `reports` ((URL name, menu label, view, icon), ...) under
    /admin/<prefix>/ in `namespace` and list them, in this order, in the
    Reports menu. Used here and by certificates/reports.py."""
    urlpatterns = [
        url
        for name, _label, view_class, _icon in reports
        for url in report_urls(name, view_class.slug, view_class)
    ]

    def register_urls():
        return [
            path(f"{prefix}/", include((urlpatterns, namespace), namespace=namespace))
        ]

    hooks.register("register_admin_urls", register_urls)
    for number, (name, label, _view, icon) in enumerate(reports):
        hooks.register(
            "register_reports_menu_item",
            _menu_item_hook(
                f"{namespace}:{name}", label, icon, order=first_order + number * 10
            ),
        )


def _menu_item_hook(url_name: str, label, icon: str, *, order: int):
    def register():
        return ReportMenuItem(
            label,
            reverse(url_name),
            name=url_name.replace(":", "-").replace("_", "-"),
            icon_name=icon,
            order=order,
        )

    return register


register_reports(
    reports=REPORTS,
    prefix="academy-reports",
    namespace="academy_reports",
    first_order=2000,
)
