"""Course evaluations: opening a run's evaluation (the form frozen with its
translations), taking a trainee's answers, and the invitation and the one
reminder, queued by beat through the academy's outbox. When a trainee may
answer is decided by enrolments/rules/evaluations.py; what the answers say
is read by enrolments/reports/evaluations.py."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from academy_site.links import absolute_url
from academy_site.transliteration import to_script
from courses.locales import title_in
from courses.models import CoursePage, CourseRun, EvaluationForm
from enrolments.errors import EnrolmentError
from enrolments.models import (
    AttendanceRecord,
    Enrolment,
    Evaluation,
    EvaluationParticipation,
    EvaluationResponse,
    ModuleProgress,
)
from enrolments.notifications import trainee_email_queue
from enrolments.rules.evaluations import (
    ANSWERING_STATUSES,
    TOOK_PART_MARKS,
    EvaluationWindow,
    answers_clean,
    evaluation_window,
    took_part,
)
from enrolments.signals import evaluation_answered

# The one reminder goes this long after the invitation, or sooner when the
# window closes within CLOSING_SOON; never within a day of the invitation.
REMIND_AFTER = dt.timedelta(days=4)
CLOSING_SOON = dt.timedelta(days=2)
REMIND_NOT_BEFORE = dt.timedelta(days=1)
# Runs closed longer ago than the longest window (CoursePage.evaluation_days
# allows 90) have nothing left to invite to.
LONGEST_WINDOW = dt.timedelta(days=90)


class EvaluationRefused(EnrolmentError):
    message = _("This evaluation cannot be answered.")


# --- The form ------------------------------------------------------------------


def form_for_course(course: CoursePage) -> EvaluationForm | None:
    """The form `course` asks: its own, else the academy's default in the
    course's language; None when there is neither (no evaluation)."""
    if course.evaluation_form_id:
        return course.evaluation_form
    return EvaluationForm.objects.filter(
        is_default=True, locale_id=course.locale_id
    ).first()


def _question(child) -> dict:
    value = child.value
    question = {
        "id": child.id,
        "type": child.block_type,
        "prompt": value["prompt"],
        "required": bool(value.get("required")),
    }
    if child.block_type == "rating":
        question["low_label"] = value["low_label"]
        question["high_label"] = value["high_label"]
    elif child.block_type == "choice":
        question["multiple"] = bool(value.get("multiple"))
        question["options"] = [
            {"id": item.id, "text": item.value}
            for item in value["options"].bound_blocks
        ]
    return question


def _shape(questions: list[dict]) -> list:
    return [
        (q["id"], q["type"], tuple(o["id"] for o in q.get("options", ())))
        for q in questions
    ]


def form_snapshot(form: EvaluationForm) -> dict:
    """`form` and its translations as plain JSON (Evaluation.snapshot). A
    translation whose questions no longer match the original's (an editor
    added or removed one in it) is left out: its readers get the original."""
    versions = {}
    for version in EvaluationForm.objects.filter(
        translation_key=form.translation_key
    ).select_related("locale"):
        versions[version.locale.language_code] = {
            "title": version.title,
            "intro": version.intro,
            "questions": [_question(child) for child in version.questions],
        }
    original = form.locale.language_code
    shape = _shape(versions[original]["questions"])
    return {
        "original": original,
        "anonymous": form.anonymous,
        "versions": {
            language: version
            for language, version in versions.items()
            if _shape(version["questions"]) == shape
        },
    }


def _transliterated(version: dict, *, cyrillic: bool) -> dict:
    def convert(text):
        return to_script(text, cyrillic=cyrillic)

    questions = []
    for question in version["questions"]:
        question = dict(question, prompt=convert(question["prompt"]))
        for key in ("low_label", "high_label"):
            if key in question:
                question[key] = convert(question[key])
        if "options" in question:
            question["options"] = [
                dict(option, text=convert(option["text"]))
                for option in question["options"]
            ]
        questions.append(question)
    return {
        "title": convert(version["title"]),
        "intro": convert(version["intro"]),
        "questions": questions,
    }


def snapshot_version(snapshot: dict, language: str) -> dict:
    """The form as a reader of `language` sees it: its translation, else the
    other Serbian script's transliterated, else the original."""
    versions = snapshot["versions"]
    if language in versions:
        return versions[language]
    other = {"sr": "sr-latn", "sr-latn": "sr"}.get(language)
    if other in versions:
        return _transliterated(versions[other], cyrillic=language == "sr")
    return versions[snapshot["original"]]


# --- Opening -------------------------------------------------------------------


def evaluation_open(*, course: CoursePage, run: CourseRun | None) -> Evaluation | None:
    """The evaluation of `run` (or of self-paced `course`), opened now from
    the course's form if it was not yet; None when the course asks none.
    Two trainees opening it at once make one (the unique run, or course)."""
    lookup = {"run": run} if run else {"course": course, "run": None}
    evaluation = Evaluation.objects.filter(**lookup).first()
    if evaluation is not None:
        return evaluation
    form = form_for_course(course)
    if form is None:
        return None
    snapshot = form_snapshot(form)
    try:
        with transaction.atomic():
            return Evaluation.objects.create(
                course=course,
                run=run,
                form=form,
                anonymous=snapshot["anonymous"],
                snapshot=snapshot,
                opened_at=timezone.now(),
            )
    except IntegrityError:
        return Evaluation.objects.get(**lookup)


