"""Why an enrolment ended as it did: stored language-neutral, read in words.

The closing of a run (enrolments/services/closing.py) and the self-paced
completion (rules/completion.py) store `Enrolment.final_reasons` as a list of
small dicts, so the same facts read in each reader's language wherever they
are shown: My learning, the close summary, the outcome e-mail, the admin and
the reports. This module is the one place that turns them into words.

Codes:
- {"code": "attendance", "percent": "62.0" | None, "required": 75, "met": bool}
  (percent None: no meeting counted for the trainee);
- {"code": "modules", "done": 3, "required": 4} when a required module is not done;
- {"code": "assessment", "title": "Essay"} for each required quiz or assignment
  not passed;
- {"code": "run_closed"}: a request that never got a place ended with the run.
"""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

ATTENDANCE, MODULES, ASSESSMENT, RUN_CLOSED = (
    "attendance",
    "modules",
    "assessment",
    "run_closed",
)


def final_reasons(*, standing, run_based: bool) -> list[dict]:
    """The reasons behind a final status, from a completion-rules Standing:
    the attendance figure for runs (met or not), and every requirement still
    missing. A completed self-paced enrolment has none (all was met)."""
    reasons = []
    summary = standing.attendance
    if run_based and summary is not None:
        percent = summary.final_percent
        reasons.append(
            {
                "code": ATTENDANCE,
                "percent": None if percent is None else str(percent),
                "required": summary.threshold_percent,
                "met": standing.attendance_met,
            }
        )
    if standing.modules_done < standing.modules_required:
        reasons.append(
            {
                "code": MODULES,
                "done": standing.modules_done,
                "required": standing.modules_required,
            }
        )
    for title in standing.assessments_missing:
        reasons.append({"code": ASSESSMENT, "title": title})
    return reasons


def _percent(value) -> str:
    return number_format(Decimal(value).normalize(), decimal_pos=None)


def reason_text(reason: dict) -> str:
    """One reason in words, in the active language."""
    code = reason.get("code")
    if code == ATTENDANCE:
        if reason.get("percent") is None:
            return gettext("no meeting was held while you had a place")
        values = {
            "percent": _percent(reason["percent"]),
            "required": reason["required"],
        }
        if reason.get("met"):
            return gettext("attendance %(percent)s %% (%(required)s %% required)") % (
                values
            )
        return gettext("attendance %(percent)s %% of %(required)s %% required") % (
            values
        )
    if code == MODULES:
        return ngettext(
            "%(done)s of %(required)s required module done",
            "%(done)s of %(required)s required modules done",
            reason["required"],
        ) % {"done": reason["done"], "required": reason["required"]}
    if code == ASSESSMENT:
        return gettext("%(title)s not passed") % {"title": reason["title"]}
    if code == RUN_CLOSED:
        return gettext("the run closed before your request got a place")
    return str(code)


def reasons_text(reasons: list[dict] | None) -> str:
    """All reasons as one line ("attendance 62 % of 75 % required; Essay not
    passed"); empty when there are none."""
    return "; ".join(reason_text(reason) for reason in reasons or [])
