"""What trainees said of a run: the figures of its evaluation, for the run's
results page (/teaching/runs/<id>/evaluation/), its CSV, XLSX and PDF
summary, and the academy's comparison report.

- Response rate: answers over the trainees who could answer (who took part:
  enrolments/rules/evaluations.py).
- A rating question: the mean (1-5) and how many gave each point.
- A choice: how many ticked each option; for several options, the percent
  is of those who answered the question, so it may add up to more than 100.
- The net promoter score: percent of promoters (9-10) minus percent of
  detractors (0-6), from -100 to 100.
- Free text: every answer, in the rows' random order (EvaluationResponse's
  id is a random UUID), never by time.

A run with fewer than MIN_ANSWERS_SHOWN answers shows instructors only the
count: a breakdown of three answers, or one comment, points at a person.
Academy admins see everything, with that warning.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import fmean

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.formats import date_format
from django.utils.translation import gettext

from courses.blocks import NPS_SCALE, RATING_SCALE
from courses.models import Meeting
from enrolments.models import (
    AttendanceRecord,
    Enrolment,
    Evaluation,
    EvaluationResponse,
    ModuleProgress,
)
from enrolments.rules.evaluations import (
    ANSWERING_STATUSES,
    TOOK_PART_MARKS,
    answer_text,
)
from enrolments.services.evaluations import snapshot_version

MIN_ANSWERS_SHOWN = 5
PROMOTERS = range(9, 11)
DETRACTORS = range(0, 7)


@dataclass(frozen=True)
class Share:
    label: str
    count: int
    percent: float  # of those who answered the question
    bar: str  # the bar's width, 0-100, pre-formatted for SVG


@dataclass(frozen=True)
class QuestionResult:
    question: dict
    answered: int
    shares: list[Share] = field(default_factory=list)
    mean: float | None = None  # ratings
    nps: float | None = None  # the net-promoter question
    texts: list[str] = field(default_factory=list)  # free text

    @property
    def kind(self) -> str:
        return self.question["type"]


def _shares(counts: list[tuple[str, int]], answered: int) -> list[Share]:
    largest = max((count for _label, count in counts), default=0) or 1
    return [
        Share(
            label=label,
            count=count,
            percent=round(100 * count / answered, 1) if answered else 0.0,
            bar=f"{100 * count / largest:.1f}",
        )
        for label, count in counts
    ]


def response_rate(responses: int, took_part: int) -> float | None:
    """Answers as a percent of who could answer; None when nobody could."""
    return round(100 * responses / took_part, 1) if took_part else None


def nps_score(scores: list[int]) -> float | None:
    """Percent of promoters minus percent of detractors; None without scores."""
    if not scores:
        return None
    promoters = sum(1 for score in scores if score in PROMOTERS)
    detractors = sum(1 for score in scores if score in DETRACTORS)
    return round(100 * (promoters - detractors) / len(scores), 1)


def question_result(question: dict, answers: list[dict]) -> QuestionResult:
    """The figures of one question over `answers` (each {question id: value})."""
    values = [a[question["id"]] for a in answers if question["id"] in a]
    kind = question["type"]
    if kind == "rating":
        low, high = RATING_SCALE
        words = {low: question["low_label"], high: question["high_label"]}
        counts = [
            (
                f"{point} ({words[point]})" if point in words else str(point),
                values.count(point),
            )
            for point in range(low, high + 1)
        ]
        return QuestionResult(
            question,
            len(values),
            _shares(counts, len(values)),
            mean=round(fmean(values), 2) if values else None,
        )
    if kind == "nps":
        low, high = NPS_SCALE
        counts = [(str(point), values.count(point)) for point in range(low, high + 1)]
        return QuestionResult(
            question, len(values), _shares(counts, len(values)), nps=nps_score(values)
        )
    if kind == "choice":
        ticked = defaultdict(int)
        for value in values:
            for option_id in value if isinstance(value, list) else [value]:
                ticked[option_id] += 1
        counts = [(o["text"], ticked[o["id"]]) for o in question["options"]]
        return QuestionResult(question, len(values), _shares(counts, len(values)))
    return QuestionResult(question, len(values), texts=[str(v) for v in values])


@dataclass(frozen=True)
class RunResults:
    evaluation: Evaluation | None
    took_part: int
    responses: int
    questions: list[QuestionResult]
    title: str
    anonymous: bool

    @property
    def rate(self) -> float | None:
        return response_rate(self.responses, self.took_part)

    @property
    def too_few(self) -> bool:
        return self.responses < MIN_ANSWERS_SHOWN

    @property
    def nps(self) -> float | None:
        return next((q.nps for q in self.questions if q.kind == "nps"), None)

    @property
    def mean_rating(self) -> float | None:
        return mean_of_ratings(self.questions)


def mean_of_ratings(questions: list[QuestionResult]) -> float | None:
    """The mean of every rating given, over all rating questions."""
    total = sum(q.mean * q.answered for q in questions if q.mean is not None)
    count = sum(q.answered for q in questions if q.mean is not None)
    return round(total / count, 2) if count else None


def took_part_count(*, run) -> int:
    """How many of the run's trainees could answer its evaluation."""
    mark = Q(
        Exists(
            AttendanceRecord.objects.filter(
                enrolment=OuterRef("pk"), status__in=TOOK_PART_MARKS
            )
        )
    )
    if not run.meetings.exists():
        mark = Q(Exists(ModuleProgress.objects.filter(enrolment=OuterRef("pk"))))
    return (
        Enrolment.objects.filter(run=run, status__in=ANSWERING_STATUSES)
        .filter(mark)
        .count()
    )


