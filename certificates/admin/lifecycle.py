"""Retry, Revoke and Reissue of one certificate: the rows' actions in the
Certificates listing (and Retry on a batch's progress page). Each is a page
with a form (a confirmation, a reason, a corrected name) that POSTs to itself
and calls one service; a certificate in the wrong status is turned away with
the service's reason and nothing changes."""

from django import forms
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages

from certificates.admin.forms import ReissueForm, RevokeForm
from certificates.admin.mixins import CertificatesPageMixin
from certificates.admin.permissions import MANAGE
from certificates.models import Certificate
from certificates.review_reasons import reasons_text
from certificates.selectors import kind_corrected, review_open
from certificates.services.errors import CertificateError
from certificates.services.lifecycle import certificate_reissue, certificate_revoke
from certificates.services.rendering import certificate_retry

Status = Certificate.Status


class CertificateActionView(CertificatesPageMixin, FormView):
    """A subclass names its form, the status it starts from, its wording and
    `apply(form)`, which calls the service and returns the success message.
    Each wording is a whole translated sentence (`nothing_to_do` takes the
    serial and the status): Serbian cannot assemble them from parts."""

    permission_required = MANAGE
    template_name = "certificates/admin/certificate_action.html"
    form_class = forms.Form
    from_status = ""
    action_label = ""
    question = ""
    button_label = ""
    nothing_to_do = ""
    button_classname = "button"

    @cached_property
    def certificate(self) -> Certificate:
        queryset = Certificate.objects.select_related("enrolment__trainee")
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_page_title(self):
        return f"{self.action_label} {self.certificate.serial}"

    def get(self, request, *args, **kwargs):
        if self.certificate.status != self.from_status:
            return self.turn_away(
                self.nothing_to_do
                % {
                    "serial": self.certificate.serial,
                    "status": self.certificate.get_status_display().lower(),
                }
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
    action_label = gettext_lazy("Retry")
    question = gettext_lazy("Generate this certificate again? The reason it failed:")
    button_label = gettext_lazy("Yes, retry")
    nothing_to_do = gettext_lazy("%(serial)s is %(status)s: there is nothing to retry.")

    def apply(self, form):
        certificate_retry(certificate=self.certificate, by=self.request.user)
        return _("%(serial)s is being generated again.") % {
            "serial": self.certificate.serial
        }


class RevokeView(CertificateActionView):
    from_status = Status.ISSUED
    form_class = RevokeForm
    action_label = gettext_lazy("Revoke")
    question = gettext_lazy(
        "Revoke this certificate? Its verification page will say so from now "
        "on; the record and its file are kept."
    )
    button_label = gettext_lazy("Revoke the certificate")
    nothing_to_do = gettext_lazy(
        "%(serial)s is %(status)s: there is nothing to revoke."
    )
    button_classname = "button no"

    def get_initial(self):
        # From a review: what changed, as the reason to start from.
        review = review_open(certificate=self.certificate)
        if review is None:
            return {}
        return {"reason": reasons_text(review.reasons)}

    def apply(self, form):
        certificate_revoke(
            certificate=self.certificate,
            by=self.request.user,
            reason=form.cleaned_data["reason"],
        )
        return _("%(serial)s is revoked.") % {"serial": self.certificate.serial}


class ReissueView(CertificateActionView):
    from_status = Status.ISSUED
    form_class = ReissueForm
    action_label = gettext_lazy("Reissue")
    question = gettext_lazy(
        "Issue a new certificate (new serial, new file) that supersedes this "
        "one, for example with a corrected name."
    )
    button_label = gettext_lazy("Reissue")
    nothing_to_do = gettext_lazy(
        "%(serial)s is %(status)s: there is nothing to reissue."
    )

    def get_initial(self):
        return {
            "full_name": self.certificate.enrolment.trainee.full_name,
            "kind": kind_corrected(self.certificate) or self.certificate.kind,
        }

    def apply(self, form):
        new = certificate_reissue(
            certificate=self.certificate,
            by=self.request.user,
            full_name=form.cleaned_data["full_name"],
            kind=form.cleaned_data.get("kind") or None,
        )
        return _(
            "%(serial)s is superseded by %(new_serial)s, which is being generated."
        ) % {"serial": self.certificate.serial, "new_serial": new.serial}
