"""Erasing a trainee's personal data from the admin: "Erase personal data" in
the More menu of a trainee's inspect page (Trainees menu) opens a
confirmation page (templates/enrolments/admin/trainee_erase.html) that says
what is erased and what is kept; only its POST (with the CSRF token) calls
enrolments.services.privacy.trainee_erase.

Only holders of "Can erase a trainee's personal data" (academy admins,
academy_site/roles.py) see the button; anyone else opening the page gets 403.
Also registers the audit log actions of privacy: erasure and data export.
Imported by enrolments/wagtail_hooks.py.
"""

from django.contrib.admin.utils import quote
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button, HeaderButton

from enrolments.access import may_erase_trainees
from enrolments.admin.tones import CLAIM_TONES, ENROLMENT_TONES, tone_of
from enrolments.audit import RecordInspectView
from enrolments.extensions import enrolment_panels
from enrolments.models import Enrolment, MembershipClaim, TraineeProfile
from enrolments.privacy import erasure_preview
from enrolments.services.privacy import (
    ERASE_ACTION,
    EXPORT_ACTION,
    AlreadyErased,
    ErasureRefused,
    trainee_erase,
)

ERASE_URL_NAME = "trainee_erase"
TRAINEES_INDEX = "trainees:index"
TRAINEES_INSPECT = "trainees:inspect"


class TraineeInspectView(RecordInspectView):
    """A trainee's inspect page: their organisation claims, enrolments and
    certificates (enrolments/admin/trainee_actions.py changes them), when the
    trainee was erased, and for those who may erase, "Erase personal data" in
    the More menu."""

    template_name = "enrolments/admin/trainee_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        trainee = self.object
        enrolments = list(
            Enrolment.objects.filter(trainee=trainee)
            .select_related("course", "run", "organisation")
            .order_by("-created_at", "-pk")
        )
        panels = enrolment_panels(enrolments)
        user = self.request.user
        claims = (
            MembershipClaim.objects.filter(trainee=trainee)
            .select_related("organisation")
            .order_by("-made_at", "-pk")
        )
        context.update(
            claim_rows=[(c, tone_of(CLAIM_TONES, c.status)) for c in claims],
            enrolment_rows=[
                (e, panels.get(e.pk, []), tone_of(ENROLMENT_TONES, e.status))
                for e in enrolments
            ],
            may_reprice=user.has_perm("enrolments.add_enrolment"),
        )
        return context

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.object.erased_at is not None:
            return buttons
        user = self.request.user
        if user.has_perm("enrolments.change_membershipclaim"):
            buttons.append(
                HeaderButton(
                    gettext("Change organisation"),
                    url=reverse("trainee_organisation", args=(self.object.pk,)),
                    icon_name="group",
                    priority=20,
                )
            )
        if user.has_perm("enrolments.add_enrolment"):
            buttons.append(
                HeaderButton(
                    gettext("Enrol in a run"),
                    url=reverse("trainee_enrol", args=(self.object.pk,)),
                    icon_name="plus",
                    priority=30,
                )
            )
        return buttons

    def get_fields_context(self):
        fields = super().get_fields_context()
        if self.object.erased_at and "erased_at" not in self.fields:
            fields.append(self.get_context_for_field("erased_at"))
        return fields

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.object.erased_at is None and may_erase_trainees(self.request.user):
            buttons.append(
                Button(
                    gettext("Erase personal data"),
                    url=reverse(ERASE_URL_NAME, args=(quote(self.object.pk),)),
                    icon_name="bin",
                    priority=90,
                )
            )
        return buttons


class TraineeEraseView(WagtailAdminTemplateMixin, TemplateView):
    """GET: what an erasure of this trainee does; POST: do it."""

    template_name = "enrolments/admin/trainee_erase.html"
    page_title = gettext_lazy("Erase personal data")
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        # A real 403: a raised PermissionDenied becomes a redirect in the admin.
        if not may_erase_trainees(request.user):
            return TemplateResponse(
                request, "enrolments/admin/trainee_erase_denied.html", status=403
            )
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def trainee(self) -> TraineeProfile:
        return get_object_or_404(
            TraineeProfile.objects.select_related("user", "organisation"),
            pk=self.kwargs["pk"],
        )

    @cached_property
    def inspect_url(self) -> str:
        return reverse(TRAINEES_INSPECT, args=(quote(self.trainee.pk),))

    def get_page_subtitle(self):
        return str(self.trainee)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(TRAINEES_INDEX), "label": gettext("Trainees")},
            {"url": self.inspect_url, "label": str(self.trainee)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request, *args, **kwargs):
        if self.trainee.erased_at is not None:
            messages.info(request, AlreadyErased.message)
            return redirect(self.inspect_url)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            counts = trainee_erase(trainee=self.trainee, by=request.user)
        except AlreadyErased as error:
            messages.info(request, error.message)
        except ErasureRefused as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                gettext(
                    "Personal data erased. Enrolments kept for the statistics: "
                    "%(enrolments)s (cancelled now: %(cancelled)s). Submissions "
                    "emptied: %(submissions)s; files deleted: %(files)s."
                )
                % {
                    "enrolments": counts["enrolments"],
                    "cancelled": counts["enrolments_cancelled"],
                    "submissions": counts["submissions"],
                    "files": counts["files_deleted"],
                },
            )
        return redirect(self.inspect_url)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            trainee=self.trainee,
            preview=erasure_preview(self.trainee),
            inspect_url=self.inspect_url,
        )
        return context


@hooks.register("register_admin_urls")
def register_trainee_erase_url():
    return [
        path(
            "trainees/erase/<int:pk>/",
            TraineeEraseView.as_view(),
            name=ERASE_URL_NAME,
        )
    ]


@hooks.register("register_log_actions")
def register_privacy_log_actions(actions):
    actions.register_action(
        ERASE_ACTION,
        gettext_lazy("Erase personal data"),
        gettext_lazy("Personal data erased"),
    )
    actions.register_action(
        EXPORT_ACTION,
        gettext_lazy("Export personal data"),
        gettext_lazy("The trainee viewed or downloaded their data"),
    )
