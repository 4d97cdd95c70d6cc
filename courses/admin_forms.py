"""Forms of the Wagtail admin for scheduling, and the scoping that keeps an
instructor to their own courses there (Scheduling > Runs, courses/wagtail_hooks.py;
the people listings of enrolments/admin/ reuse `ScopedViewSetMixin`). Who may
see which rows is decided in courses/access.py."""

from django import forms
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.permissions import policy_registry
from wagtail.snippets.views.chooser import SnippetChooserViewSet

from courses.access import courses_editable_by
from courses.models import CoursePage


class ScopedViewSetMixin:
    """For a Wagtail viewset whose rows are not all for everyone who may open
    it: the listing (and its exports) shows `scoped_queryset(request)`, and a
    view of one object (edit, inspect, delete, history, usage, ...) reached by
    URL for an object outside it answers 404, as if the id did not exist.
    On a chooser viewset it scopes the choices and the chosen objects too."""

    def scoped_queryset(self, request):
        raise NotImplementedError

    def get_queryset(self, request):
        return self.scoped_queryset(request)

    def construct_view(self, view_class, **kwargs):
        viewset = self

        class ScopedView(view_class):
            def setup(self, request, *args, **url_kwargs):
                # Before Wagtail's setup, which loads the object unscoped.
                pk = url_kwargs.get("pk")
                if pk is not None:
                    rows = viewset.scoped_queryset(request)
                    if not rows.filter(pk=unquote(str(pk))).exists():
                        raise Http404(_("No object of yours has this id."))
                super().setup(request, *args, **url_kwargs)

            # Choosers list and return objects through these.
            def get_object_list(self):
                return viewset.scoped_queryset(self.request)

            def get_objects(self, pks):
                return viewset.scoped_queryset(self.request).filter(pk__in=pks)

        for method in ("get_object_list", "get_objects"):
            if not hasattr(view_class, method):
                delattr(ScopedView, method)
        ScopedView.__name__ = ScopedView.__qualname__ = f"Scoped{view_class.__name__}"
        return super().construct_view(ScopedView, **kwargs)


class CourseRunForm(WagtailAdminModelForm):
    """Checks the inline meetings against the run's own (possibly just edited)
    dates: the meeting forms do not see their run until it is saved. Offers an
    instructor only the courses they may edit (a plain list instead of the page
    chooser, which would browse every page), and refuses any other."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        field = self.fields.get("course")
        if user is None or field is None or user.is_superuser:
            return
        courses = courses_editable_by(user)
        if courses.count() == CoursePage.objects.count():
            return  # Academy admins: every course, keep the chooser.
        field.queryset = courses.order_by("title")
        field.widget = forms.Select(choices=field.choices)
        field.help_text = _("One of the courses you teach.")

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        meetings = self.formsets.get("meetings")
        if not (starts_on and ends_on and meetings is not None):
            return cleaned
        if not meetings.is_valid():
            return cleaned
        for form in meetings.forms:
            day = form.cleaned_data.get("date")
            if form.cleaned_data.get("DELETE") or day is None:
                continue
            if not starts_on <= day <= ends_on:
                form.add_error(
                    "date",
                    gettext("Pick a date within the run (%(start)s to %(end)s).")
                    % {
                        "start": date_format(starts_on, "DATE_FORMAT"),
                        "end": date_format(ends_on, "DATE_FORMAT"),
                    },
                )
        return cleaned


class PermittedChooserViewSet(ScopedViewSetMixin, SnippetChooserViewSet):
    """A snippet chooser that lists (and returns) objects only to users with
    some permission on the model: Wagtail's own checks none, so any admin user
    could read, say, every organisation through it."""

    def scoped_queryset(self, request):
        policy = policy_registry.get_by_type(self.model)
        manager = self.model._default_manager
        if policy.user_has_any_permission(
            request.user, ("add", "change", "delete", "view")
        ):
            return manager.all()
        return manager.none()