def run_answers(evaluation: Evaluation) -> list[dict]:
    """Every response's answers, in the rows' random order."""
    return list(
        EvaluationResponse.objects.filter(evaluation=evaluation)
        .order_by("pk")
        .values_list("answers", flat=True)
    )


def run_results(*, run, language: str) -> RunResults:
    """The run's evaluation in figures, the questions as `language` reads
    them. Four queries, whatever the number of answers."""
    evaluation = Evaluation.objects.filter(run=run).first()
    took_part = took_part_count(run=run)
    if evaluation is None:
        return RunResults(None, took_part, 0, [], "", True)
    version = snapshot_version(evaluation.snapshot, language)
    answers = run_answers(evaluation)
    return RunResults(
        evaluation=evaluation,
        took_part=took_part,
        responses=len(answers),
        questions=[question_result(q, answers) for q in version["questions"]],
        title=version["title"],
        anonymous=evaluation.anonymous,
    )


def answer_rows(results: RunResults, answers: list[dict]) -> list[list]:
    """One row per response for the CSV and XLSX: a column per question, the
    answers in words (options by their text). No names, even for a named
    form: the export is of what was said."""
    questions = [q.question for q in results.questions]
    rows = [[q["prompt"] for q in questions]]
    for answer in answers:
        rows.append(
            [
                answer_text(q, answer[q["id"]]) if q["id"] in answer else ""
                for q in questions
            ]
        )
    return rows


# --- Comparing runs, courses and instructors (the academy's report) -----------

COMPARE_BY = ("run", "course", "instructor")


def _took_part_per_run(run_ids) -> dict[int, int]:
    attended = AttendanceRecord.objects.filter(
        enrolment=OuterRef("pk"), status__in=TOOK_PART_MARKS
    )
    studied = ModuleProgress.objects.filter(enrolment=OuterRef("pk"))
    has_meetings = Meeting.objects.filter(run=OuterRef("run_id"))
    return dict(
        Enrolment.objects.filter(run_id__in=run_ids, status__in=ANSWERING_STATUSES)
        .filter(Q(Exists(attended)) | (~Q(Exists(has_meetings)) & Q(Exists(studied))))
        .order_by()
        .values("run_id")
        .annotate(n=Count("pk"))
        .values_list("run_id", "n")
    )


def _scores(evaluation: Evaluation, answers: list[dict]) -> tuple[list, list]:
    """Every rating and every net-promoter score given in `answers`."""
    questions = evaluation.snapshot["versions"][evaluation.snapshot["original"]][
        "questions"
    ]
    ratings = [q["id"] for q in questions if q["type"] == "rating"]
    nps = [q["id"] for q in questions if q["type"] == "nps"]
    return (
        [a[q] for a in answers for q in ratings if q in a],
        [a[q] for a in answers for q in nps if q in a],
    )