def window_of(enrolment: Enrolment) -> EvaluationWindow:
    run = enrolment.run
    meetings = list(run.meetings.all()) if run else []
    return evaluation_window(
        run=run, meetings=meetings, days=enrolment.course.evaluation_days
    )


def enrolment_took_part(enrolment: Enrolment) -> bool:
    has_meetings = bool(enrolment.run and enrolment.run.meetings.exists())
    return took_part(
        status=enrolment.status,
        has_meetings=has_meetings,
        attended=has_meetings
        and AttendanceRecord.objects.filter(
            enrolment=enrolment, status__in=TOOK_PART_MARKS
        ).exists(),
        modules_done=ModuleProgress.objects.filter(enrolment=enrolment).exists(),
    )


def answering_refusal(
    enrolment: Enrolment, *, now: dt.datetime | None = None
) -> str | None:
    """Why the trainee of `enrolment` cannot answer its evaluation now, in
    words, or None when they can (not counting an answer already given)."""
    now = now or timezone.now()
    if form_for_course(enrolment.course) is None and not _opened(enrolment):
        return gettext("This course has no evaluation.")
    if not enrolment_took_part(enrolment):
        return gettext(
            "The evaluation is for trainees who took part in the course: it "
            "opens to those who attended a meeting (or, online, completed a "
            "module)."
        )
    window = window_of(enrolment)
    if window.opens_at and now < window.opens_at:
        return gettext("The evaluation opens at the start of the last meeting.")
    if window.has_closed(now):
        return gettext("The evaluation of this course has closed.")
    return None


def _opened(enrolment: Enrolment) -> Evaluation | None:
    lookup = (
        {"run_id": enrolment.run_id}
        if enrolment.run_id
        else {"course_id": enrolment.course_id, "run": None}
    )
    return Evaluation.objects.filter(**lookup).first()


# --- Answering -----------------------------------------------------------------


def evaluation_submit(
    *, enrolment: Enrolment, raw: dict, language: str, now: dt.datetime | None = None
) -> EvaluationResponse:
    """Store the answers of `enrolment`'s trainee, `raw` by question id, once.
    Raises EvaluationRefused (not open, not for them, answered already) or
    rules.evaluations.AnswersInvalid (what to correct); stores nothing then."""
    now = now or timezone.now()
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("course", "run", "trainee")
            .get(pk=enrolment.pk)
        )
        refusal = answering_refusal(enrolment, now=now)
        if refusal:
            raise EvaluationRefused(refusal)
        evaluation = evaluation_open(course=enrolment.course, run=enrolment.run)
        participation, _created = EvaluationParticipation.objects.get_or_create(
            evaluation=evaluation, enrolment=enrolment
        )
        if participation.answered:
            raise EvaluationRefused(
                gettext("You have answered this evaluation already. Thank you!")
            )
        version = snapshot_version(evaluation.snapshot, language)
        answers = answers_clean(questions=version["questions"], raw=raw)
        response = EvaluationResponse.objects.create(
            evaluation=evaluation,
            trainee=None if evaluation.anonymous else enrolment.trainee,
            language=language,
            submitted_on=timezone.localdate(now),
            answers=answers,
        )
        participation.answered = True
        participation.save(update_fields=["answered"])
        evaluation_answered.send(sender=Evaluation, enrolment_id=enrolment.pk)
    return response


def evaluation_answered_by(enrolment: Enrolment) -> bool:
    return EvaluationParticipation.objects.filter(
        enrolment=enrolment, answered=True
    ).exists()


def evaluation_holds_certificate(enrolment: Enrolment) -> bool:
    """Whether the course keeps `enrolment`'s certificate back until its
    trainee answers the evaluation (CoursePage.evaluation_required)."""
    return (
        enrolment.course.evaluation_required
        and (form_for_course(enrolment.course) or _opened(enrolment)) is not None
        and not evaluation_answered_by(enrolment)
    )


def evaluations_unlink(*, trainee) -> int:
    """Erasure: named answers lose their author and the "has answered" rows
    go; the answers themselves stay in the results, as anonymous ones do.
    Returns how many named answers were unlinked."""
    unlinked = EvaluationResponse.objects.filter(trainee=trainee).update(trainee=None)
    EvaluationParticipation.objects.filter(enrolment__trainee=trainee).delete()
    return unlinked


# --- Invitations and the reminder ------------------------------------------------


