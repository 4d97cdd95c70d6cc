"""Assignments: the trainee's page for handing in work, the private download
of a submitted file, and the instructor's grading page.

Every id in a URL is looked up through a queryset scoped to the user, so an id
that is not theirs answers 404 (never 403, which would confirm it exists).
Stored HTML is cleaned again on the way out (enrolments.sanitize.safe_markup),
and files are only ever sent as attachments that the browser may not sniff or
run.
"""

import unicodedata
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

from courses.models import ModulePage
from enrolments.access import (
    studying_enrolment,
    submissions_gradable_by,
    submissions_readable_by,
)
from enrolments.errors import EnrolmentError
from enrolments.models import AssignmentSubmission
from enrolments.sanitize import ALLOWED_TAGS, safe_markup
from enrolments.services.assignments import (
    assignment_of,
    submission_grade,
    submission_submit,
)
from enrolments.uploads import (
    ALLOWED_TYPES_TEXT,
    EXTENSIONS,
    MAX_UPLOAD_TEXT,
    TEXT,
    SizeLimitUploadHandler,
)

# A hint for the browser's file picker; the server decides by content.
ACCEPT_HINT = ",".join(
    sorted(f".{ext}" for extensions in EXTENSIONS.values() for ext in extensions)
)


def _formatting_help() -> str:
    return gettext(
        "Plain text keeps its paragraphs. You may also format with HTML: "
        "%(tags)s. Anything else is removed when it is saved."
    ) % {"tags": ", ".join(f"<{tag}>" for tag in sorted(ALLOWED_TAGS))}


def _file_help() -> str:
    return gettext("%(types)s; at most %(limit)s.") % {
        "types": ALLOWED_TYPES_TEXT,
        "limit": MAX_UPLOAD_TEXT,
    }


# Form help texts are made at import: translated only when a form shows them.
FORMATTING_HELP = lazy(_formatting_help, str)()
FILE_HELP = lazy(_file_help, str)()


class SubmissionForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        required=False,
        strip=False,
        help_text=FORMATTING_HELP,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "true"}),
    )
    file = forms.FileField(
        label=_("Your file"),
        required=False,
        help_text=FILE_HELP,
        widget=forms.FileInput(attrs={"accept": ACCEPT_HINT}),
    )

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        if not assignment.accepts_text:
            del self.fields["text"]
        if not assignment.accepts_file:
            del self.fields["file"]


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
    """The assignment, the trainee's submission and grade, and the form to hand
    in (or replace, until graded) their work."""
    module = get_object_or_404(ModulePage.objects.live(), pk=module_id)
    assignment = assignment_of(module, assignment_id)
    if assignment is None:
        raise Http404("No such assignment in this module.")
    course = module.course
    enrolment = studying_enrolment(user=request.user, course=course)
    if enrolment is None:
        raise Http404("You are not studying this course.")
    submission = AssignmentSubmission.objects.filter(
        enrolment=enrolment, assignment_id=assignment.id
    ).first()

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
        initial = {"text": submission.text_html} if submission else {}
        form = SubmissionForm(initial=initial, assignment=assignment)

    graded = submission is not None and submission.graded_at is not None
    return render(
        request,
        "enrolments/assignments/assignment.html",
        {
            "course": course,
            "module": module,
            "assignment": assignment,
            "submission": submission,
            "text_markup": safe_markup(submission.text_html) if submission else "",
            "feedback_markup": safe_markup(submission.feedback_html) if graded else "",
            "graded": graded,
            "past_deadline": assignment.is_past_deadline(),
            "can_submit": not graded and not assignment.is_past_deadline(),
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
    if content_type == TEXT:
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
    """An instructor reads a submission of their run and grades it (again)."""
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
                return redirect("learning:submission_grade", submission.pk)
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
            "assignment": assignment_of(module, submission.assignment_id),
            "text_markup": safe_markup(submission.text_html),
            "feedback_markup": safe_markup(submission.feedback_html),
            "form": form,
        },
    )
