"""The gradebook of a run: confirmed trainees × the course's assessments, with
attempts, score and pass/fail: a quiz's best attempt, an assignment's latest
graded submission (only the latest can be graded, and a trainee hands in again
only after a failed grade, so the latest graded one decides). Built in a fixed
number of queries, whatever the number of trainees and assessments. Shown at
/teaching/runs/<id>/gradebook/ and exported as CSV and XLSX."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext

from courses.models import CourseRun, ModulePage
from enrolments.models import AssignmentSubmission, Enrolment, QuizAttempt

GRADEBOOK_STATUSES = (
    Enrolment.Status.CONFIRMED,
    Enrolment.Status.COMPLETED,
    Enrolment.Status.NOT_COMPLETED,
)


@dataclass(frozen=True)
class Assessment:
    id: str
    kind: str  # "quiz" or "assignment"
    title: str
    module_title: str
    required: bool


@dataclass
class Cell:
    attempts: int = 0
    best_percent: Decimal | None = None
    passed: bool | None = None
    awaiting_grade: bool = False
    submission_id: int | None = None  # an assignment's latest submission

    @property
    def label(self) -> str:
        if self.awaiting_grade:
            return gettext("to grade")
        if self.best_percent is None:
            return "—"
        if self.passed:
            return gettext("%(percent)s%% passed") % {"percent": self.best_percent}
        return gettext("%(percent)s%% failed") % {"percent": self.best_percent}


@dataclass
class Row:
    enrolment: Enrolment
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Gradebook:
    run: CourseRun
    assessments: list[Assessment]
    rows: list[Row]


def _percent(score, max_score) -> Decimal | None:
    if score is None or not max_score:
        return None
    return (Decimal(score) * 100 / Decimal(max_score)).quantize(Decimal("0.1"))


def gradebook_for_run(*, run: CourseRun) -> Gradebook:
    course = run.course
    modules = ModulePage.objects.live().child_of(course).order_by("path")
    assessments = [
        Assessment(
            id=block.id,
            kind=block.block_type,
            title=block.value["title"],
            module_title=module.title,
            required=bool(block.value.get("required")),
        )
        for module in modules
        for block in module.assessment_blocks()
    ]
    enrolments = list(
        Enrolment.objects.filter(run=run, status__in=GRADEBOOK_STATUSES)
        .select_related("trainee__user", "organisation")
        .order_by("trainee__full_name", "pk")
    )
    ids = [e.pk for e in enrolments]
    cells: dict[tuple[int, str], Cell] = defaultdict(Cell)
    for attempt in QuizAttempt.objects.filter(
        enrolment_id__in=ids, submitted_at__isnull=False
    ).only("enrolment_id", "quiz_id", "score", "max_score", "passed"):
        cell = cells[(attempt.enrolment_id, attempt.quiz_id)]
        cell.attempts += 1
        percent = _percent(attempt.score, attempt.max_score)
        if percent is not None and (
            cell.best_percent is None or percent > cell.best_percent
        ):
            cell.best_percent = percent
        cell.passed = bool(cell.passed or attempt.passed)
    submissions = (
        AssignmentSubmission.objects.filter(enrolment_id__in=ids)
        .only(
            "pk",
            "enrolment_id",
            "assignment_id",
            "attempt",
            "score",
            "max_points",
            "passed",
            "graded_at",
        )
        .order_by("enrolment_id", "assignment_id", "attempt")
    )
    for submission in submissions:
        # In attempt order: each later submission overrides the earlier ones.
        cell = cells[(submission.enrolment_id, submission.assignment_id)]
        cell.attempts += 1
        cell.submission_id = submission.pk
        cell.awaiting_grade = submission.graded_at is None
        if submission.graded_at is not None:
            cell.best_percent = _percent(submission.score, submission.max_points)
            cell.passed = submission.passed
    rows = [
        Row(enrolment=e, cells=[cells[(e.pk, a.id)] for a in assessments])
        for e in enrolments
    ]
    return Gradebook(run=run, assessments=assessments, rows=rows)
