"""What the academy holds about a trainee, for "Your data" (/account/data/,
enrolments/accounts/data_views.py) and its JSON download.

Each section is a function `section(trainee) -> (title, rows)`: rows are one
record (a dict) or a list of records, keyed by readable labels, so the page
and the JSON say the same thing in the same words. The sections of this app
come first; apps built on enrolments add theirs with
`enrolments.extensions.register_personal_data_section` (certificates does, in
certificates/privacy.py). Every section reads in a fixed number of queries and
filters by the trainee, so nobody else's rows can appear.

The people who decided or graded are left out: their names are their personal
data, not the trainee's.
"""

import datetime as dt
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from academy_site.outbox.models import OutboundEmail
from enrolments.extensions import erasure_summaries, personal_data_sections
from enrolments.models import (
    AssignmentSubmission,
    AttendanceRecord,
    Enrolment,
    EvaluationParticipation,
    EvaluationResponse,
    MembershipClaim,
    ModuleProgress,
    QuizAttempt,
    TraineeProfile,
)
from enrolments.rules.evaluations import answer_text
from enrolments.sanitize import html_to_text
from enrolments.services.evaluations import snapshot_version
from enrolments.services.privacy import CANCELLED_ON_ERASURE

EXPORT_FORMAT = "cluster-academy-personal-data"
EXPORT_VERSION = 1

Rows = dict | list[dict]


def _run_or_course(enrolment: Enrolment) -> str:
    """The run as the trainee knows it, without loading the run's course again."""
    if enrolment.run is None:
        return _("%(course)s (self-paced)") % {"course": enrolment.course.title}
    run = enrolment.run
    name = f"{enrolment.course.title}, {date_format(run.starts_on, 'DATE_FORMAT')}"
    return f"{name} ({run.label})" if run.label else name


def account_section(trainee: TraineeProfile) -> tuple[str, Rows]:
    user = trainee.user
    return _("Account"), {
        _("E-mail"): user.email,
        _("Username"): user.get_username(),
        _("Full name (as printed on certificates)"): trainee.full_name,
        _("Organisation"): trainee.organisation.name if trainee.organisation else "",
        _("Preferred language"): trainee.get_preferred_language_display(),
        _("Meeting reminders"): _("Yes") if trainee.meeting_reminders else _("No"),
        _("Reminders two hours before"): (
            _("Yes") if trainee.meeting_reminders_soon else _("No")
        ),
        _("Account created"): user.date_joined,
        _("Profile created"): trainee.created_at,
        _("Last log-in"): user.last_login,
    }


def enrolments_section(trainee: TraineeProfile) -> tuple[str, Rows]:
    enrolments = (
        Enrolment.objects.filter(trainee=trainee)
        .select_related("course", "run", "organisation")
        .order_by("created_at", "pk")
    )
    return _("Enrolments"), [
        {
            _("Course / run"): _run_or_course(e),
            _("Status"): e.get_status_display(),
            _("Enrolled"): e.created_at,
            _("Member price"): e.is_member,
            _("Organisation"): e.organisation.name if e.organisation else "",
            _("Price (RSD)"): e.price,
            _("Seat since"): e.seat_since,
            _("Decided"): e.decided_at,
            _("Rejection reason"): e.rejection_reason,
            _("Cancelled"): e.cancelled_at,
            _("Outcome"): e.get_outcome_display(),
            _("Outcome changed"): e.outcome_changed_at,
        }
        for e in enrolments
    ]


def organisation_claims_section(trainee: TraineeProfile) -> tuple[str, Rows]:
    """Every organisation the trainee said they work for and what became of
    it (who decided is left out, like the other sections)."""
    claims = (
        MembershipClaim.objects.filter(trainee=trainee)
        .select_related("organisation")
        .order_by("made_at", "pk")
    )
    return _("Organisation claims"), [
        {
            _("Organisation"): c.organisation.name,
            _("Status"): c.get_status_display(),
            _("Claimed"): c.made_at,
            _("Confirmed by"): c.get_method_display(),
            _("Decided"): c.decided_at,
            _("Reason"): c.note,
            _("Ended"): c.ended_at,
        }
        for c in claims
    ]


