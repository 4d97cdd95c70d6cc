"""Issuing a run's certificates in bulk and watching it happen.

- RunIssueView, /admin/certificates/runs/<run_id>/issue/ ("Issue
  certificates" on a run in Scheduling > Runs): the run's trainees with their
  outcome and current certificate; issue for the ones picked or for all
  eligible, on the template chosen for each kind (or each trainee's own).
  The first POST shows what will be issued (certificates/issue_summary.py:
  counts per kind and template, and who does not qualify and why); the
  confirmed one starts the batch. Each certificate is rendered by a worker
  after the request.
- BatchView, /admin/certificates/batches/<id>/, where the issue page leads:
  done / failed / total and a progress bar, with the failed certificates,
  their reasons and a Retry button each. static/js/certificate-batch.js keeps
  it up to date without reloading, polling BatchProgressView
  (.../progress.json) every two seconds until the batch is finished.
"""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from certificates.admin import url_names
from certificates.admin.forms import IssueForm
from certificates.admin.mixins import CertificatesPageMixin
from certificates.admin.permissions import ISSUE, MANAGE
from certificates.issue_summary import issue_summary
from certificates.models import Certificate, CertificateBatch
from certificates.selectors import (
    batch_progress,
    enrolment_is_eligible,
    enrolments_eligible,
    run_issue_rows,
)
from certificates.services.errors import CertificateError
from certificates.services.issuing import certificates_issue_for_run
from courses.models import CourseRun


class RunIssueView(CertificatesPageMixin, FormView):
    permission_required = ISSUE
    template_name = "certificates/admin/run_issue.html"
    form_class = IssueForm

    @cached_property
    def run(self) -> CourseRun:
        runs = CourseRun.objects.select_related("course")
        return get_object_or_404(runs, pk=self.kwargs["run_id"])

    def get_page_title(self):
        return _("Issue certificates: %(run)s") % {"run": self.run}

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "eligible": enrolments_eligible(run=self.run),
        }

    def form_valid(self, form):
        if not form.confirmed():
            summary = issue_summary(
                run=self.run,
                enrolment_ids=form.enrolment_ids(),
                templates=form.templates(),
            )
            return self.render_to_response(
                self.get_context_data(form=form, summary=summary)
            )
        try:
            batch, problems = certificates_issue_for_run(
                run=self.run,
                by=self.request.user,
                enrolment_ids=form.enrolment_ids(),
                templates=form.templates(),
            )
        except CertificateError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        for problem in problems:
            messages.warning(self.request, problem)
        return redirect(url_names.name("batch"), pk=batch.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "summary" in kwargs:
            # The review step shows the summary, not the rows again.
            context.update(run=self.run, issue_url=self.request.path)
            return context
        rows = list(run_issue_rows(run=self.run))
        picked = {str(pk) for pk in self.request.POST.getlist("enrolments")}
        for enrolment in rows:
            enrolment.is_eligible = enrolment_is_eligible(enrolment)
            enrolment.is_picked = str(enrolment.pk) in picked
        form = context["form"]
        context.update(
            run=self.run,
            rows=rows,
            template_fields=[form["template_completion"], form["template_attendance"]],
            eligible_count=sum(row.is_eligible for row in rows),
            zip_url=reverse(url_names.name("run_zip"), args=[self.run.pk]),
            certificates_url=f"{self.listing_url}?run={self.run.pk}",
        )
        return context


# Failures listed on a batch's page (and polled): enough to see what went
# wrong; the Certificates listing, filtered, has every one.
FAILURES_SHOWN = 50


def failures(batch: CertificateBatch, *, can_retry: bool) -> list[dict]:
    """The batch's first failed certificates, with a retry URL for those who
    may retry."""
    failed = (
        batch.certificates.filter(status=Certificate.Status.FAILED)
        .only("pk", "serial", "full_name", "failure_reason")
        .order_by("serial")[:FAILURES_SHOWN]
    )
    return [
        {
            "serial": certificate.serial,
            "full_name": certificate.full_name,
            "reason": certificate.failure_reason,
            "retry_url": retry_url(certificate) if can_retry else "",
        }
        for certificate in failed
    ]


def retry_url(certificate: Certificate) -> str:
    return reverse(url_names.name("retry"), args=[certificate.pk])


class BatchMixin:
    permission_required = "view"

    @cached_property
    def batch(self) -> CertificateBatch:
        batches = CertificateBatch.objects.select_related("run__course")
        return get_object_or_404(batches, pk=self.kwargs["pk"])

    def progress(self) -> dict:
        return {
            **batch_progress(batch=self.batch),
            "failures": failures(
                self.batch, can_retry=self.user_has_permission(MANAGE)
            ),
        }


class BatchView(BatchMixin, CertificatesPageMixin, TemplateView):
    template_name = "certificates/admin/batch.html"

    def get_page_title(self):
        return _("Certificates for %(run)s") % {"run": self.batch.run}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        progress = self.progress()
        run_id = self.batch.run_id
        context.update(
            batch=self.batch,
            progress=progress,
            processed=progress["done"] + progress["failed"],
            progress_url=reverse(
                url_names.name("batch_progress"), args=[self.batch.pk]
            ),
            zip_url=reverse(url_names.name("run_zip"), args=[run_id]),
            certificates_url=f"{self.listing_url}?run={run_id}",
            failed_url=f"{self.listing_url}?run={run_id}&status=failed",
            can_retry=self.user_has_permission(MANAGE),
        )
        return context


class BatchProgressView(BatchMixin, PermissionCheckedMixin, View):
    """The batch's progress as JSON, for static/js/certificate-batch.js."""

    model = Certificate

    def get(self, request, *args, **kwargs):
        response = JsonResponse(self.progress())
        response["Cache-Control"] = "no-store"
        return response
