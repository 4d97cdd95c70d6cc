"""Organisations, trainees, their enrolments, registers and learning
activity, all made through the enrolments services."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from academy_site.demo.enrolments import ENROLMENTS, WITHDRAWALS
from academy_site.demo.load.accounts import user_find_or_create
from academy_site.demo.load.state import DemoLoad
from academy_site.demo.organisations import ORGANISATIONS
from academy_site.demo.people import (
    CLAIMS_CONFIRMED_BY_OFFICE,
    COORDINATORS,
    TEACHING_INSTRUCTOR,
    TRAINEE_PASSWORD,
    TRAINEES,
)
from academy_site.roles import TRAINEE, grant_role
from courses.models import CoursePage, CourseRun, Meeting, ModulePage
from enrolments.access import STUDYING_STATUSES
from enrolments.models import (
    AssignmentSubmission,
    AttendanceRecord,
    Coordinator,
    Enrolment,
    MembershipClaim,
    MembershipPeriod,
    ModuleProgress,
    Organisation,
    OrganisationDomain,
    QuizAttempt,
    TraineeProfile,
)
from enrolments.selectors import join_links_active
from enrolments.services import (
    enrolment_approve,
    enrolment_cancel,
    enrolment_create,
    enrolment_reject,
)
from enrolments.services.assignments import (
    assignment_of,
    submission_grade,
    submission_submit,
)
from enrolments.services.attendance import (
    apology_send,
    register_enrolments,
    register_save,
)
from enrolments.services.membership import (
    coordinator_appoint,
    join_link_create,
    membership_claim,
    membership_confirm,
)
from enrolments.services.progress import module_mark_done
from enrolments.services.quizzes import quiz_attempt_start, quiz_attempt_submit
from enrolments.validators import validate_pib

# Local time of enrolments back-dated into a run's enrolment window.
ENROLLED_AT_TIME = dt.time(10, 0)
Status = Enrolment.Status


def organisations_load(demo: DemoLoad) -> None:
    """Organisations by PIB. Membership periods are added only to an
    organisation that has none: their dates follow the calendar year, and
    adding them again next year would stack overlapping periods."""
    for spec in ORGANISATIONS:
        validate_pib(spec["pib"])
        organisation = Organisation.objects.filter(pib=spec["pib"]).first()
        if organisation is None:
            organisation = Organisation(
                pib=spec["pib"],
                name=spec["name"],
                contact_name=spec["contact_name"],
                contact_email=spec["contact_email"],
                contact_phone=spec["contact_phone"],
                address=spec["address"],
            )
            organisation.full_clean()
            organisation.save()
            demo.created["organisation"] += 1
        if spec["membership"] and not organisation.membership_periods.exists():
            for period in spec["membership"]:
                membership = MembershipPeriod(
                    organisation=organisation,
                    starts_on=year_relative(demo, period["starts"]),
                    ends_on=(
                        year_relative(demo, period["ends"]) if period["ends"] else None
                    ),
                )
                membership.full_clean()
                membership.save()
                demo.created["membership period"] += 1
        for domain in spec["domains"]:
            if not OrganisationDomain.objects.filter(domain=domain).exists():
                entry = OrganisationDomain(organisation=organisation, domain=domain)
                entry.full_clean()
                entry.save()
                demo.created["verified domain"] += 1
        demo.organisations[spec["pib"]] = organisation


def year_relative(demo: DemoLoad, when: tuple[int, int, int]) -> dt.date:
    years, month, day = when
    return dt.date(demo.today.year + years, month, day)


def trainees_load(demo: DemoLoad) -> None:
    for spec in TRAINEES:
        user = user_find_or_create(
            demo,
            username=spec["email"],
            email=spec["email"],
            password=TRAINEE_PASSWORD,
            full_name=spec["full_name"],
            kind="trainee account",
        )
        grant_role(user=user, role=TRAINEE)
        profile = TraineeProfile.objects.filter(user=user).first()
        if profile is not None:
            demo.trainees[spec["email"]] = profile
            continue
        profile = TraineeProfile(
            user=user, full_name=spec["full_name"], preferred_language=spec["language"]
        )
        profile.full_clean()
        profile.save()
        demo.created["trainee profile"] += 1
        if spec["organisation"]:
            # Through the service, as sign-up does: confirmed at once on a
            # verified domain, else by the office below, else pending.
            claim = membership_claim(
                trainee=profile, organisation=demo.organisations[spec["organisation"]]
            )
            if (
                spec["email"] in CLAIMS_CONFIRMED_BY_OFFICE
                and claim.status == MembershipClaim.Status.PENDING
            ):
                membership_confirm(claim=claim, by=demo.office)
            profile.refresh_from_db()
        demo.trainees[spec["email"]] = profile


def coordinators_load(demo: DemoLoad) -> None:
    """Appointed by the office, as an academy admin would (idempotent)."""
    for email, pib in COORDINATORS:
        before = Coordinator.objects.count()
        coordinator_appoint(
            organisation=demo.organisations[pib],
            user=demo.trainees[email].user,
            by=demo.office,
        )
        demo.created["coordinator"] += Coordinator.objects.count() - before
        organisation = demo.organisations[pib]
        # A shared invitation link on each coordinator's page.
        if not join_links_active(organisation=organisation):
            join_link_create(organisation=organisation, by=demo.trainees[email].user)
            demo.created["invitation link"] += 1


def enrolments_load(demo: DemoLoad) -> None:
    """Enrol the demo trainees, in the order of ENROLMENTS.

    An enrolment of that trainee in that run (or self-paced course), in
    whatever status, is kept as it is: a trainee who cancelled in the demo
    stays cancelled. Only a new one is taken to the status the data asks
    for, through the same services a trainee and an admin use.
    """
    # Marks registers and grades; the admin stands in for an instructor
    # left without an account (it belonged to someone else).
    demo.teacher = demo.instructors[TEACHING_INSTRUCTOR].user or demo.admin
    for spec in ENROLMENTS:
        course = demo.courses[spec["course"]]
        run = (
            demo.runs[(spec["course"], spec["run"])]
            if spec["run"] is not None
            else None
        )
        trainee = demo.trainees[spec["trainee"]]
        enrolment = (
            Enrolment.objects.filter(trainee=trainee, course=course, run=run)
            .order_by("-created_at", "-pk")
            .first()
        )
        if enrolment is None:
            enrolment = enrolment_make(
                demo, trainee=trainee, course=course, run=run, spec=spec
            )
        if enrolment is not None:
            demo.enrolments.append((spec, enrolment))


def withdrawals_load(demo: DemoLoad) -> None:
    """The trainees of WITHDRAWALS cancel their confirmed place, as from My
    learning, so the seat is offered to the run's waitlist. A re-run finds
    them cancelled already and changes nothing."""
    for spec in WITHDRAWALS:
        enrolment = (
            Enrolment.objects.filter(
                trainee=demo.trainees[spec["trainee"]],
                run=demo.runs[(spec["course"], spec["run"])],
                status=Status.CONFIRMED,
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        if enrolment is not None:
            enrolment_cancel(enrolment=enrolment, on=demo.today)


def enrolment_make(
    demo: DemoLoad,
    *,
    trainee: TraineeProfile,
    course: CoursePage,
    run: CourseRun | None,
    spec: dict,
) -> Enrolment | None:
    """A new enrolment made by enrolment_create and taken to the status
    the data asks for, or None (noted) when an editor has unpublished the
    course or the run's enrolment window has not opened.

    enrolment_create refuses a run whose enrolment window has closed, as it
    must for a trainee. The demo's ended and running runs need trainees
    who enrolled in time, so for those the service is asked to apply its
    rules as of the window's last day (`on=`: the member price and the
    seats of that day), and the enrolment's timestamps, which the service
    sets to now, are then moved back to that day. Without that, attendance
    would ignore every meeting before the enrolment (enrolments/rules/
    attendance.py counts meetings from `seat_since`).
    """
    if not course.live:
        demo.skipped.append(
            f"{trainee}'s enrolment in {course.title}: the course is not live"
        )
        return None
    on = demo.today
    if run is not None and not run.is_open_for_enrolment(on):
        if on <= run.enrolment_closes:
            demo.skipped.append(
                f"{trainee}'s enrolment in {run}: enrolment has not opened"
            )
            return None
        on = run.enrolment_closes
    enrolment = enrolment_create(
        trainee=trainee, run=run, course=None if run else course, on=on
    )
    demo.created["enrolment"] += 1
    enrolment = enrolment_take_to_status(demo, enrolment, spec)
    if on != demo.today:
        enrolment_back_date(demo, enrolment, on)
    return enrolment


def enrolment_back_date(demo: DemoLoad, enrolment: Enrolment, on: dt.date) -> None:
    """Date the enrolment, its seat and any decision to `on` (see enrolment_make).
    A queryset update, because created_at is set on insert and no service
    changes these fields."""
    when = timezone.make_aware(dt.datetime.combine(on, ENROLLED_AT_TIME))
    changes = {"created_at": when}
    if enrolment.seat_since is not None:
        changes["seat_since"] = when
    if enrolment.decided_at is not None:
        changes["decided_at"] = when
    Enrolment.objects.filter(pk=enrolment.pk).update(**changes)
    for field, value in changes.items():
        setattr(enrolment, field, value)


def enrolment_take_to_status(
    demo: DemoLoad, enrolment: Enrolment, spec: dict
) -> Enrolment:
    """Approve, reject or cancel a new enrolment as the data says, the way
    the admin (approve, reject) and the trainee (cancel) would."""
    wanted = spec["status"]
    if wanted == Status.CONFIRMED and enrolment.status == Status.PENDING:
        enrolment = enrolment_approve(enrolment=enrolment, by=demo.admin)
    elif wanted == Status.REJECTED:
        enrolment = enrolment_reject(
            enrolment=enrolment, by=demo.admin, reason=spec["reason"]
        )
    elif wanted == Status.CANCELLED:
        enrolment = enrolment_cancel(enrolment=enrolment, on=demo.today)
    if enrolment.status != wanted:
        # A run that was already full, or whose capacity an editor changed:
        # the services decided otherwise, and the demo goes on with that.
        demo.skipped.append(
            f"{enrolment}: {enrolment.get_status_display().lower()}, "
            f"not {Status(wanted).label.lower()}"
        )
    return enrolment


def attendance_load(demo: DemoLoad) -> None:
    """Mark, through the instructor's register, every meeting held before
    today for the enrolments whose data gives an attendance pattern.

    Only marks that are missing are written, so a re-run on a later day
    adds the meetings held since and changes no mark anyone set. Meetings
    of today are left for the instructor, which also keeps two runs on one
    day identical.
    """
    patterns = defaultdict(dict)  # run id -> {enrolment id: pattern}
    for spec, enrolment in demo.enrolments:
        if enrolment.run_id and spec.get("attendance"):
            patterns[enrolment.run_id][enrolment.pk] = spec["attendance"]
    for run_id, by_enrolment in patterns.items():
        meetings = Meeting.objects.filter(run_id=run_id, date__lt=demo.today).order_by(
            "date", "start_time"
        )
        for number, meeting in enumerate(meetings):
            on_register = set(register_enrolments(meeting).values_list("pk", flat=True))
            marked = set(
                AttendanceRecord.objects.filter(meeting=meeting).values_list(
                    "enrolment_id", flat=True
                )
            )
            marks = {
                enrolment_id: pattern[number % len(pattern)]
                for enrolment_id, pattern in by_enrolment.items()
                if enrolment_id in on_register and enrolment_id not in marked
            }
            if marks:
                register_save(meeting=meeting, marks=marks, by=demo.teacher)
                demo.created["attendance mark"] += len(marks)


def apologies_load(demo: DemoLoad) -> None:
    """Tell the instructor, as the trainee would from My learning, that they
    cannot come to their run's next meeting after today, for the enrolments
    whose data gives an `apology` (a reason). Once: a meeting that has a
    record already is left alone."""
    for spec, enrolment in demo.enrolments:
        if not (enrolment.run_id and spec.get("apology")):
            continue
        if enrolment.status != Enrolment.Status.CONFIRMED:
            continue
        meeting = (
            Meeting.objects.filter(run_id=enrolment.run_id, date__gt=demo.today)
            .order_by("date", "start_time")
            .first()
        )
        if (
            meeting is None
            or AttendanceRecord.objects.filter(
                meeting=meeting, enrolment=enrolment
            ).exists()
        ):
            continue
        apology_send(
            enrolment_owner=enrolment.trainee, meeting=meeting, reason=spec["apology"]
        )
        demo.created["apology"] += 1


def learning_activity_load(demo: DemoLoad) -> None:
    """Modules done, quiz attempts, submissions and grades, each made once
    (looked up by enrolment and module or block id) and only while the
    enrolment lets the trainee study."""
    for spec, enrolment in demo.enrolments:
        if enrolment.status not in STUDYING_STATUSES:
            continue
        course = spec["course"]
        for slug in spec.get("modules_done", []):
            module_done_record(demo, enrolment, demo.modules[(course, slug)])
        for quiz in spec.get("quizzes", []):
            quiz_attempt_make(
                demo, enrolment, demo.modules[(course, quiz["module"])], quiz
            )
        for work in spec.get("submissions", []):
            work_hand_in(demo, enrolment, demo.modules[(course, work["module"])], work)


def module_done_record(
    demo: DemoLoad, enrolment: Enrolment, module: ModulePage
) -> None:
    if ModuleProgress.objects.filter(enrolment=enrolment, module=module).exists():
        return
    module_mark_done(enrolment=enrolment, module=module)
    demo.created["module done"] += 1


def quiz_attempt_make(
    demo: DemoLoad, enrolment: Enrolment, module: ModulePage, quiz: dict
):
    """One attempt, started and submitted at once, answering `correct`
    questions right (all when None) with the answers read from the quiz
    the attempt copied from the block."""
    quiz_id = quiz["quiz"]
    if enrolment.status != Status.CONFIRMED:
        return  # Only a confirmed trainee may start an attempt.
    if QuizAttempt.objects.filter(enrolment=enrolment, quiz_id=quiz_id).exists():
        return
    if module.assessment_block(quiz_id, "quiz") is None:
        demo.skipped.append(f'quiz {quiz_id}: not on "{module.title}"')
        return
    attempt = quiz_attempt_start(enrolment=enrolment, module=module, quiz_id=quiz_id)
    quiz_attempt_submit(
        attempt=attempt,
        answers=quiz_answers(attempt.questions, correct=quiz["correct"]),
    )
    demo.created["quiz attempt"] += 1


def work_hand_in(demo: DemoLoad, enrolment: Enrolment, module: ModulePage, work: dict):
    """Hand in the text as submission number `attempt` (1 unless given;
    unless handed in already), then grade it as the teaching instructor when
    the data gives a grade and nobody has yet. A later attempt is handed in
    after the earlier one was graded, as the submission rules require."""
    assignment_id = work["assignment"]
    submission = AssignmentSubmission.objects.filter(
        enrolment=enrolment,
        assignment_id=assignment_id,
        attempt=work.get("attempt", 1),
    ).first()
    if submission is None:
        assignment = assignment_of(module, assignment_id)
        if assignment is None or assignment.is_past_deadline():
            # The deadline is set when the block is added; a later run of
            # the demo does not move an editor's deadline to hand work in.
            demo.skipped.append(
                f"{enrolment.trainee}'s work for {assignment_id}: the "
                "assignment is missing or past its deadline"
            )
            return
        submission = submission_submit(
            enrolment=enrolment,
            module=module,
            assignment_id=assignment_id,
            text_html=work["text"],
        )
        demo.created["submission"] += 1
    grade = work.get("grade")
    if grade and submission.graded_at is None:
        submission_grade(
            submission=submission,
            by=demo.teacher,
            score=grade["score"],
            feedback_html=grade["feedback"],
        )
        demo.created["grade"] += 1


def quiz_answers(questions: list[dict], *, correct: int | None) -> dict:
    """Answers to a quiz snapshot (QuizAttempt.questions) in the form
    quiz_attempt_submit takes: the first `correct` questions right (all when
    None), the others wrong, the way a trainee who guessed would answer."""
    answers = {}
    for number, question in enumerate(questions):
        right = correct is None or number < correct
        if question["type"] in ("single_choice", "multiple_choice"):
            chosen = [o["id"] for o in question["options"] if o["correct"] == right]
            answers[question["id"]] = (
                chosen[0] if question["type"] == "single_choice" else chosen
            )
        elif question["type"] == "true_false":
            answers[question["id"]] = (
                question["answer"] if right else not question["answer"]
            )
        else:
            answer = Decimal(question["answer"])
            if not right:
                answer += Decimal(question["tolerance"]) + 1
            answers[question["id"]] = str(answer)
    return answers