def _attendance_records(trainee: TraineeProfile):
    return (
        AttendanceRecord.objects.filter(enrolment__trainee=trainee)
        .select_related("meeting", "enrolment__course", "enrolment__run")
        .order_by("meeting__date", "meeting__start_time", "pk")
    )


def attendance_section(trainee: TraineeProfile) -> tuple[str, Rows]:
    return _("Attendance"), [
        {
            _("Course / run"): _run_or_course(record.enrolment),
            _("Meeting"): dt.datetime.combine(
                record.meeting.date, record.meeting.start_time
            ),
            _("Status"): record.get_status_display(),
            _("Recorded by"): record.get_source_display(),
            _("Last changed"): record.updated_at,
        }
        for record in _attendance_records(trainee)
    ]


def check_ins_section(trainee: TraineeProfile) -> tuple[str, Rows]:
    records = _attendance_records(trainee).filter(checked_in_at__isnull=False)
    return _("Check-ins"), [
        {
            _("Course / run"): _run_or_course(record.enrolment),
            _("Meeting"): dt.datetime.combine(
                record.meeting.date, record.meeting.start_time
            ),
            _("Checked in"): record.checked_in_at,
        }
        for record in records
    ]


def module_progress_section(trainee: TraineeProfile) -> tuple[str, Rows]:
    progress = (
        ModuleProgress.objects.filter(enrolment__trainee=trainee)
        .select_related("module", "enrolment__course")
        .order_by("completed_at", "pk")
    )
    return _("Modules finished"), [
        {
            _("Course"): row.enrolment.course.title,
            _("Module"): row.module.title,
            _("How"): row.get_source_display(),
            _("Finished"): row.completed_at,
        }
        for row in progress
    ]


def quiz_attempts_section(trainee: TraineeProfile) -> tuple[str, Rows]:
    attempts = (
        QuizAttempt.objects.filter(enrolment__trainee=trainee)
        .select_related("module", "enrolment__course")
        .order_by("started_at", "pk")
    )
    return _("Quiz attempts"), [
        {
            _("Course"): attempt.enrolment.course.title,
            _("Module"): attempt.module.title,
            _("Quiz"): _block_title(attempt.module, "quiz", attempt.quiz_id),
            _("Attempt"): attempt.number,
            _("Started"): attempt.started_at,
            _("Submitted"): attempt.submitted_at,
            _("Score"): attempt.score,
            _("Maximum"): attempt.max_score,
            _("Percent"): attempt.percent,
            _("Passed"): attempt.passed,
            _("Answers"): attempt.answers,
        }
        for attempt in attempts
    ]


def _block_title(module, block_type: str, block_id: str) -> str:
    """The title of a quiz or assignment, from the stored JSON of the module's
    body: converting the StreamField would load its images and documents, a
    query per module. (An attempt's snapshot, QuizAttempt.questions, is the
    list of questions only: it does not hold the quiz's title.)"""
    for block in module.body.raw_data:
        if block.get("type") == block_type and block.get("id") == block_id:
            return (block.get("value") or {}).get("title") or ""
    return ""


def submissions_section(trainee: TraineeProfile) -> tuple[str, Rows]:
    submissions = (
        AssignmentSubmission.objects.filter(enrolment__trainee=trainee)
        .select_related("module", "enrolment__course")
        .order_by("submitted_at", "pk")
    )
    return _("Assignment submissions"), [
        {
            _("Course"): s.enrolment.course.title,
            _("Module"): s.module.title,
            _("Assignment"): _block_title(s.module, "assignment", s.assignment_id),
            _("Submission"): s.attempt,
            _("Submitted"): s.submitted_at,
            _("Text"): html_to_text(s.text_html),
            _("File name"): s.file_name,
            _("File type"): s.file_type,
            _("File size (bytes)"): s.file_size,
            _("Score"): s.score,
            _("Maximum"): s.max_points,
            _("Passed"): s.passed,
            _("Graded"): s.graded_at,
            _("Feedback"): html_to_text(s.feedback_html),
        }
        for s in submissions
    ]


