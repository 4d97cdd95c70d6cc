"""What a trainee has earned: the completion rules, in one place.

- Attendance is met when the attendance rate over all the run's counted
  meetings (enrolments/rules/attendance.py; future ones count as not attended)
  reaches the course threshold. Self-paced courses have no meetings: met.
- Modules are done when every required, published module has a ModuleProgress.
- Assessments are passed when every required quiz of those modules has a
  passed attempt and every required assignment a passed submission.

Outcome: "completion" when all three hold; "attendance" when attendance is met
in a course with meetings; otherwise "none". A meeting counts only once it has
started, so an outcome changes when:
- a register is saved (every trainee of the run is recomputed, changed mark or
  not, so a register saved before its meeting started counts once saved again);
- a check-in, a module done, a quiz passed or a grade is recorded;
- a meeting's start passes: the sweep (services/outcome_sweep.py, a beat task
  every few minutes) recomputes the runs whose meetings started since they were
  last counted;
- the run closes (services/closing.py): every enrolment, final over all meetings.
A change is announced with enrolments.signals.outcome_changed after commit.

Self-paced enrolments (no run) finish here: when the outcome becomes
"completion" a confirmed enrolment becomes COMPLETED, with `finished_at`.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from courses.models import CoursePage, ModulePage
from enrolments.models import (
    AssignmentSubmission,
    Enrolment,
    ModuleProgress,
    QuizAttempt,
)
from enrolments.rules.attendance import AttendanceSummary, attendance_summaries
from enrolments.rules.reasons import final_reasons
from enrolments.signals import outcome_changed

NONE, ATTENDANCE, COMPLETION = "none", "attendance", "completion"


@dataclass(frozen=True)
class CourseRequirements:
    module_ids: frozenset[int]
    quiz_ids: frozenset[str]
    assignment_ids: frozenset[str]
    # Block id -> the quiz's or assignment's title, for the reasons.
    titles: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Standing:
    """Where an enrolment stands against each rule, for pages and the outcome."""

    attendance_met: bool
    modules_done: int
    modules_required: int
    assessments_passed: int
    assessments_required: int
    attendance: AttendanceSummary | None = None
    # Titles of the required quizzes and assignments not passed yet.
    assessments_missing: tuple[str, ...] = ()

    @property
    def progress_percent(self) -> int:
        total = self.modules_required + self.assessments_required
        if not total:
            return 0
        return round(100 * (self.modules_done + self.assessments_passed) / total)


def live_modules_by_course(courses) -> dict[int, list[ModulePage]]:
    """{course id: its published modules, in tree order} for these course
    pages, in one query (their paths are on them)."""
    return _live_modules({course.path: course.pk for course in courses})


def _live_modules(paths: dict[str, int]) -> dict[int, list[ModulePage]]:
    modules = defaultdict(list)
    if not paths:
        return modules
    children = Q()
    for path in paths:
        children |= Q(path__startswith=path, depth=len(path) // ModulePage.steplen + 1)
    for module in ModulePage.objects.live().filter(children).order_by("path"):
        modules[paths[module.path[: -ModulePage.steplen]]].append(module)
    return modules


def modules_done(enrolment_ids) -> dict[int, set[int]]:
    """{enrolment id: ids of the modules marked done}, in one query."""
    done = defaultdict(set)
    for enrolment_id, module_id in ModuleProgress.objects.filter(
        enrolment_id__in=list(enrolment_ids)
    ).values_list("enrolment_id", "module_id"):
        done[enrolment_id].add(module_id)
    return done


def course_requirements(
    course_ids, *, modules_by_course: dict[int, list[ModulePage]] | None = None
) -> dict[int, CourseRequirements]:
    """Required modules and assessments of each course, in two queries: the
    courses' tree paths, then their published modules (with bodies); none
    when the caller has `live_modules_by_course` of them already."""
    if modules_by_course is None:
        paths = dict(
            CoursePage.objects.filter(pk__in=list(course_ids)).values_list("path", "pk")
        )
        if not paths:
            return {}
        modules_by_course = _live_modules(paths)
    modules = modules_by_course
    result = {}
    for course_id in course_ids:
        required_modules, quizzes, assignments, titles = set(), set(), set(), []
        for module in modules.get(course_id, []):
            if module.is_required:
                required_modules.add(module.pk)
            for block in module.assessment_blocks():
                if block.value.get("required"):
                    kind = quizzes if block.block_type == "quiz" else assignments
                    kind.add(block.id)
                    titles.append((block.id, block.value.get("title") or ""))
        result[course_id] = CourseRequirements(
            frozenset(required_modules),
            frozenset(quizzes),
            frozenset(assignments),
            tuple(titles),
        )
    return result


def standings(
    enrolments: list[Enrolment],
    *,
    now=None,
    attendance: dict | None = None,
    modules_by_course: dict[int, list[ModulePage]] | None = None,
    done: dict[int, set[int]] | None = None,
) -> dict[int, Standing]:
    """Each enrolment's standing, in a number of queries that does not depend
    on how many enrolments are asked about. What the caller has read
    already is not read again (My learning shows it too): `attendance`,
    their summaries; `modules_by_course`, `live_modules_by_course` of their
    courses; `done`, `modules_done` of them."""
    if not enrolments:
        return {}
    ids = [e.pk for e in enrolments]
    requirements = course_requirements(
        {e.course_id for e in enrolments}, modules_by_course=modules_by_course
    )
    if attendance is None:
        attendance = attendance_summaries(enrolments, now=now)
    if done is None:
        done = modules_done(ids)
    passed = defaultdict(set)
    # Quiz and assignment block ids never collide (both are block UUIDs): one
    # query for both.
    quizzes = QuizAttempt.objects.filter(enrolment_id__in=ids, passed=True)
    assignments = AssignmentSubmission.objects.filter(
        enrolment_id__in=ids, passed=True
    ).order_by()
    for enrolment_id, block_id in (
        quizzes.order_by()
        .values_list("enrolment_id", "quiz_id")
        .union(assignments.values_list("enrolment_id", "assignment_id"), all=True)
    ):
        passed[enrolment_id].add(block_id)

    result = {}
    for enrolment in enrolments:
        needs = requirements.get(enrolment.course_id) or CourseRequirements(
            frozenset(), frozenset(), frozenset()
        )
        summary = attendance.get(enrolment.pk)
        if enrolment.run_id is None or summary is None or summary.total == 0:
            attendance_met = enrolment.run_id is None
        else:
            attendance_met = summary.final_percent >= summary.threshold_percent
        assessments = needs.quiz_ids | needs.assignment_ids
        missing = tuple(
            title
            for block_id, title in needs.titles
            if block_id not in passed[enrolment.pk]
        )
        result[enrolment.pk] = Standing(
            attendance_met=attendance_met,
            modules_done=len(needs.module_ids & done.get(enrolment.pk, set())),
            modules_required=len(needs.module_ids),
            assessments_passed=len(assessments & passed[enrolment.pk]),
            assessments_required=len(assessments),
            attendance=summary,
            assessments_missing=missing,
        )
    return result


def outcome_of(enrolment: Enrolment, standing: Standing) -> str:
    all_done = (
        standing.modules_done == standing.modules_required
        and standing.assessments_passed == standing.assessments_required
    )
    if standing.attendance_met and all_done:
        return COMPLETION
    if standing.attendance_met and enrolment.run_id is not None:
        return ATTENDANCE
    return NONE


def outcomes_recompute(*, enrolment_ids, now=None) -> dict[int, str]:
    """Recompute and store the outcome of these enrolments; announce changes
    after commit. A confirmed self-paced enrolment whose outcome becomes
    "completion" finishes as COMPLETED; its trainee is told once the change
    commits (enrolments/receivers.py, on outcome_changed). Returns
    {enrolment id: outcome} for the changed ones."""
    with transaction.atomic():
        enrolments = list(
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("course")
            .filter(pk__in=list(enrolment_ids))
        )
        current = standings(enrolments, now=now)
        changed, now = [], now or timezone.now()
        finished = []
        for enrolment in enrolments:
            new = outcome_of(enrolment, current[enrolment.pk])
            if new != enrolment.outcome:
                changed.append((enrolment, enrolment.outcome, new))
                enrolment.outcome, enrolment.outcome_changed_at = new, now
            if (
                enrolment.run_id is None
                and new == COMPLETION
                and enrolment.status == Enrolment.Status.CONFIRMED
            ):
                enrolment.status = Enrolment.Status.COMPLETED
                enrolment.finished_at = now
                enrolment.final_reasons = final_reasons(
                    standing=current[enrolment.pk], run_based=False
                )
                finished.append(enrolment)
        Enrolment.objects.bulk_update(
            [e for e, _, _ in changed], ["outcome", "outcome_changed_at"]
        )
        Enrolment.objects.bulk_update(
            finished, ["status", "finished_at", "final_reasons"]
        )
        for enrolment, old, new in changed:
            transaction.on_commit(
                lambda pk=enrolment.pk, old=old, new=new: outcome_changed.send(
                    sender=Enrolment, enrolment_id=pk, old=old, new=new
                )
            )
        return {enrolment.pk: new for enrolment, _, new in changed}


def outcome_recompute(*, enrolment: Enrolment) -> str:
    """One enrolment's outcome after recomputing (changed or not)."""
    outcomes_recompute(enrolment_ids=[enrolment.pk])
    return Enrolment.objects.values_list("outcome", flat=True).get(pk=enrolment.pk)
