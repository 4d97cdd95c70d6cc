"""Assignments: the trainee's page for handing in work, the private download
of a submitted file, and the instructor's grading page.

Every id in a URL is looked up through a queryset scoped to the user, so an id
that is not theirs answers 404 (never 403, which would confirm it exists).
Stored HTML is cleaned again on the way out (enrolments.sanitize.safe_markup),
and files are only ever sent as attachments that the browser may not sniff or
run.
"""

import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.validators import MaxValueValidator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from courses.blocks import DEFAULT_FILE_KINDS
from courses.models import ModulePage
from enrolments.access import (
    studying_enrolment,
    submissions_gradable_by,
    submissions_readable_by,
)
from enrolments.errors import EnrolmentError
from enrolments.models import AssignmentSubmission
from enrolments.rules.submissions import submission_allowance, submission_label
from enrolments.sanitize import safe_markup
from enrolments.services.assignments import (
    assignment_of,
    submission_grade,
    submission_submit,
)
from enrolments.uploads import (
    CODE,
    EXTENSIONS,
    KIND_OF,
    MAX_UPLOAD_TEXT,
    TEXT,
    SizeLimitUploadHandler,
    kinds_text,
)


def accept_hint(kinds) -> str:
    """The file picker's filter for these kinds; the server decides by content."""
    kinds = set(kinds or DEFAULT_FILE_KINDS)
    return ",".join(
        sorted(
            f".{extension}"
            for content_type, extensions in EXTENSIONS.items()
            if KIND_OF[content_type] in kinds
            for extension in extensions
        )
    )


def _formatting_help() -> str:
    return gettext(
        "Write as you would in an e-mail: an empty line starts a new paragraph. "
        "The buttons above the box make text bold or italic, and add lists, "
        "quotes, code and links; pictures, colours and layout are not kept."
    )


# Form help texts are made at import: translated only when a form shows them.
FORMATTING_HELP = lazy(_formatting_help, str)()


class SubmissionForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        required=False,
        strip=False,
        help_text=FORMATTING_HELP,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "true"}),
    )
    file = forms.FileField(label=_("Your file"), required=False)

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        if not assignment.accepts_text:
            del self.fields["text"]
        if not assignment.accepts_file:
            del self.fields["file"]
        else:
            field = self.fields["file"]
            field.help_text = gettext("Accepted: %(types)s; at most %(limit)s.") % {
                "types": kinds_text(assignment.file_kinds),
                "limit": MAX_UPLOAD_TEXT,
            }
            field.widget.attrs["accept"] = accept_hint(assignment.file_kinds)


class GradeForm(forms.Form):
    score = forms.DecimalField(
        label=_("Score"), min_value=0, max_digits=7, decimal_places=2
    )
    feedback = forms.CharField(
        label=_("Feedback for the trainee"),
        required=False,
        strip=False,
        help_text=FORMATTING_HELP,
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    def __init__(self, *args, max_points, **kwargs):
        super().__init__(*args, **kwargs)
        score = self.fields["score"]
        score.label = gettext("Score (0 to %(max)s points)") % {
            "max": number_format(max_points.normalize())
        }
        score.validators.append(MaxValueValidator(max_points))
        score.widget.attrs.update(max=str(max_points), step="0.01")


@dataclass(frozen=True)
class ShownSubmission:
    """A submission with its text and feedback cleaned for the page."""

    submission: AssignmentSubmission
    text_markup: str
    feedback_markup: str

    @classmethod
    def of(cls, submission: AssignmentSubmission) -> "ShownSubmission":
        graded = submission.graded_at is not None
        return cls(
            submission=submission,
            text_markup=safe_markup(submission.text_html),
            feedback_markup=safe_markup(submission.feedback_html) if graded else "",
        )


@login_required
@csrf_exempt
def assignment_page(
    request: HttpRequest, module_id: int, assignment_id: str
) -> HttpResponse:
    """Exempt from the CSRF middleware only so that the upload size limit is in
    place before the request body is read; `assignment_form` checks the token."""
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
    return assignment_form(request, module_id, assignment_id)


@csrf_protect
@require_http_methods(["GET", "POST"])
def assignment_form(
    request: HttpRequest, module_id: int, assignment_id: str
) -> HttpResponse:
    """The assignment, the trainee's submissions with their grades (newest
    first), and the form to hand in: the first submission, a replacement
    until it is graded, or after a failed grade the next one."""
    module = get_object_or_404(ModulePage.objects.live(), pk=module_id)
    assignment = assignment_of(module, assignment_id)
    if assignment is None:
        raise Http404("No such assignment in this module.")
    course = module.course
    enrolment = studying_enrolment(user=request.user, course=course)
    if enrolment is None:
        raise Http404("You are not studying this course.")
    attempts = list(
        AssignmentSubmission.objects.filter(
            enrolment=enrolment, assignment_id=assignment.id
        ).order_by("attempt")
    )
    allowance = submission_allowance(
        allowed=assignment.submissions_allowed, attempts=attempts
    )
    latest = attempts[-1] if attempts else None

    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES, assignment=assignment)
        refused = getattr(request, "upload_refused", None)
        if form.is_valid() and not refused:
            try:
                submission_submit(
                    enrolment=enrolment,
                    module=module,
                    assignment_id=assignment.id,
                    text_html=form.cleaned_data.get("text", ""),
                    upload=form.cleaned_data.get("file"),
                )
            except EnrolmentError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, gettext("Your work was handed in."))
                return redirect("learning:assignment", module.pk, assignment.id)
        if refused:
            form.add_error("file" if "file" in form.fields else None, refused)
    else:
        # A new submission starts from the last one's text: the trainee
        # revises their work rather than retyping it.
        initial = {"text": latest.text_html} if latest else {}
        form = SubmissionForm(initial=initial, assignment=assignment)

    past_deadline = assignment.is_past_deadline()
    return render(
        request,
        "enrolments/assignments/assignment.html",
        {
            "course": course,
            "module": module,
            "assignment": assignment,
            "attempts": [ShownSubmission.of(s) for s in reversed(attempts)],
            "latest": latest,
            "allowance": allowance,
            "past_deadline": past_deadline,
            "can_submit": allowance.may_submit and not past_deadline,
            "form": form,
        },
    )


