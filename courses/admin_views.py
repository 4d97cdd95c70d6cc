"""Recording a run's facts again (Scheduling > Runs > a run > "What
certificates print" > "Record again"): a confirmation page that sets the
recorded facts beside the course as it is now; only its POST (with the CSRF
token) calls courses.services.run_facts_record_again. Academy admins only
(courses/access.py). The URL is registered by courses/wagtail_hooks.py."""

from django.conf import settings
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.views import snippets as snippet_views

from courses.access import may_record_run_facts_again, runs_scheduled_by
from courses.models import CourseRun
from courses.panels import facts_rows
from courses.selectors import run_facts, run_facts_live
from courses.services import run_facts_record_again

RUNS_LIST = "wagtailsnippets_courses_courserun:list"
RUN_EDIT = "wagtailsnippets_courses_courserun:edit"


def run_edit_url(run: CourseRun) -> str:
    return reverse(RUN_EDIT, args=(quote(run.pk),))


class RunFactsRecordAgainView(WagtailAdminTemplateMixin, TemplateView):
    """GET: the recorded facts beside the course now; POST: record again."""

    template_name = "courses/admin/run_facts_record_again.html"
    page_title = gettext_lazy("Record the facts again")
    header_icon = "date"

    def dispatch(self, request, *args, **kwargs):
        # The admin turns PermissionDenied into a redirect with its message.
        if not may_record_run_facts_again(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def run(self) -> CourseRun:
        runs = runs_scheduled_by(self.request.user).select_related("course")
        return get_object_or_404(runs, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.run)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(RUNS_LIST), "label": gettext("Runs")},
            {"url": run_edit_url(self.run), "label": str(self.run)},
            {"url": "", "label": self.get_page_title()},
        ]

    def post(self, request, *args, **kwargs):
        run_facts_record_again(run=self.run, by=request.user)
        messages.success(
            request,
            gettext(
                "The facts of %(run)s were recorded again from the course. "
                "Certificates issued from now on print them; those issued "
                "before keep theirs until they are reissued."
            )
            % {"run": self.run},
        )
        return redirect(run_edit_url(self.run))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        recorded, now = run_facts(self.run), run_facts_live(self.run)
        context.update(
            run=self.run,
            recorded=recorded,
            rows=facts_rows(recorded, now),
            edit_url=run_edit_url(self.run),
        )
        return context


class KnownLocaleMixin:
    """Wagtail's listing and add views of a translatable snippet look up the
    `?locale=` language code as given: text no locale has (a NUL byte, say)
    would reach the database, which PostgreSQL refuses with an error. Only a
    code of the site's content languages is looked up; anything else is a
    404, as an unknown locale already is."""

    def get_locale(self):
        code = self.request.GET.get("locale")
        if code is not None and code not in dict(settings.WAGTAIL_CONTENT_LANGUAGES):
            raise Http404("No such locale.")
        return super().get_locale()


class EvaluationFormIndexView(KnownLocaleMixin, snippet_views.IndexView):
    pass


class EvaluationFormCreateView(KnownLocaleMixin, snippet_views.CreateView):
    pass
