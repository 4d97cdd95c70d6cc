"""Issuing a run's certificates in bulk and watching it happen.

- RunIssueView, /admin/certificates/runs/<run_id>/issue/ ("Issue
  certificates" on a run in Scheduling > Runs): the run's trainees with their
  outcome and current certificate; issue for the ones picked or for all
  eligible. Each certificate is rendered by a worker after the request.
- BatchView, /admin/certificates/batches/<id>/, where the issue page leads:
  done / failed / total and a progress bar, with the failed certificates,
  their reasons and a Retry button each. static/js/certificate-batch.js keeps
  it up to date without reloading, polling BatchProgressView
  (.../progress.json) every two seconds until the batch is finished.
"""

from django.db.models import Prefetch, Q
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
from certificates.models import Certificate, CertificateBatch
from certificates.selectors import CURRENT_STATUSES, batch_progress
from certificates.services.issuing import (
    KIND_FOR_OUTCOME,
    NOT_ELIGIBLE_STATUSES,
    certificates_issue_for_run,
)
from courses.models import CourseRun
from enrolments.models import Enrolment

EnrolmentStatus = Enrolment.Status
# Who appears on a run's issue page: those who took part, and anyone the
# completion rules gave an outcome.
TOOK_PART = (
    EnrolmentStatus.CONFIRMED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.NOT_COMPLETED,
)


def eligible_enrolments(run: CourseRun):
    """The run's enrolments that have earned a certificate."""
    return Enrolment.objects.filter(
        run=run, outcome__in=list(KIND_FOR_OUTCOME)
    ).exclude(status__in=NOT_ELIGIBLE_STATUSES)


def is_eligible(enrolment: Enrolment) -> bool:
    """The same test as eligible_enrolments, for one row in hand."""
    return (
        enrolment.outcome in KIND_FOR_OUTCOME
        and enrolment.status not in NOT_ELIGIBLE_STATUSES
    )


def run_trainees(run: CourseRun):
    """The issue page's rows: each enrolment with its trainee and current
    certificates (pending, issued or failed) in two queries."""
    current = Certificate.objects.filter(status__in=CURRENT_STATUSES).order_by("kind")
    return (
        Enrolment.objects.filter(run=run)
        .filter(Q(status__in=TOOK_PART) | Q(outcome__in=list(KIND_FOR_OUTCOME)))
        .exclude(status__in=NOT_ELIGIBLE_STATUSES)
        .select_related("trainee__user")
        .prefetch_related(
            Prefetch("certificates", queryset=current, to_attr="current_certificates")
        )
        .order_by("trainee__full_name", "pk")
    )


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
        return {**super().get_form_kwargs(), "eligible": eligible_enrolments(self.run)}

    def form_valid(self, form):
        batch, problems = certificates_issue_for_run(
            run=self.run, by=self.request.user, enrolment_ids=form.enrolment_ids()
        )
        for problem in problems:
            messages.warning(self.request, problem)
        return redirect(url_names.name("batch"), pk=batch.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(run_trainees(self.run))
        picked = {str(pk) for pk in self.request.POST.getlist("enrolments")}
        for enrolment in rows:
            enrolment.is_eligible = is_eligible(enrolment)
            enrolment.is_picked = str(enrolment.pk) in picked
        context.update(
            run=self.run,
            rows=rows,
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
