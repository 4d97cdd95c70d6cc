"""Deciding a certificate flagged for review (certificates/services/review.py).

- ReviewView, /admin/certificates/<pk>/review/ (from the dashboard's queue,
  the listing's "Review" row action and the certificate's inspect page): what
  changed since issue, and the three decisions: "Reissue corrected" (one
  click: the trainee's current name and the kind the outcome earns now, posted
  to the Reissue page), "Revoke…" (the Revoke page with the reason
  prefilled from the review) and "Keep as issued" (with a note).
- CertificateInspectView: the certificate's page shows its review, open or
  decided, and a "Review" button while one is open.

Only academy admins decide (certificates/access.py); instructors are refused
even with certificate permissions given by hand.
"""

import datetime as dt
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.widgets.button import HeaderButton

from certificates.access import may_review_certificates
from certificates.admin import url_names
from certificates.admin.buttons import download_url
from certificates.admin.forms import KeepForm
from certificates.admin.listing import ROW_ACTIONS
from certificates.admin.mixins import CertificatesPageMixin
from certificates.admin.permissions import MANAGE
from certificates.models import Certificate, CertificateReview, Kind
from certificates.review_reasons import reason_text
from certificates.selectors import kind_corrected, review_open, reviews_of
from certificates.services.errors import CertificateError
from certificates.services.review import certificate_review_close
from enrolments.audit import RecordInspectView

Status = Certificate.Status
Decision = CertificateReview.Decision


def review_url(certificate_id: int, next_url: str = "") -> str:
    url = reverse(url_names.name("review"), args=[certificate_id])
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _moment(value) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""


def reasons_for_display(review: CertificateReview) -> list[dict]:
    """Each reason in the reader's language, with when it was noted."""
    rows = []
    for reason in review.reasons:
        noted = reason.get("at")
        rows.append(
            {
                "text": reason_text(reason),
                "at": _moment(dt.datetime.fromisoformat(noted)) if noted else "",
            }
        )
    return rows


def review_summary(review: CertificateReview) -> str:
    """One line for the inspect page: open since when and why, or how it was
    decided, by whom and when."""
    reasons = " ".join(reason_text(reason) for reason in review.reasons)
    if review.is_open:
        return _("Needs review since %(since)s: %(reasons)s") % {
            "since": _moment(review.opened_at),
            "reasons": reasons,
        }
    decided = _("%(decision)s on %(when)s by %(who)s") % {
        "decision": review.get_decision_display(),
        "when": _moment(review.closed_at),
        "who": review.closed_by or _("the system"),
    }
    if review.note:
        decided = f"{decided}: {review.note}"
    return _("Reviewed (%(reasons)s) — %(decided)s") % {
        "reasons": reasons,
        "decided": decided,
    }


class ReviewView(CertificatesPageMixin, FormView):
    permission_required = MANAGE
    template_name = "certificates/admin/review.html"
    form_class = KeepForm

    def dispatch(self, request, *args, **kwargs):
        if not may_review_certificates(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def certificate(self) -> Certificate:
        queryset = Certificate.objects.select_related("enrolment__trainee")
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    @cached_property
    def review(self) -> CertificateReview | None:
        return review_open(certificate=self.certificate)

    def get_page_title(self):
        return _("Review %(serial)s") % {"serial": self.certificate.serial}

    def get(self, request, *args, **kwargs):
        if self.review is None:
            messages.info(
                request,
                _("%(serial)s has no open review.")
                % {"serial": self.certificate.serial},
            )
            return redirect(self.next_url)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            certificate_review_close(
                certificate=self.certificate,
                by=self.request.user,
                decision=Decision.KEPT,
                note=form.cleaned_data["note"],
            )
        except CertificateError as error:
            messages.error(self.request, error.message)
            return redirect(self.next_url)
        messages.success(
            self.request,
            _("%(serial)s stands as issued; its review is closed.")
            % {"serial": self.certificate.serial},
        )
        return redirect(self.next_url)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certificate = self.certificate
        is_issued = certificate.status == Status.ISSUED
        kind = kind_corrected(certificate) if is_issued else None
        next_query = urlencode({"next": self.next_url})
        context.update(
            certificate=certificate,
            review=self.review,
            reasons=reasons_for_display(self.review) if self.review else [],
            next_url=self.next_url,
            is_issued=is_issued,
            corrected_name=certificate.enrolment.trainee.full_name,
            corrected_kind=kind,
            corrected_kind_label=Kind(kind).label if kind else "",
            reissue_url=reverse(url_names.name("reissue"), args=[certificate.pk]),
            revoke_url=(
                reverse(url_names.name("revoke"), args=[certificate.pk])
                + f"?{next_query}"
            ),
        )
        return context


class CertificateInspectView(RecordInspectView):
    """A certificate's page, with its reviews and, while one is open and the
    user decides reviews, a "Review" button."""

    inspect_sections = [
        (
            _("Certificate"),
            ["serial", "status", "kind", "language", "template", "expires_at"],
        ),
        (
            _("What it says"),
            ["full_name", "course_title", "hours", "starts_on", "ends_on"],
        ),
        (
            _("Issued"),
            [
                "enrolment",
                "is_member",
                "batch",
                "created_at",
                "issued_at",
                "issued_by",
                "sha256",
            ],
        ),
        (
            _("Problems and changes"),
            [
                "failure_reason",
                "revoked_at",
                "revoked_by",
                "revocation_reason",
                "superseded_by",
            ],
        ),
    ]
    inspect_labels = {
        "is_member": _("Member template"),
        "created_at": _("Requested on"),
        "issued_at": _("Issued on"),
        "revoked_at": _("Revoked on"),
        "expires_at": _("Expires on"),
        "sha256": _("SHA-256 of the PDF"),
    }

    @cached_property
    def reviews(self) -> list[CertificateReview]:
        return list(reviews_of(certificate=self.object))

    def review_fields(self) -> list[dict]:
        return [
            {"label": _("Review"), "value": review_summary(review), "component": None}
            for review in self.reviews
        ]

    def get_fields_context(self):
        return super().get_fields_context() + self.review_fields()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.reviews:
            context["sections"].append((_("Reviews"), self.review_fields()))
        return context

    @cached_property
    def header_buttons(self):
        """What can be done with this certificate, as visible buttons (not in
        the "…" menu): review it while a review is open, retry, revoke or
        reissue it from the status each starts from, download its PDF."""
        certificate, user = self.object, self.request.user
        here = urlencode({"next": self.request.get_full_path()})
        buttons = []
        if self.reviews and self.reviews[0].is_open and may_review_certificates(user):
            buttons.append(
                HeaderButton(
                    gettext_lazy("Review"),
                    url=f"{review_url(certificate.pk)}?{here}",
                    icon_name="warning",
                    priority=10,
                )
            )
        if self.permission_policy.user_has_permission(user, MANAGE):
            for view, label, icon, from_status in ROW_ACTIONS:
                if certificate.status == from_status:
                    url = reverse(url_names.name(view), args=[certificate.pk])
                    buttons.append(
                        HeaderButton(
                            label, url=f"{url}?{here}", icon_name=icon, priority=20
                        )
                    )
        if url := download_url(certificate):
            buttons.append(
                HeaderButton(
                    gettext_lazy("Download PDF"),
                    url=url,
                    icon_name="download",
                    priority=30,
                )
            )
        return buttons
