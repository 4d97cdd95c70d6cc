"""Assignments: a trainee hands in work, an instructor grades it, the trainee
is told by e-mail; after a failed grade the trainee may hand in again while the
assignment's submissions allowed remain (enrolments/rules/submissions.py).
Every submission is kept as its own numbered row.

Text is sanitised (enrolments/sanitize.py) before it is stored and files are
checked by content (enrolments/uploads.py) before they reach storage, so
nothing unchecked is ever kept. Files live in the default storage under an
unguessable name and are served only by a view that checks permission.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from academy_site.links import absolute_url
from courses.models import ModulePage
from enrolments import audit
from enrolments.access import STUDYING_STATUSES
from enrolments.errors import EnrolmentError
from enrolments.models import AssignmentSubmission, Enrolment
from enrolments.notifications import trainee_email_queue
from enrolments.rules.completion import outcome_recompute
from enrolments.rules.submissions import Allowance, submission_allowance
from enrolments.sanitize import html_to_text, safe_markup, sanitize_user_input
from enrolments.services.closing import run_closed_message, run_lock
from enrolments.uploads import upload_check


class SubmissionRefused(EnrolmentError):
    message = _("This work cannot be handed in.")


class GradeRefused(EnrolmentError):
    message = _("This grade cannot be saved.")


@dataclass(frozen=True)
class Assignment:
    """An assignment block's settings, read from the module's StreamField."""

    id: str
    title: str
    instructions: object
    deadline: datetime | None
    max_points: Decimal
    accepts: str
    required: bool
    submissions_allowed: int | None = None  # None: until passed
    # Kinds of file taken (courses.blocks.SUBMISSION_FILE_KINDS); empty: the
    # defaults.
    file_kinds: tuple[str, ...] = ()

    @property
    def accepts_text(self) -> bool:
        return self.accepts in ("both", "text")

    @property
    def accepts_file(self) -> bool:
        return self.accepts in ("both", "file")

    def is_past_deadline(self, now: datetime | None = None) -> bool:
        return self.deadline is not None and (now or timezone.now()) > self.deadline


def assignment_of(module: ModulePage, assignment_id: str) -> Assignment | None:
    """The module's assignment block with this id, or None."""
    block = module.assessment_block(assignment_id, "assignment")
    if block is None:
        return None
    value = block.value
    deadline = value.get("deadline")
    if deadline is not None and timezone.is_naive(deadline):
        deadline = timezone.make_aware(deadline)
    return Assignment(
        id=block.id,
        title=value.get("title") or gettext("Assignment"),
        instructions=value.get("instructions"),
        deadline=deadline,
        max_points=Decimal(value.get("max_points") or 0),
        accepts=value.get("accepts") or "both",
        required=bool(value.get("required")),
        submissions_allowed=value.get("submissions_allowed") or None,
        file_kinds=tuple(value.get("file_kinds") or ()),
    )


def deadline_text(deadline: datetime) -> str:
    return date_format(timezone.localtime(deadline), "j M Y, H:i")