def evaluations_section(trainee: TraineeProfile) -> tuple[str, Rows]:
    """Named evaluation answers, with the questions as they were asked.
    Anonymous answers carry no name, so they are nobody's data to export;
    that the trainee answered is listed with their enrolments' evaluations."""
    responses = (
        EvaluationResponse.objects.filter(trainee=trainee)
        .select_related("evaluation__course", "evaluation__run")
        .order_by("submitted_on", "pk")
    )
    rows = []
    for response in responses:
        version = snapshot_version(response.evaluation.snapshot, response.language)
        questions = {question["id"]: question for question in version["questions"]}
        rows.append(
            {
                _("Course"): response.evaluation.course.title,
                _("Form"): version["title"],
                _("Answered"): response.submitted_on,
                _("Answers"): {
                    questions[key]["prompt"]: answer_text(questions[key], value)
                    for key, value in response.answers.items()
                    if key in questions
                },
            }
        )
    answered = EvaluationParticipation.objects.filter(
        enrolment__trainee=trainee, answered=True, evaluation__anonymous=True
    ).select_related("evaluation__course")
    for participation in answered:
        evaluation = participation.evaluation
        rows.append(
            {
                _("Course"): evaluation.course.title,
                _("Form"): snapshot_version(evaluation.snapshot, "")["title"],
                _("Answered"): _("yes"),
                _("Answers"): _(
                    "Anonymous: kept without your name, so they cannot be shown "
                    "here."
                ),
            }
        )
    return _("Course evaluations"), rows


def emails_section(trainee: TraineeProfile) -> tuple[str, Rows]:
    """Every e-mail the academy wrote to the trainee (the outbox's rows)."""
    emails = OutboundEmail.objects.filter(user_id=trainee.user_id).order_by(
        "created_at", "pk"
    )
    return _("E-mails the academy sent you"), [
        {
            _("Subject"): email.subject,
            _("To"): email.to,
            _("Written"): email.created_at,
            _("Status"): email.get_status_display(),
            _("Sent"): email.sent_at,
        }
        for email in emails
    ]


ENROLMENT_SECTIONS = [
    account_section,
    organisation_claims_section,
    enrolments_section,
    attendance_section,
    check_ins_section,
    module_progress_section,
    quiz_attempts_section,
    submissions_section,
    evaluations_section,
    emails_section,
]


def personal_data(trainee: TraineeProfile) -> list[tuple[str, Rows]]:
    """Every section about the trainee: this app's, then the registered ones.
    `trainee` should come with `user` and `organisation` joined."""
    return [
        section(trainee) for section in [*ENROLMENT_SECTIONS, *personal_data_sections()]
    ]


def personal_data_json(sections: list[tuple[str, Rows]]) -> str:
    """The sections as the JSON document of the download."""
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": timezone.now(),
        "sections": [{"title": title, "data": rows} for title, rows in sections],
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def erasure_preview(trainee: TraineeProfile) -> dict:
    """What an erasure of the trainee would change and keep, for the admin's
    confirmation page: counts of this app's rows, and the sentences other
    apps register (enrolments.extensions.register_erasure_summary)."""
    by_status = {
        row["status"]: row["n"]
        for row in Enrolment.objects.filter(trainee=trainee)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    }
    labels = dict(Enrolment.Status.choices)
    submissions = AssignmentSubmission.objects.filter(
        enrolment__trainee=trainee
    ).aggregate(total=Count("pk"), files=Count("pk", filter=~Q(file="")))
    return {
        "enrolments": sum(by_status.values()),
        "enrolments_by_status": [
            (labels.get(status, status), n) for status, n in sorted(by_status.items())
        ],
        "enrolments_to_cancel": sum(by_status.get(s, 0) for s in CANCELLED_ON_ERASURE),
        "submissions": submissions["total"],
        "files": submissions["files"],
        "other": erasure_summaries(trainee),
    }
