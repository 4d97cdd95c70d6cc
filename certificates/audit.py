"""The audit trail of certificates: who issued, reissued, revoked a
certificate or retried its rendering, and when; and what the worker's check
decided about a template's uploaded background (passed, and whether that made
the template active, or refused with the reason).

Each entry is one row of Wagtail's audit log (ModelLogEntry) on the
certificate, written by certificates' services (certificates/services/) in
the transaction of the change, so a refused change leaves no entry. Read in
the admin under Reports > Site history and on each certificate's History
page (Certificates > Certificates, "History" on a certificate's inspect page).
The actions are registered by certificates/wagtail_hooks.py.

An issue made by the completion rules rather than a person (certificates/
receivers.py) is logged without a user: Wagtail shows it as "system".
"""

from django.utils.translation import gettext, gettext_lazy
from wagtail import hooks
from wagtail.log_actions import LogFormatter, log

from certificates.models import CertificateReview
from certificates.review_reasons import reason_text

ISSUE = "academy.certificate.issue"
REISSUE = "academy.certificate.reissue"
REVOKE = "academy.certificate.revoke"
RETRY = "academy.certificate.retry"
TEMPLATE_CHECKED = "academy.certificate_template.background_checked"
TEMPLATE_REFUSED = "academy.certificate_template.background_refused"
REVIEW = "academy.certificate.review"
REVIEW_CLOSE = "academy.certificate.review_close"


def _data(certificate) -> dict:
    return {
        "certificate_id": certificate.pk,
        "serial": certificate.serial,
        "enrolment_id": certificate.enrolment_id,
    }


def _subject(certificate) -> dict:
    # The certificate's own snapshots: no query, and the words the PDF says.
    return {
        "serial": certificate.serial,
        "kind": certificate.get_kind_display().lower(),
        "name": certificate.full_name,
        "course": certificate.course_title,
    }


def log_certificate_issued(*, certificate, by) -> None:
    log(
        certificate,
        ISSUE,
        user=by,
        title=gettext(
            "Issued %(kind)s certificate %(serial)s to %(name)s for %(course)s"
        )
        % _subject(certificate),
        data=_data(certificate),
    )


def log_certificate_reissued(*, old, new, by) -> None:
    """On the superseded certificate, naming the one that replaces it."""
    log(
        old,
        REISSUE,
        user=by,
        title=gettext(
            "Reissued certificate %(serial)s of %(name)s for %(course)s "
            "as %(new_serial)s"
        )
        % {**_subject(old), "new_serial": new.serial},
        data={
            **_data(old),
            "new_certificate_id": new.pk,
            "new_serial": new.serial,
            "new_full_name": new.full_name,
        },
    )


def log_certificate_revoked(*, certificate, by, reason: str) -> None:
    log(
        certificate,
        REVOKE,
        user=by,
        title=gettext("Revoked certificate %(serial)s of %(name)s for %(course)s")
        % _subject(certificate),
        data={**_data(certificate), "reason": reason},
    )


def log_certificate_retried(*, certificate, by, failure_reason: str) -> None:
    log(
        certificate,
        RETRY,
        user=by,
        title=gettext(
            "Retried generating certificate %(serial)s of %(name)s for %(course)s"
        )
        % _subject(certificate),
        data={**_data(certificate), "failure_reason": failure_reason[:500]},
    )


def log_template_background_checked(*, template, activated: bool) -> None:
    """On the template, by the worker (no user): its upload passed."""
    if activated:
        title = gettext("The background of “%(name)s” passed its check: active")
    else:
        title = gettext("The background of “%(name)s” passed its check")
    log(
        template,
        TEMPLATE_CHECKED,
        title=title % {"name": template.name},
        data={"template_id": template.pk, "activated": activated},
    )


def log_template_background_refused(*, template, reason: str) -> None:
    log(
        template,
        TEMPLATE_REFUSED,
        title=gettext("The background of “%(name)s” was refused")
        % {"name": template.name},
        data={"template_id": template.pk, "reason": reason[:300]},
    )


class TemplateCheckedFormatter(LogFormatter):
    label = gettext_lazy("Check certificate template background")

    def format_message(self, log_entry):
        if log_entry.data.get("activated"):
            return gettext("Background passed its check; the template is active")
        return gettext("Background passed its check")


class TemplateRefusedFormatter(LogFormatter):
    label = gettext_lazy("Refuse certificate template background")

    def format_message(self, log_entry):
        return gettext("Background refused: %(reason)s") % {
            "reason": log_entry.data.get("reason", "")
        }


class ReissueFormatter(LogFormatter):
    label = gettext_lazy("Reissue certificate")

    def format_message(self, log_entry):
        new_serial = log_entry.data.get("new_serial")
        if new_serial:
            return gettext("Certificate reissued as %(serial)s") % {
                "serial": new_serial
            }
        return gettext("Certificate reissued")


class RevokeFormatter(LogFormatter):
    label = gettext_lazy("Revoke certificate")

    def format_message(self, log_entry):
        reason = log_entry.data.get("reason")
        if reason:
            return gettext("Certificate revoked: %(reason)s") % {"reason": reason}
        return gettext("Certificate revoked")

    def format_comment(self, log_entry):
        return log_entry.data.get("reason", "")


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    actions.register_action(
        ISSUE, gettext_lazy("Issue certificate"), gettext_lazy("Certificate issued")
    )
    actions.register_action(REISSUE)(ReissueFormatter)
    actions.register_action(REVOKE)(RevokeFormatter)
    actions.register_action(
        RETRY,
        gettext_lazy("Retry certificate"),
        gettext_lazy("Certificate generation retried"),
    )
    actions.register_action(TEMPLATE_CHECKED)(TemplateCheckedFormatter)
    actions.register_action(TEMPLATE_REFUSED)(TemplateRefusedFormatter)


# --- Reviews: a certificate whose basis changed after issue ------------------


def log_certificate_flagged(*, certificate, reason: dict) -> None:
    """A review opened, or a new reason added to the open one. Always the
    system's doing: the record changed, nobody decided anything yet."""
    log(
        certificate,
        REVIEW,
        user=None,
        title=gettext("Certificate %(serial)s of %(name)s for %(course)s needs review")
        % _subject(certificate),
        data={**_data(certificate), "reason": reason},
    )


def log_certificate_review_closed(*, certificate, review, by) -> None:
    log(
        certificate,
        REVIEW_CLOSE,
        user=by,
        title=gettext("Review of certificate %(serial)s of %(name)s closed")
        % _subject(certificate),
        data={
            **_data(certificate),
            "review_id": review.pk,
            "decision": review.decision,
            "note": review.note,
        },
    )


class ReviewFormatter(LogFormatter):
    label = gettext_lazy("Needs review")

    def format_message(self, log_entry):
        reason = log_entry.data.get("reason") or {}
        return gettext("Flagged for review: %(reason)s") % {
            "reason": reason_text(reason)
        }


class ReviewCloseFormatter(LogFormatter):
    label = gettext_lazy("Review decided")

    def format_message(self, log_entry):
        decision = log_entry.data.get("decision", "")
        label = dict(CertificateReview.Decision.choices).get(decision, decision)
        return gettext("Review closed: %(decision)s") % {"decision": label}

    def format_comment(self, log_entry):
        return log_entry.data.get("note", "")


@hooks.register("register_log_actions")
def register_certificate_review_log_actions(actions):
    actions.register_action(REVIEW)(ReviewFormatter)
    actions.register_action(REVIEW_CLOSE)(ReviewCloseFormatter)
