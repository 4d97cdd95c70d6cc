"""What a bulk issue will do, shown on a run's Issue certificates page before
it starts (certificates/admin/issuing.py): how many certificates of each kind
on which templates, who already has theirs, who cannot get one and why, and
who does not qualify, with the reason in words from the completion rules'
standing (enrolments/rules/completion.py).

A read: nothing is written. Its queries do not depend on how many trainees the
run has: the rows, the templates, and the standings are each read at once.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certificates.models import CertificateTemplate, Kind
from certificates.selectors import (
    KIND_FOR_OUTCOME,
    enrolment_is_eligible,
    run_issue_rows,
)
from certificates.services.errors import CertificateError
from certificates.services.issuing import template_pick, templates_in_use
from courses.models import CourseRun
from enrolments.models import Enrolment
from enrolments.rules.attendance import attendance_summaries
from enrolments.rules.completion import standings
from enrolments.selectors import enrolments_held_for_evaluation


@dataclass
class KindPlan:
    kind: str
    count: int = 0
    # Template -> how many of the kind's new certificates it prints.
    templates: Counter = field(default_factory=Counter)

    @property
    def template_counts(self) -> list[tuple[CertificateTemplate, int]]:
        """The kind's templates, the most used first."""
        return self.templates.most_common()

    @property
    def label(self) -> str:
        if self.kind == Kind.COMPLETION:
            return ngettext(
                "%(count)s completion certificate",
                "%(count)s completion certificates",
                self.count,
            ) % {"count": self.count}
        return ngettext(
            "%(count)s attendance certificate",
            "%(count)s attendance certificates",
            self.count,
        ) % {"count": self.count}


@dataclass
class IssueSummary:
    kinds: list[KindPlan]
    already: list[Enrolment]  # hold a current certificate of the kind
    refused: list[tuple[Enrolment, str]]  # earned one, cannot get it now
    not_qualifying: list[tuple[Enrolment, str]]

    @property
    def to_issue(self) -> int:
        return sum(plan.count for plan in self.kinds)

    @property
    def headline(self) -> str:
        """ "12 completion certificates, 3 attendance certificates; 4 trainees
        do not qualify:" (the trainees are listed after it)."""
        parts = [plan.label for plan in self.kinds if plan.count]
        counts = ", ".join(parts) or _("No new certificates")
        if not self.not_qualifying:
            return counts + "."
        failing = ngettext(
            "%(count)s trainee does not qualify:",
            "%(count)s trainees do not qualify:",
            len(self.not_qualifying),
        ) % {"count": len(self.not_qualifying)}
        return f"{counts}; {failing}"


def issue_summary(
    *,
    run: CourseRun,
    enrolment_ids: list[int] | None,
    templates: dict[str, CertificateTemplate],
) -> IssueSummary:
    """What certificates_issue_for_run(run, enrolment_ids, templates) would do
    now: the same trainees, kinds and template choice."""
    rows = list(run_issue_rows(run=run).select_related("course"))
    picked = None if enrolment_ids is None else set(enrolment_ids)
    candidates = {kind: templates_in_use(kind=kind) for kind in Kind.values}
    plans = {kind: KindPlan(kind) for kind in (Kind.COMPLETION, Kind.ATTENDANCE)}
    already, refused, failing = [], [], []
    held = enrolments_held_for_evaluation(run=run)
    for enrolment in rows:
        if not enrolment_is_eligible(enrolment):
            failing.append(enrolment)
            continue
        if picked is not None and enrolment.pk not in picked:
            continue
        kind = KIND_FOR_OUTCOME[enrolment.outcome]
        if any(c.kind == kind for c in enrolment.current_certificates):
            already.append(enrolment)
            continue
        if enrolment.trainee.erased_at is not None:
            refused.append((enrolment, _("personal data erased")))
            continue
        if enrolment.pk in held:
            refused.append(
                (enrolment, _("the course evaluation, which comes first, not answered"))
            )
            continue
        try:
            template = templates.get(kind) or template_pick(
                candidates[kind],
                kind=kind,
                is_member=enrolment.is_member,
                language=enrolment.trainee.preferred_language,
            )
        except CertificateError as error:
            refused.append((enrolment, error.message))
            continue
        plans[kind].count += 1
        plans[kind].templates[template] += 1
    return IssueSummary(
        kinds=list(plans.values()),
        already=already,
        refused=refused,
        not_qualifying=list(zip(failing, reasons_not_qualifying(failing), strict=True)),
    )


def _percent(value) -> str:
    """62.5 as "62.5", 50.0 as "50", in the reader's number format."""
    return number_format(value, decimal_pos=1 if value % 1 else 0)


def reasons_not_qualifying(enrolments: list[Enrolment]) -> list[str]:
    """Why each enrolment earned no certificate, in words from its standing:
    "attendance 62.5 % of 75 %", "2 of 3 assessments passed"."""
    standing_of = standings(enrolments)
    attendance = attendance_summaries(enrolments)
    reasons = []
    for enrolment in enrolments:
        standing = standing_of[enrolment.pk]
        summary = attendance.get(enrolment.pk)
        words = []
        if not standing.attendance_met:
            if summary is None or summary.total == 0:
                words.append(_("no meetings counted"))
            else:
                words.append(
                    _("attendance %(rate)s %% of %(threshold)s %%")
                    % {
                        "rate": _percent(summary.final_percent),
                        "threshold": summary.threshold_percent,
                    }
                )
        if standing.modules_done < standing.modules_required:
            words.append(
                ngettext(
                    "%(done)s of %(required)s required module done",
                    "%(done)s of %(required)s required modules done",
                    standing.modules_required,
                )
                % {
                    "done": standing.modules_done,
                    "required": standing.modules_required,
                }
            )
        if standing.assessments_passed < standing.assessments_required:
            words.append(
                ngettext(
                    "%(done)s of %(required)s assessment passed",
                    "%(done)s of %(required)s assessments passed",
                    standing.assessments_required,
                )
                % {
                    "done": standing.assessments_passed,
                    "required": standing.assessments_required,
                }
            )
        reasons.append("; ".join(words) or _("not yet granted by the completion rules"))
    return reasons