def evaluations_compared(filters, *, by: str = "run") -> tuple[list[dict], dict]:
    """One row per run, course or instructor (a run taught by two counts for
    both) of the evaluations opened in the period: runs, trainees who took
    part, answers, response rate, mean rating, NPS. Four queries, whatever
    the number of runs and answers."""
    evaluations = filters.filter_period(
        Evaluation.objects.select_related("course", "run"), "opened_at"
    )
    if filters.course:
        evaluations = evaluations.filter(course=filters.course)
    evaluations = list(evaluations.prefetch_related("run__instructors"))
    answers = defaultdict(list)
    for evaluation_id, answer in EvaluationResponse.objects.filter(
        evaluation__in=evaluations
    ).values_list("evaluation_id", "answers"):
        answers[evaluation_id].append(answer)
    took_part = _took_part_per_run([e.run_id for e in evaluations if e.run_id])

    groups = defaultdict(
        lambda: {"runs": 0, "took_part": 0, "responses": 0, "ratings": [], "nps": []}
    )
    for evaluation in sorted(
        evaluations, key=lambda e: (e.course.title, e.run.starts_on if e.run else 0)
    ):
        run = evaluation.run
        if by == "course":
            keys = [evaluation.course.title]
        elif by == "instructor":
            keys = [i.full_name for i in run.instructors.all()] if run else []
            keys = keys or [gettext("No instructor named")]
        else:
            when = date_format(run.starts_on, "DATE_FORMAT") if run else ""
            keys = [
                f"{evaluation.course.title}, {when}" if run else evaluation.course.title
            ]
        ratings, nps = _scores(evaluation, answers[evaluation.pk])
        for key in keys:
            group = groups[key]
            group["runs"] += 1
            group["took_part"] += took_part.get(evaluation.run_id, 0)
            group["responses"] += len(answers[evaluation.pk])
            group["ratings"] += ratings
            group["nps"] += nps
    rows = [_compared_row(name, group) for name, group in groups.items()]
    if by == "instructor":
        rows.sort(key=lambda row: row["group_name"])
    everything = {
        "runs": len(evaluations),
        "took_part": sum(took_part.values()),
        "responses": sum(len(a) for a in answers.values()),
        "ratings": [],
        "nps": [],
    }
    for evaluation in evaluations:
        ratings, nps = _scores(evaluation, answers[evaluation.pk])
        everything["ratings"] += ratings
        everything["nps"] += nps
    return rows, _compared_row(gettext("Total"), everything)


def _compared_row(name: str, group: dict) -> dict:
    return {
        "group_name": name,
        "runs": group["runs"],
        "took_part": group["took_part"],
        "responses": group["responses"],
        "rate": response_rate(group["responses"], group["took_part"]),
        "mean_rating": (
            round(fmean(group["ratings"]), 2) if group["ratings"] else None
        ),
        "nps": nps_score(group["nps"]),
    }


# --- One course over its runs (instructors: the runs they teach) ---------------


@dataclass(frozen=True)
class RunRow:
    run: object
    took_part: int
    responses: int
    mean_rating: float | None
    nps: float | None

    @property
    def rate(self) -> float | None:
        return response_rate(self.responses, self.took_part)

    @property
    def too_few(self) -> bool:
        return self.responses < MIN_ANSWERS_SHOWN


@dataclass(frozen=True)
class CourseResults:
    rows: list[RunRow]  # newest run first
    responses: int
    questions: list[QuestionResult]  # every run's answers, pooled

    @property
    def too_few(self) -> bool:
        return self.responses < MIN_ANSWERS_SHOWN

    @property
    def mean_rating(self) -> float | None:
        return mean_of_ratings(self.questions)

    @property
    def nps(self) -> float | None:
        return next((q.nps for q in self.questions if q.kind == "nps"), None)


def course_results(*, runs, language: str, small_runs: bool) -> CourseResults:
    """The evaluations of `runs` (one course's) side by side, and their
    answers pooled question by question: a question is the same across runs
    when its id is (the same form, or a copy of it); the newest run's wording
    is shown. Runs under MIN_ANSWERS_SHOWN answers join the pool only when
    `small_runs` (the academy): otherwise the pool minus the other runs'
    figures would give away a small run's answers. Four queries, whatever the
    number of runs and answers."""
    evaluations = {
        e.run_id: e
        for e in Evaluation.objects.filter(run__in=runs).select_related("run")
    }
    answers = defaultdict(list)
    for evaluation_id, answer in (
        EvaluationResponse.objects.filter(evaluation__in=evaluations.values())
        .order_by("pk")
        .values_list("evaluation_id", "answers")
    ):
        answers[evaluation_id].append(answer)
    took_part = _took_part_per_run(list(evaluations))
    rows = []
    for evaluation in sorted(
        evaluations.values(), key=lambda e: e.run.starts_on, reverse=True
    ):
        version = snapshot_version(evaluation.snapshot, language)
        given = answers[evaluation.pk]
        figures = [question_result(q, given) for q in version["questions"]]
        rows.append(
            RunRow(
                run=evaluation.run,
                took_part=took_part.get(evaluation.run_id, 0),
                responses=len(given),
                mean_rating=mean_of_ratings(figures),
                nps=next((q.nps for q in figures if q.kind == "nps"), None),
            )
        )
    if not rows:
        return CourseResults([], 0, [])
    newest = evaluations[rows[0].run.pk]
    pooled = [
        answer
        for evaluation in evaluations.values()
        if small_runs or len(answers[evaluation.pk]) >= MIN_ANSWERS_SHOWN
        for answer in answers[evaluation.pk]
    ]
    questions = snapshot_version(newest.snapshot, language)["questions"]
    return CourseResults(
        rows=rows,
        responses=len(pooled),
        questions=[question_result(q, pooled) for q in questions],
    )
