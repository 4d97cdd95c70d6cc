"""The views of Certificates > Templates beyond Wagtail's defaults: saving
hands a new background to the worker's check (and says the template becomes
active when it passes), the listing has no bulk actions (templates are never
deleted), and "Preview" shows sample certificates a worker rendered."""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin
from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView

from certificates.admin import url_names
from certificates.admin.mixins import NoBulkActionsMixin
from certificates.admin.preview import preview_of, preview_state
from certificates.models import CertificateTemplate
from certificates.services.previews import template_preview_request

BackgroundStatus = CertificateTemplate.BackgroundStatus
CHECKING_NOTE = gettext_lazy(
    "The background is being checked; the listing shows when it is ready."
)
ACTIVATE_AFTER_CHECK_NOTE = gettext_lazy(
    "The background is being checked; the template becomes active when the "
    "check passes (the listing shows it). Until then, certificates use another "
    "active template, or this one with the built-in design."
)


class TemplateIndexView(NoBulkActionsMixin, IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            MenuItem(
                _("Preview"),
                url=reverse(url_names.template_name("preview"), args=[instance.pk]),
                icon_name="view",
                priority=15,
            )
        )
        return buttons


class BackgroundCheckMixin:
    """Saving (CertificateTemplateForm.save, services/templates.py) queues the
    check of a new background; the message says the template waits for it."""

    def get_success_message(self, *args, **kwargs):
        message = super().get_success_message(*args, **kwargs)
        template = self.form.instance
        if message and template.background_status == BackgroundStatus.CHECKING:
            note = (
                ACTIVATE_AFTER_CHECK_NOTE
                if template.activate_when_valid
                else CHECKING_NOTE
            )
            message = f"{message} {note}"
        return message


class TemplateCreateView(BackgroundCheckMixin, CreateView):
    pass


class TemplateEditView(BackgroundCheckMixin, EditView):
    pass


class TemplatePreviewMixin(PermissionCheckedMixin):
    """Who may see a template (add, change or view) may see its preview."""

    model = CertificateTemplate
    any_permission_required = ["add", "change", "view"]

    @cached_property
    def template(self) -> CertificateTemplate:
        return get_object_or_404(CertificateTemplate, pk=self.kwargs["pk"])


class TemplatePreviewView(TemplatePreviewMixin, WagtailAdminTemplateMixin, View):
    """GET: the template's sample certificates (a Serbian Latin and a Cyrillic
    name, a long course title), rendered by a worker: asked for here when
    this version of the template has none, shown in the page once rendered;
    static/js/certificate-template-preview.js polls TemplatePreviewStateView
    until then. POST: render a failed preview again."""

    template_name = "certificates/admin/template_preview.html"
    header_icon = "doc-empty"

    def get_page_title(self):
        return _("Preview: %(template)s") % {"template": self.template}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(url_names.template_name("list")), "label": _("Templates")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request, pk):
        if self.template.background_is_renderable:
            template_preview_request(template=self.template)
        return self.render_to_response(self.get_context_data())

    def post(self, request, pk):
        template_preview_request(template=self.template, again=True)
        messages.success(request, _("The preview is being rendered again."))
        return redirect(url_names.template_name("preview"), pk=self.template.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            certificate_template=self.template,
            preview=preview_state(self.template, preview_of(self.template)),
            state_url=reverse(
                url_names.template_name("preview_state"), args=[self.template.pk]
            ),
            edit_url=reverse(url_names.template_name("edit"), args=[self.template.pk]),
        )
        return context


class TemplatePreviewStateView(TemplatePreviewMixin, View):
    """The preview's state as JSON, for the Preview page's polling."""

    def get(self, request, pk):
        response = JsonResponse(preview_state(self.template, preview_of(self.template)))
        response["Cache-Control"] = "no-store"
        return response


@method_decorator(xframe_options_sameorigin, name="dispatch")
class TemplatePreviewPdfView(TemplatePreviewMixin, View):
    """The rendered sample PDF, inline, for the Preview page's frame: served
    from private storage through this permission check, never by URL."""

    def get(self, request, pk):
        preview = preview_of(self.template)
        if preview is None or not preview.pdf:
            raise Http404("No preview has been rendered for this template.")
        try:
            handle = preview.pdf.open("rb")
        except FileNotFoundError:
            raise Http404("The preview file is gone; render it again.") from None
        response = FileResponse(handle, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            False, f"preview-{self.template.pk}.pdf"
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