def submission_submit(
    *,
    enrolment: Enrolment,
    module: ModulePage,
    assignment_id: str,
    text_html: str = "",
    upload=None,
    now: datetime | None = None,
) -> AssignmentSubmission:
    """Hand in the trainee's work: replace the submission that waits for a
    grade, or after a failed grade start the next one while submissions remain.

    Replacing: the text replaces the stored text; a new file replaces the
    stored one, and without a new file the stored one is kept. The replaced
    file is deleted from storage only after the transaction commits, so a
    failure never leaves a submission pointing at a deleted file. A new
    submission starts empty: earlier ones are kept as they were graded.
    """
    now = now or timezone.now()
    assignment = submission_assignment(
        enrolment=enrolment, module=module, assignment_id=assignment_id
    )
    if assignment.is_past_deadline(now):
        raise SubmissionRefused(
            gettext("The deadline was %(deadline)s; work can no longer be handed in.")
            % {"deadline": deadline_text(assignment.deadline)}
        )
    text_html = sanitize_user_input(text_html)
    if text_html and not assignment.accepts_text:
        raise SubmissionRefused(gettext("This assignment takes a file only, not text."))
    if upload is not None and not assignment.accepts_file:
        raise SubmissionRefused(gettext("This assignment takes text only, not a file."))
    checked = (
        upload_check(upload, kinds=assignment.file_kinds)
        if upload is not None
        else None
    )
    # Work handed in on a translated module belongs to the original one.
    module = module.original

    with transaction.atomic():
        # The enrolment's row lock makes two tabs handing in at once take turns.
        # Grading takes the same lock, so a grade and a hand-in never cross.
        Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        allowance = submission_allowance_of(enrolment=enrolment, assignment=assignment)
        if not allowance.may_submit:
            raise SubmissionRefused(allowance.refusal)
        submission = None
        if allowance.replaces:
            submission = AssignmentSubmission.objects.get(
                enrolment=enrolment,
                assignment_id=assignment.id,
                attempt=allowance.number,
            )
        if not text_html and checked is None and not (submission and submission.file):
            raise SubmissionRefused(gettext("Write an answer or attach a file."))
        if submission is None:
            submission = AssignmentSubmission(
                enrolment=enrolment,
                module=module,
                assignment_id=assignment.id,
                attempt=allowance.number,
            )
        old_file = submission.file.name if checked is not None else ""
        submission.module = module
        submission.text_html = text_html
        submission.submitted_at = now
        submission.max_points = assignment.max_points
        if checked is not None:
            submission_store_file(submission, upload=upload, checked=checked)
        try:
            submission.save()
        except Exception:
            # The new file is in storage already; without its row it is litter.
            if checked is not None:
                submission.file.delete(save=False)
            raise
        if old_file:
            # robust: a leftover private file is harmless, a failed request is not.
            storage = submission.file.storage
            transaction.on_commit(lambda: storage.delete(old_file), robust=True)
    return submission


def submission_allowance_of(
    *, enrolment: Enrolment, assignment: Assignment
) -> Allowance:
    """What the trainee may hand in next for this assignment."""
    attempts = AssignmentSubmission.objects.filter(
        enrolment=enrolment, assignment_id=assignment.id
    ).only("attempt", "graded_at", "passed")
    return submission_allowance(
        allowed=assignment.submissions_allowed, attempts=list(attempts)
    )


def submission_assignment(
    *, enrolment: Enrolment, module: ModulePage, assignment_id: str
) -> Assignment:
    """The assignment the trainee is handing in, once it is theirs to do (read
    from the module they see, which may be a translation)."""
    if enrolment.status not in STUDYING_STATUSES:
        raise SubmissionRefused(gettext("Only a confirmed enrolment can hand in work."))
    if not module.live or module.original.get_parent().pk != enrolment.course_id:
        raise SubmissionRefused(gettext("This module is not part of your course."))
    assignment = assignment_of(module, assignment_id)
    if assignment is None:
        raise SubmissionRefused(gettext("This module has no such assignment."))
    return assignment


def submission_store_file(submission: AssignmentSubmission, *, upload, checked) -> None:
    """Save the checked upload under a new unguessable name (see
    submission_upload_to); the trainee's name for it is kept for downloads."""
    upload.seek(0)
    submission.file.save(checked.display_name, upload, save=False)
    submission.file_name = checked.display_name
    submission.file_type = checked.content_type
    submission.file_size = checked.size


