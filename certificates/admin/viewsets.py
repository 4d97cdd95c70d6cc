"""The Certificates menu of the Wagtail admin: Certificates and Templates.

- Certificates (/admin/certificates/): every certificate, filtered and
  searched, with each row's Retry, Revoke, Reissue and Download. Its add,
  edit, copy and delete views are not routed (and the permission policy
  refuses them): certificates change only through the services. Issuing a
  run's certificates, a batch's progress and a run's ZIP are routed here too.
- Templates (/admin/certificates/templates/): the designs and wording,
  edited as usual, previewed as a sample PDF, never deleted.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from academy_site.admin_ui import ToneStatusColumn
from certificates.admin import issuing, lifecycle, review, url_names
from certificates.admin.filters import (
    SEARCH_FIELDS,
    CertificateFilterSet,
    certificates_for_admin,
)
from certificates.admin.forms import CertificateTemplateForm
from certificates.admin.listing import LIST_DISPLAY, CertificateIndexView
from certificates.admin.panels import BackgroundStatusPanel
from certificates.admin.template_views import (
    TemplateCreateView,
    TemplateEditView,
    TemplateIndexView,
    TemplatePreviewPdfView,
    TemplatePreviewStateView,
    TemplatePreviewView,
)
from certificates.admin.zip_export import RunZipView
from certificates.models import Certificate, CertificateTemplate
from courses.admin_forms import PermittedChooserViewSet
from enrolments.admin.viewsets import ReadOnlyViewSetMixin

# Wagtail's plain listing page: the snippet one adds a bulk-action footer
# (with Delete) that these listings have no use for.
PLAIN_INDEX_TEMPLATE = "wagtailadmin/generic/index.html"
BackgroundStatus = CertificateTemplate.BackgroundStatus


def template_in_use_label(template: CertificateTemplate) -> str:
    """In words, not a tick alone: whether certificates are printed on it, or
    will be once its background passes the check."""
    if template.is_active:
        return _("Active")
    if template.awaits_check_to_activate:
        if template.background_status == BackgroundStatus.CHECKING:
            return _("Active once the check passes")
    return _("Inactive")


class CertificateViewSet(ReadOnlyViewSetMixin, SnippetViewSet):
    model = Certificate
    url_prefix = "certificates"
    url_namespace = url_names.CERTIFICATES
    index_view_class = CertificateIndexView
    inspect_view_class = review.CertificateInspectView
    index_template_name = PLAIN_INDEX_TEMPLATE
    icon = "doc-full"
    menu_label = _("Certificates")
    extra_permissions = ("add", "change")  # issue; retry, revoke, reissue
    list_per_page = 50
    ordering = "-created_at"
    list_display = LIST_DISPLAY
    filterset_class = CertificateFilterSet
    search_fields = SEARCH_FIELDS
    # Shown in sections: CertificateInspectView.inspect_sections.
    inspect_view_fields = [
        name
        for _heading, names in review.CertificateInspectView.inspect_sections
        for name in names
    ]

    def get_queryset(self, request):
        return certificates_for_admin()

    def register_chooser_viewset(self):
        # No form links to a certificate; a chooser would only list them.
        pass

    def read_only_urlpatterns(self):
        return [
            *super().read_only_urlpatterns(),
            path("<int:pk>/retry/", lifecycle.RetryView.as_view(), name="retry"),
            path("<int:pk>/revoke/", lifecycle.RevokeView.as_view(), name="revoke"),
            path("<int:pk>/reissue/", lifecycle.ReissueView.as_view(), name="reissue"),
            path("<int:pk>/review/", review.ReviewView.as_view(), name="review"),
            path(
                "runs/<int:run_id>/issue/",
                issuing.RunIssueView.as_view(),
                name="issue",
            ),
            path(
                "runs/<int:run_id>/certificates.zip",
                RunZipView.as_view(),
                name="run_zip",
            ),
            path("batches/<int:pk>/", issuing.BatchView.as_view(), name="batch"),
            path(
                "batches/<int:pk>/progress.json",
                issuing.BatchProgressView.as_view(),
                name="batch_progress",
            ),
        ]


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    url_prefix = "certificates/templates"
    url_namespace = url_names.TEMPLATES
    index_view_class = TemplateIndexView
    add_view_class = TemplateCreateView
    edit_view_class = TemplateEditView
    index_template_name = PLAIN_INDEX_TEMPLATE
    # A copy would carry the original's background status without a check.
    copy_view_enabled = False
    icon = "doc-empty"
    menu_label = _("Templates")
    # Templates are for academy admins: the chooser is too.
    chooser_viewset_class = PermittedChooserViewSet
    list_display = [
        "name",
        Column("kind", label=_("Kind"), accessor="get_kind_display", sort_key="kind"),
        Column("audience", label=_("Audience"), accessor="get_audience_display"),
        Column("language", label=_("Language"), accessor="get_language_display"),
        ToneStatusColumn(
            "background_status",
            label=_("Background"),
            accessor="get_background_status_display",
            tones={
                "built_in": "neutral",
                "checking": "warning",
                "valid": "good",
                "invalid": "bad",
            },
        ),
        Column("background_error", label=_("Background problem")),
        Column("in_use", label=_("Active"), accessor=template_in_use_label),
    ]
    list_filter = ["kind", "audience", "language", "is_active"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldRowPanel(
                [FieldPanel("kind"), FieldPanel("audience"), FieldPanel("language")]
            ),
            MultiFieldPanel(
                [FieldPanel("heading"), FieldPanel("statement")], heading=_("Wording")
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [
                            FieldPanel("signatory_1_name"),
                            FieldPanel("signatory_1_title"),
                        ]
                    ),
                    FieldRowPanel(
                        [
                            FieldPanel("signatory_2_name"),
                            FieldPanel("signatory_2_title"),
                        ]
                    ),
                ],
                heading=_("Signatories"),
            ),
            FieldPanel(
                "background",
                help_text=_(
                    "Optional one-page PDF (A4 or Letter, under 5 MB, not "
                    "encrypted), checked after saving; empty means the "
                    "built-in design."
                ),
            ),
            BackgroundStatusPanel(heading=_("Background check")),
            FieldPanel(
                "is_active",
                heading=_("Active"),
                help_text=_(
                    "Certificates are printed on active templates. A template "
                    "with a new background becomes active when the background "
                    "passes its check; inactive templates are kept but not "
                    "chosen."
                ),
            ),
        ],
        base_form_class=CertificateTemplateForm,
    )

    def get_permissions_to_register(self):
        # No "Can delete" in the group editor: the policy refuses it anyway.
        return (
            super()
            .get_permissions_to_register()
            .exclude(codename__startswith="delete_")
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("preview/<int:pk>/", TemplatePreviewView.as_view(), name="preview"),
            path(
                "preview/<int:pk>/state.json",
                TemplatePreviewStateView.as_view(),
                name="preview_state",
            ),
            path(
                "preview/<int:pk>/sample.pdf",
                TemplatePreviewPdfView.as_view(),
                name="preview_pdf",
            ),
        ]


class CertificatesGroup(SnippetViewSetGroup):
    menu_label = _("Certificates")
    menu_icon = "doc-full"
    menu_order = 220
    items = (CertificateViewSet, CertificateTemplateViewSet)