@login_required
@require_GET
def submission_download(request: HttpRequest, submission_id: int) -> FileResponse:
    """The submitted file, streamed from storage (local disk or a private S3
    bucket) as an attachment that the browser may neither sniff nor run."""
    submission = get_object_or_404(
        submissions_readable_by(request.user).exclude(file=""), pk=submission_id
    )
    try:
        handle = submission.file.storage.open(submission.file.name, "rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing from storage.") from error
    content_type = submission.file_type or "application/octet-stream"
    if content_type in (TEXT, CODE):
        content_type = f"{TEXT}; charset=utf-8"
    response = FileResponse(handle, content_type=content_type)
    name = submission.file_name or "submission"
    response["Content-Disposition"] = attachment_header(name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


def attachment_header(name: str) -> str:
    """RFC 6266: an ASCII fallback for old clients and the exact UTF-8 name."""
    fallback = (
        unicodedata.normalize("NFKD", name)
        .encode("ascii", "ignore")
        .decode()
        .replace('"', "")
        .replace("\\", "")
    )
    return (
        f'attachment; filename="{fallback or "submission"}"; '
        f"filename*=UTF-8''{quote(name, safe='')}"
    )


@login_required
@require_http_methods(["GET", "POST"])
def submission_grade_page(request: HttpRequest, submission_id: int) -> HttpResponse:
    """An instructor reads a submission of their run and grades it (again),
    with the trainee's earlier submissions and their grades for reference.
    Only the latest submission takes a grade (see submission_grade)."""
    submission = get_object_or_404(
        submissions_gradable_by(request.user).select_related(
            "enrolment__trainee",
            "enrolment__course",
            "enrolment__run",
            "module",
            "graded_by",
        ),
        pk=submission_id,
    )
    module = submission.module
    assignment = assignment_of(module, submission.assignment_id)
    attempts = list(
        AssignmentSubmission.objects.filter(
            enrolment_id=submission.enrolment_id,
            assignment_id=submission.assignment_id,
        )
        .select_related("graded_by")
        .order_by("attempt")
    )
    # An earlier submission shows, instead of the form, why it takes no grade
    # (the service refuses one posted anyway).
    latest = attempts[-1]
    if request.method == "POST":
        form = GradeForm(request.POST, max_points=submission.max_points)
        if form.is_valid():
            try:
                submission_grade(
                    submission=submission,
                    by=request.user,
                    score=form.cleaned_data["score"],
                    feedback_html=form.cleaned_data["feedback"],
                )
            except EnrolmentError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    gettext("Grade saved. %(name)s will get an e-mail.")
                    % {"name": submission.enrolment.trainee.full_name},
                )
                following = None
                if "grade_next" in request.POST:
                    following = waiting_for_grade(request.user, submission).first()
                return redirect(
                    "learning:submission_grade", (following or submission).pk
                )
    else:
        initial = {"score": submission.score, "feedback": submission.feedback_html}
        form = GradeForm(initial=initial, max_points=submission.max_points)
    return render(
        request,
        "enrolments/assignments/grade.html",
        {
            "submission": submission,
            "enrolment": submission.enrolment,
            "course": submission.enrolment.course,
            "module": module,
            "assignment": assignment,
            "label": (
                submission_label(
                    number=submission.attempt, allowed=assignment.submissions_allowed
                )
                if assignment
                else ""
            ),
            "earlier": [
                ShownSubmission.of(s)
                for s in reversed(attempts)
                if s.attempt < submission.attempt
            ],
            "latest": latest,
            "text_markup": safe_markup(submission.text_html),
            "feedback_markup": safe_markup(submission.feedback_html),
            "form": form,
            "waiting": waiting_for_grade(request.user, submission).count(),
        },
    )


def waiting_for_grade(user, submission: AssignmentSubmission):
    """The other submissions of the same assignment in the same run that wait
    for a grade from `user`, first handed in first: where "Save and grade
    next" goes."""
    return (
        submissions_gradable_by(user)
        .filter(
            graded_at__isnull=True,
            assignment_id=submission.assignment_id,
            module_id=submission.module_id,
            enrolment__run_id=submission.enrolment.run_id,
            enrolment__course_id=submission.enrolment.course_id,
        )
        .exclude(pk=submission.pk)
        .order_by("submitted_at", "pk")
    )
