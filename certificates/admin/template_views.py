"""The views of Certificates > Templates beyond Wagtail's defaults: saving
hands a new background to the worker's check, the listing has no bulk actions
(templates are never deleted), and "Preview" returns a sample PDF."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView

from certificates.admin import url_names
from certificates.admin.mixins import NoBulkActionsMixin
from certificates.admin.preview import PreviewUnavailable, sample_pdf
from certificates.models import CertificateTemplate
from certificates.services.backgrounds import background_check_request
from certificates.services.errors import StorageUnavailable

CHECKING_NOTE = gettext_lazy(
    "The background is being checked; the listing shows when it is ready "
    "(until then certificates use the built-in design)."
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
    """Saving a template with a new (or cleared) background sets its status:
    "checking" and a worker's check after commit, or back to built-in."""

    def save_instance(self):
        instance = super().save_instance()
        self.background_status = None
        if "background" in self.form.changed_data:
            self.background_status = background_check_request(template=instance)
        return instance

    def get_success_message(self, *args, **kwargs):
        message = super().get_success_message(*args, **kwargs)
        checking = CertificateTemplate.BackgroundStatus.CHECKING
        if message and getattr(self, "background_status", None) == checking:
            message = f"{message} {CHECKING_NOTE}"
        return message


class TemplateCreateView(BackgroundCheckMixin, CreateView):
    pass


class TemplateEditView(BackgroundCheckMixin, EditView):
    pass


class TemplatePreviewView(PermissionCheckedMixin, View):
    """GET: a sample certificate (Đorđe Petrović, or Ђорђе Петровић on a
    Cyrillic template) as an inline PDF; back to the listing with the reason
    while an uploaded background is unchecked or refused."""

    model = CertificateTemplate
    any_permission_required = ["add", "change", "view"]

    def get(self, request, pk):
        template = get_object_or_404(CertificateTemplate, pk=pk)
        try:
            body = sample_pdf(template)
        except PreviewUnavailable as error:
            messages.warning(request, str(error))
            return redirect(url_names.template_name("list"))
        except (OSError, StorageUnavailable):
            messages.error(
                request,
                _("The background of “%(template)s” could not be read.")
                % {"template": template},
            )
            return redirect(url_names.template_name("list"))
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            False, f"preview-{template.pk}.pdf"
        )
        return response