def _invitable(now: dt.datetime) -> list[Enrolment]:
    """Enrolments whose evaluation is open now, who took part and were not
    invited yet: runs by their window, self-paced courses once the trainee
    has earned the outcome (finished), as there is no last meeting."""
    attended = AttendanceRecord.objects.filter(
        enrolment=OuterRef("pk"), status__in=TOOK_PART_MARKS
    )
    studied = ModuleProgress.objects.filter(enrolment=OuterRef("pk"))
    invited = EvaluationParticipation.objects.filter(
        enrolment=OuterRef("pk"), invited_at__isnull=False
    )
    candidates = (
        Enrolment.objects.filter(
            Q(run__isnull=True, outcome__in=("attendance", "completion"))
            | Q(
                run__starts_on__lte=timezone.localdate(now),
                run__closed_at__isnull=True,
            )
            | Q(run__closed_at__gte=now - LONGEST_WINDOW),
            status__in=ANSWERING_STATUSES,
            course__live=True,
            trainee__erased_at__isnull=True,
            trainee__user__is_active=True,
        )
        .annotate(
            attended=Exists(attended),
            studied=Exists(studied),
            invited=Exists(invited),
        )
        .filter(invited=False)
        .select_related("course", "run", "trainee__user")
        .prefetch_related("run__meetings")
    )
    chosen = []
    for enrolment in candidates:
        meetings = list(enrolment.run.meetings.all()) if enrolment.run else []
        window = evaluation_window(
            run=enrolment.run, meetings=meetings, days=enrolment.course.evaluation_days
        )
        if not window.is_open(now):
            continue
        if took_part(
            status=enrolment.status,
            has_meetings=bool(meetings),
            attended=enrolment.attended,
            modules_done=enrolment.studied,
        ):
            chosen.append(enrolment)
    return chosen


def evaluation_invitations_queue(*, now: dt.datetime | None = None) -> int:
    """Invite everyone whose evaluation is open and who has not been invited,
    and remind, once, those invited who have not answered. Returns how many
    e-mails were queued now. Safe to run again: the participation row and the
    outbox's key make each e-mail go once."""
    now = now or timezone.now()
    queued = 0
    evaluations = {}
    for enrolment in _invitable(now):
        key = enrolment.run_id or f"course-{enrolment.course_id}"
        if key not in evaluations:
            evaluations[key] = evaluation_open(
                course=enrolment.course, run=enrolment.run
            )
        evaluation = evaluations[key]
        if evaluation is None:
            continue
        with transaction.atomic():
            participation, _created = EvaluationParticipation.objects.get_or_create(
                evaluation=evaluation, enrolment=enrolment
            )
            if participation.invited_at or participation.answered:
                continue
            participation.invited_at = now
            participation.save(update_fields=["invited_at"])
            queued += _email_queue(enrolment, evaluation, reminder=False, now=now)
    for participation in EvaluationParticipation.objects.filter(
        answered=False,
        invited_at__isnull=False,
        invited_at__lte=now - REMIND_NOT_BEFORE,
        reminded_at__isnull=True,
        enrolment__trainee__erased_at__isnull=True,
        enrolment__status__in=ANSWERING_STATUSES,
    ).select_related(
        "evaluation", "enrolment__course", "enrolment__run", "enrolment__trainee__user"
    ):
        enrolment = participation.enrolment
        window = window_of(enrolment)
        if not window.is_open(now):
            continue
        closing_soon = window.closes_at and window.closes_at - now <= CLOSING_SOON
        if not closing_soon and now - participation.invited_at < REMIND_AFTER:
            continue
        with transaction.atomic():
            updated = EvaluationParticipation.objects.filter(
                pk=participation.pk, reminded_at__isnull=True, answered=False
            ).update(reminded_at=now)
            if updated:
                queued += _email_queue(
                    enrolment, participation.evaluation, reminder=True, now=now
                )
    return queued


def _email_queue(
    enrolment: Enrolment, evaluation: Evaluation, *, reminder: bool, now
) -> bool:
    def compose():
        language = translation.get_language()
        course_title = title_in(enrolment.course, language)
        window = window_of(enrolment)
        closes_at = timezone.localtime(window.closes_at) if window.closes_at else None
        version = snapshot_version(evaluation.snapshot, language)
        context = {
            "trainee": enrolment.trainee,
            "course_title": course_title,
            "run": enrolment.run,
            "reminder": reminder,
            "anonymous": evaluation.anonymous,
            "questions": len(version["questions"]),
            "closes_at": closes_at,
            "evaluation_url": absolute_url(
                reverse("learning:evaluation", args=[enrolment.pk])
            ),
            "holds_certificate": enrolment.course.evaluation_required,
        }
        values = {"course": course_title}
        if reminder:
            subject = gettext("A reminder: how was %(course)s?") % values
        else:
            subject = gettext("How was %(course)s? Tell us") % values
        if closes_at:
            context["closes_on"] = date_format(closes_at, "DATE_FORMAT")
        return subject, context

    return trainee_email_queue(
        trainee=enrolment.trainee,
        kind=f"enrolment.evaluation_{'reminder' if reminder else 'invitation'}",
        template="enrolments/email/evaluation",
        compose=compose,
        dedupe_key=(
            f"evaluation:{evaluation.pk}:{enrolment.pk}:"
            f"{'reminder' if reminder else 'invitation'}"
        ),
    )
