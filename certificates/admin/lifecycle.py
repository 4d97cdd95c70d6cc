"""Retry, Revoke and Reissue of one certificate: the rows' actions in the
Certificates listing (and Retry on a batch's progress page). Each is a page
with a form (a confirmation, a reason, a corrected name) that POSTs to itself
and calls one service; a certificate in the wrong status is turned away with
the service's reason and nothing changes."""

from django import forms
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin import messages

from certificates.admin.forms import ReissueForm, RevokeForm
from certificates.admin.mixins import CertificatesPageMixin
from certificates.admin.permissions import MANAGE
from certificates.models import Certificate
from certificates.services import (
    CertificateError,
    certificate_reissue,
    certificate_retry,
    certificate_revoke,
)

Status = Certificate.Status


class CertificateActionView(CertificatesPageMixin, FormView):
    """A subclass names its form, the status it starts from, its wording and
    `apply(form)`, which calls the service and returns the success message."""

    permission_required = MANAGE
    template_name = "certificates/admin/certificate_action.html"
    form_class = forms.Form
    from_status = ""
    action_label = ""
    question = ""
    button_label = ""
    button_classname = "button"

    @cached_property
    def certificate(self) -> Certificate:
        queryset = Certificate.objects.select_related("enrolment__trainee")
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_page_title(self):
        return f"{self.action_label} {self.certificate.serial}"

    def get(self, request, *args, **kwargs):
        if self.certificate.status != self.from_status:
            status = self.certificate.get_status_display().lower()
            return self.turn_away(
                f"{self.certificate.serial} is {status}: there is nothing to "
                f"{self.action_label.lower()}."
            )
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            message = self.apply(form)
        except CertificateError as error:
            return self.turn_away(error.message)
        messages.success(self.request, message)
        return redirect(self.next_url)

    def turn_away(self, reason: str):
        messages.error(self.request, reason)
        return redirect(self.next_url)

    def apply(self, form) -> str:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(certificate=self.certificate, next_url=self.next_url)
        return context


class RetryView(CertificateActionView):
    from_status = Status.FAILED
    action_label = "Retry"
    question = "Generate this certificate again? The reason it failed:"
    button_label = "Yes, retry"

    def apply(self, form):
        certificate_retry(certificate=self.certificate, by=self.request.user)
        return f"{self.certificate.serial} is being generated again."


class RevokeView(CertificateActionView):
    from_status = Status.ISSUED
    form_class = RevokeForm
    action_label = "Revoke"
    question = (
        "Revoke this certificate? Its verification page will say so from now "
        "on; the record and its file are kept."
    )
    button_label = "Revoke the certificate"
    button_classname = "button no"

    def apply(self, form):
        certificate_revoke(
            certificate=self.certificate,
            by=self.request.user,
            reason=form.cleaned_data["reason"],
        )
        return f"{self.certificate.serial} is revoked."


class ReissueView(CertificateActionView):
    from_status = Status.ISSUED
    form_class = ReissueForm
    action_label = "Reissue"
    question = (
        "Issue a new certificate (new serial, new file) that supersedes this "
        "one, for example with a corrected name."
    )
    button_label = "Reissue"

    def get_initial(self):
        return {"full_name": self.certificate.enrolment.trainee.full_name}

    def apply(self, form):
        new = certificate_reissue(
            certificate=self.certificate,
            by=self.request.user,
            full_name=form.cleaned_data["full_name"],
        )
        return (
            f"{self.certificate.serial} is superseded by {new.serial}, which is "
            "being generated."
        )