def submission_grade(
    *, submission: AssignmentSubmission, by, score, feedback_html: str = ""
) -> AssignmentSubmission:
    """Grade (or re-grade) a submission and tell the trainee by e-mail after
    commit. Passed means the score reaches the course's pass mark.

    Only the trainee's latest submission can be graded. An earlier one was
    graded failed before the next was handed in; re-grading it would either
    pass work the trainee has since replaced (a resubmission after a pass,
    and a gradebook whose latest grade disagrees with the completion rules) or
    announce a grade for work they are no longer judged on. A mistaken grade
    is put right on the latest submission.
    """
    score = score_parse(score)
    feedback_html = sanitize_user_input(feedback_html)
    run_id = (
        AssignmentSubmission.objects.filter(pk=submission.pk)
        .values_list("enrolment__run_id", flat=True)
        .first()
    )
    with transaction.atomic():
        if run_id is not None:
            # The run's lock first, as closing takes it: a grade lands before
            # the close (and counts) or is refused after it.
            run = run_lock(run_id=run_id)
            if run.is_closed:
                raise GradeRefused(run_closed_message(run))
        # Then the enrolment's, as submission_submit takes it: a newer
        # submission cannot be handed in while this grade is checked and saved.
        Enrolment.objects.select_for_update().get(pk=submission.enrolment_id)
        submission = (
            AssignmentSubmission.objects.select_for_update(of=("self",))
            .select_related("enrolment__course", "enrolment__run", "enrolment__trainee")
            .get(pk=submission.pk)
        )
        newer = (
            AssignmentSubmission.objects.filter(
                enrolment_id=submission.enrolment_id,
                assignment_id=submission.assignment_id,
                attempt__gt=submission.attempt,
            )
            .order_by("-attempt")
            .values_list("attempt", flat=True)
            .first()
        )
        if newer is not None:
            raise GradeRefused(
                gettext(
                    "Submission %(newer)s was handed in after this one; only the "
                    "latest submission can be graded."
                )
                % {"newer": newer}
            )
        if not 0 <= score <= submission.max_points:
            raise GradeRefused(
                gettext("The score must be between 0 and %(max)s points.")
                % {"max": number_format(submission.max_points.normalize())}
            )
        pass_mark = submission.enrolment.course.pass_mark_percent
        submission.score = score
        submission.feedback_html = feedback_html
        submission.passed = score * 100 >= pass_mark * submission.max_points
        submission.graded_at = timezone.now()
        submission.graded_by = by
        submission.save(
            update_fields=["score", "feedback_html", "passed", "graded_at", "graded_by"]
        )
        audit.log_submission_graded(submission=submission, by=by)
        grade_notice_queue(submission=submission)
        outcome_recompute(enrolment=submission.enrolment)
    return submission


def score_parse(score) -> Decimal:
    """A Decimal with at most two decimals (what the column keeps), from a
    Decimal, a number or what an instructor typed ("7,5" included)."""
    try:
        score = Decimal(str(score).strip().replace(",", "."))
        if not score.is_finite():
            raise InvalidOperation
        rounded = score.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as error:
        raise GradeRefused(gettext("The score must be a number.")) from error
    if rounded != score:
        raise GradeRefused(gettext("Give the score with at most two decimals."))
    return rounded


def grade_notice_queue(*, submission: AssignmentSubmission) -> bool:
    """Queue the grading e-mail, once per grading of each submission: every
    submission is its own row (so a resubmission's grade has its own key), and
    a re-grade moves `graded_at` on, so it is announced again. The key's shape
    is the one earlier e-mails were recorded under (migration 0006)."""
    return trainee_email_queue(
        trainee=submission.enrolment.trainee,
        kind="assignment.graded",
        template="enrolments/email/graded",
        compose=lambda: _grade_message(submission),
        dedupe_key=f"graded:{submission.pk}:{submission.graded_at.isoformat()}",
    )


def _grade_message(submission: AssignmentSubmission) -> tuple[str, dict]:
    enrolment = submission.enrolment
    assignment = assignment_of(submission.module, submission.assignment_id)
    title = assignment.title if assignment else submission.module.title
    next_up = None
    if (
        assignment is not None
        and not submission.passed
        and not assignment.is_past_deadline()
    ):
        allowance = submission_allowance_of(enrolment=enrolment, assignment=assignment)
        next_up = allowance if allowance.may_submit else None
    context = {
        "trainee": enrolment.trainee,
        "course": enrolment.course,
        "module": submission.module,
        "submission": submission,
        "assignment_title": title,
        "percent": round(submission.score * 100 / submission.max_points, 1),
        "feedback_html": safe_markup(submission.feedback_html),
        "feedback_text": html_to_text(submission.feedback_html),
        "next_submission": next_up.label if next_up else "",
        "url": absolute_url(
            reverse(
                "learning:assignment",
                args=[submission.module_id, submission.assignment_id],
            )
        ),
    }
    return gettext("Your work was graded: %(title)s") % {"title": title}, context
