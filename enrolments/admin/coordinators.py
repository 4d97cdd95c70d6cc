"""An organisation's coordinators in the admin (Organisations > a row's
"Coordinators"): who they are, appoint one by the e-mail of their account,
remove one. Academy admins only (those who may change organisations); every
write is a service of enrolments/services/membership.py, audited on the
organisation."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from enrolments.accounts.selectors import email_normalise
from enrolments.errors import CoordinatorError
from enrolments.models import Coordinator, Organisation
from enrolments.services.membership import coordinator_appoint, coordinator_remove

PERMISSION = "enrolments.change_organisation"


class AppointForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail of their account"),
        help_text=_(
            "They must have signed up and confirmed their address; they then see "
            "“Your organisation” on the site."
        ),
        error_messages={"required": _("Enter the e-mail of their account.")},
    )

    def clean_email(self):
        email = email_normalise(self.cleaned_data["email"])
        user = get_user_model()._default_manager.filter(email=email).first()
        if user is None:
            raise forms.ValidationError(
                gettext("No account uses this address: ask them to sign up first.")
            )
        self.user = user
        return email


class CoordinatorsView(WagtailAdminTemplateMixin, FormView):
    template_name = "enrolments/admin/coordinators.html"
    form_class = AppointForm
    header_icon = "group"
    page_title = _("Coordinators")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        self.organisation = get_object_or_404(Organisation, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.organisation.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organisation"] = self.organisation
        context["coordinators"] = Coordinator.objects.filter(
            organisation=self.organisation
        ).select_related("user", "appointed_by")
        return context

    def post(self, request, *args, **kwargs):
        remove = request.POST.get("remove")
        if remove:
            coordinator = get_object_or_404(
                Coordinator, pk=remove, organisation=self.organisation
            )
            coordinator_remove(coordinator=coordinator, by=request.user)
            messages.success(request, gettext("The coordinator is removed."))
            return redirect(self.request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            coordinator_appoint(
                organisation=self.organisation, user=form.user, by=self.request.user
            )
        except CoordinatorError as error:
            form.add_error("email", str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("%(email)s now coordinates %(organisation)s.")
            % {"email": form.user.email, "organisation": self.organisation.name},
        )
        return redirect(self.request.path)


def coordinators_url(organisation) -> str:
    return reverse("organisation_coordinators", args=[organisation.pk])


def urlpatterns():
    return [
        path(
            "organisations/<int:pk>/coordinators/",
            CoordinatorsView.as_view(),
            name="organisation_coordinators",
        )
    ]
