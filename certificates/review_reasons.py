"""Why a certificate needs review, as data and as words.

A review (certificates.models.CertificateReview) keeps its reasons as small
dicts with a `code`, so the dashboard, the listing, the Review page and the
history tell them in the reader's language, whenever they read them. The
services build them with the functions below and `reason_text` tells them;
nothing here touches the database.

Codes:
- outcome_dropped: the enrolment's outcome fell below what the certificate's
  kind needs (old and new outcome; attendance and assessments when known);
- outcome_restored: it rose again while the review stayed open for another
  reason;
- name_changed: the trainee's name no longer matches the printed one;
- run_reopened: the run was reopened after closing (with the given note).
"""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

OUTCOME_DROPPED = "outcome_dropped"
OUTCOME_RESTORED = "outcome_restored"
NAME_CHANGED = "name_changed"
RUN_REOPENED = "run_reopened"
# Reasons the services can check again on their own: when the record matches
# the certificate once more, the review closes as "record restored". A
# reopened run cannot be judged by a rule, so a person always decides it.
CHECKABLE = {OUTCOME_DROPPED, OUTCOME_RESTORED, NAME_CHANGED}


def outcome_dropped(*, old: str, new: str, attendance=None, standing=None) -> dict:
    """`attendance` an AttendanceSummary and `standing` a Standing of
    enrolments/rules, when the caller has them."""
    reason = {"code": OUTCOME_DROPPED, "old": old, "new": new}
    if attendance is not None and attendance.final_percent is not None:
        reason["attendance_percent"] = str(attendance.final_percent)
        reason["threshold_percent"] = attendance.threshold_percent
    if standing is not None and standing.assessments_required:
        reason["assessments_passed"] = standing.assessments_passed
        reason["assessments_required"] = standing.assessments_required
    return reason


def outcome_restored(*, old: str, new: str) -> dict:
    return {"code": OUTCOME_RESTORED, "old": old, "new": new}


def name_changed(*, printed: str, new: str) -> dict:
    return {"code": NAME_CHANGED, "printed": printed, "new": new}


def run_reopened(*, note: str) -> dict:
    return {"code": RUN_REOPENED, "note": note}


def same_reason(a: dict, b: dict) -> bool:
    """Equal but for when each was noted: a repeated event adds nothing."""
    return {k: v for k, v in a.items() if k != "at"} == {
        k: v for k, v in b.items() if k != "at"
    }


def outcome_label(outcome: str) -> str:
    labels = {
        "none": _("no certificate"),
        "attendance": _("attendance"),
        "completion": _("completion"),
    }
    return labels.get(outcome, outcome)


def reason_text(reason: dict) -> str:
    """One reason as a sentence in the active language."""
    code = reason.get("code")
    if code == OUTCOME_DROPPED:
        text = _("Outcome fell from %(old)s to %(new)s.") % {
            "old": outcome_label(reason.get("old", "")),
            "new": outcome_label(reason.get("new", "")),
        }
        if "attendance_percent" in reason:
            text += " " + _("Attendance %(percent)s%% (%(threshold)s%% needed).") % {
                "percent": number_format(Decimal(reason["attendance_percent"])),
                "threshold": reason.get("threshold_percent", ""),
            }
        if "assessments_required" in reason:
            text += " " + _("Assessments passed: %(passed)s of %(required)s.") % {
                "passed": reason.get("assessments_passed", 0),
                "required": reason["assessments_required"],
            }
        return text
    if code == OUTCOME_RESTORED:
        return _("Outcome rose again from %(old)s to %(new)s.") % {
            "old": outcome_label(reason.get("old", "")),
            "new": outcome_label(reason.get("new", "")),
        }
    if code == NAME_CHANGED:
        return _(
            "The trainee's name is now “%(new)s”; the certificate prints "
            "“%(printed)s”."
        ) % {"new": reason.get("new", ""), "printed": reason.get("printed", "")}
    if code == RUN_REOPENED:
        note = reason.get("note", "")
        if note:
            return _("The run was reopened: %(note)s") % {"note": note}
        return _("The run was reopened.")
    return str(code)


def reasons_text(reasons: list[dict]) -> str:
    """Every reason, one sentence after another: what a revocation prefills."""
    return " ".join(reason_text(reason) for reason in reasons)
