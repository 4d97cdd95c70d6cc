"""Assignments as trainees and instructors use them: handing in text and files,
the checks on both, private downloads, grading and its e-mail, and the requests
nobody should get away with (other people's ids, forged posts, XSS)."""

import datetime as dt
import io
import os
import re
import zipfile
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from academy_site.outbox.models import OutboundEmail
from academy_site.outbox.services import email_send
from courses.models import CoursePage
from enrolments.errors import EnrolmentError
from enrolments.models import AssignmentSubmission
from enrolments.sanitize import ALLOWED_TAGS, sanitize_html
from enrolments.services import enrolment_create
from enrolments.services.assignments import submission_grade, submission_submit
from enrolments.services.progress import module_mark_done
from enrolments.uploads import upload_check
from tests.enrolments.xss_corpus import PAYLOADS
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    InstructorFactory,
    ModulePageFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PDF = (
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


def assignment_block(block_id="a-1", **value):
    return {
        "type": "assignment",
        "id": block_id,
        "value": {
            "title": "Essay",
            "instructions": "<p>Write about Kubernetes.</p>",
            "deadline": None,
            "max_points": "100",
            "accepts": "both",
            "required": True,
        }
        | value,
    }


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (11, 79, 108)).save(buffer, "PNG")
    return buffer.getvalue()


def office_zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes(**extra: bytes) -> bytes:
    return office_zip(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "word/document.xml": b'<?xml version="1.0"?><w:document/>',
        }
        | extra
    )


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(parent=catalogue, title="Kubernetes", pass_mark_percent=60)


@pytest.fixture
def module(course):
    return ModulePageFactory(
        parent=course, title="Deployments", body=[assignment_block()]
    )


@pytest.fixture
def run(course):
    return CourseRunFactory(course=course)


@pytest.fixture
def trainee():
    return TraineeProfileFactory(full_name="Đorđe Petrović", preferred_language="en")


@pytest.fixture
def enrolment(trainee, run, module):
    return enrolment_create(trainee=trainee, run=run)


@pytest.fixture
def trainee_client(client, trainee, enrolment):
    client.force_login(trainee.user)
    return client


def instructor_of(run):
    user = UserFactory()
    instructor = InstructorFactory(user=user)
    run.instructors.add(instructor)
    run.save()
    return user


@pytest.fixture
def instructor(run):
    return instructor_of(run)


@pytest.fixture
def instructor_client(instructor):
    client = Client()
    client.force_login(instructor)
    return client


def page_url(module, block_id="a-1"):
    return reverse("learning:assignment", args=[module.pk, block_id])


def submit(enrolment, module, **kwargs):
    return submission_submit(
        enrolment=enrolment, module=module, assignment_id="a-1", **kwargs
    )


# Handing in


def test_trainee_hands_in_text_and_a_file_and_sees_them(trainee_client, module):
    page = trainee_client.get(page_url(module)).content.decode()
    assert "Write about Kubernetes." in page
    assert 'enctype="multipart/form-data"' in page
    assert 'accept=".csv,.docx,' in page

    response = trainee_client.post(
        page_url(module),
        {"text": "<p>My <strong>answer</strong></p>", "file": upload("plan.pdf", PDF)},
        follow=True,
    )

    html = response.content.decode()
    assert "Your work was handed in." in html
    assert "<p>My <strong>answer</strong></p>" in html
    submission = AssignmentSubmission.objects.get()
    assert (submission.file_name, submission.file_type) == (
        "plan.pdf",
        "application/pdf",
    )
    assert submission.file_size == len(PDF)
    assert reverse("learning:submission_file", args=[submission.pk]) in html


def test_plain_text_keeps_its_paragraphs(enrolment, module):
    submission = submit(enrolment, module, text_html="First.\n\nSecond, 2 < 3.")
    assert submission.text_html == "<p>First.</p>\n\n<p>Second, 2 &lt; 3.</p>"


def test_the_file_is_stored_under_an_unguessable_private_name(enrolment, module):
    submission = submit(enrolment, module, upload=upload("Đorđe plan.pdf", PDF))
    name = submission.file.name
    assert name.startswith(f"submissions/{enrolment.pk}/")
    assert re.fullmatch(r"[0-9a-f]{32}", os.path.basename(name))
    assert "plan" not in name
    assert submission.file_name == "Đorđe plan.pdf"
    with default_storage.open(name) as stored:
        assert stored.read() == PDF


def test_an_empty_submission_is_refused(trainee_client, module):
    response = trainee_client.post(page_url(module), {"text": "  <p> </p> "})
    assert "Write an answer or attach a file." in response.content.decode()
    assert not AssignmentSubmission.objects.exists()


def test_script_only_text_counts_as_empty(enrolment, module):
    with pytest.raises(EnrolmentError, match="Write an answer or attach a file."):
        submit(enrolment, module, text_html="<script>alert(1)</script>")


def test_work_after_the_deadline_is_refused(trainee, run, course):
    module = ModulePageFactory(
        parent=course, body=[assignment_block(deadline="2026-03-02T17:00:00+01:00")]
    )
    enrolment = enrolment_create(trainee=trainee, run=run)
    # 17:00 in Belgrade in March is 16:00 UTC.
    after = dt.datetime(2026, 3, 2, 16, 1, tzinfo=dt.UTC)

    with pytest.raises(EnrolmentError, match="The deadline was 2 Mar 2026, 17:00"):
        submit(enrolment, module, text_html="Late", now=after)
    before = after - dt.timedelta(minutes=2)
    assert submit(enrolment, module, text_html="On time", now=before).pk


def test_the_page_says_the_deadline_passed_and_offers_no_form(
    client, trainee, run, course
):
    past = (timezone.now() - dt.timedelta(days=1)).isoformat()
    module = ModulePageFactory(parent=course, body=[assignment_block(deadline=past)])
    enrolment_create(trainee=trainee, run=run)
    client.force_login(trainee.user)

    page = client.get(page_url(module)).content.decode()
    assert "The deadline has passed" in page
    assert '<form method="post" enctype' not in page
    response = client.post(page_url(module), {"text": "Late"})
    assert "The deadline was" in response.content.decode()
    assert not AssignmentSubmission.objects.exists()


@pytest.mark.parametrize(
    "accepts, kwargs, message",
    [
        ("file", {"text_html": "Text"}, "takes a file only"),
        ("text", {"upload": upload("plan.pdf", PDF)}, "takes text only"),
    ],
)
def test_a_kind_the_assignment_does_not_take_is_refused(
    trainee, run, course, accepts, kwargs, message
):
    module = ModulePageFactory(parent=course, body=[assignment_block(accepts=accepts)])
    enrolment = enrolment_create(trainee=trainee, run=run)
    with pytest.raises(EnrolmentError, match=message):
        submit(enrolment, module, **kwargs)


def test_resubmission_replaces_the_work_and_deletes_the_old_file(
    enrolment, module, django_capture_on_commit_callbacks
):
    first = submit(enrolment, module, text_html="Draft", upload=upload("a.pdf", PDF))
    old_name = first.file.name

    with django_capture_on_commit_callbacks(execute=True):
        second = submit(
            enrolment, module, text_html="Final", upload=upload("b.png", png_bytes())
        )

    assert second.pk == first.pk
    assert (second.text_html, second.file_name) == ("<p>Final</p>", "b.png")
    assert not default_storage.exists(old_name)
    assert default_storage.exists(second.file.name)


def test_resubmitting_text_keeps_the_file(enrolment, module):
    first = submit(enrolment, module, upload=upload("a.pdf", PDF))
    second = submit(enrolment, module, text_html="Added a note")
    assert second.file.name == first.file.name
    assert second.text_html == "<p>Added a note</p>"


def test_graded_work_cannot_be_replaced(enrolment, module, instructor):
    submission = submit(enrolment, module, text_html="Done")
    submission_grade(submission=submission, by=instructor, score=70, feedback_html="")
    with pytest.raises(EnrolmentError, match="has been graded"):
        submit(enrolment, module, text_html="Better")


# Uploads


def test_a_100_mb_upload_is_refused_without_reading_it():
    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("the file was read")

    huge = Unreadable("huge.pdf", PDF)
    huge.size = 100 * 1024 * 1024
    with pytest.raises(EnrolmentError, match="The file is larger than 20 MB."):
        upload_check(huge)


def test_the_page_stops_an_oversized_upload_while_it_arrives(
    trainee_client, module, monkeypatch
):
    monkeypatch.setattr("enrolments.uploads.SizeLimitUploadHandler.limit", 1024)

    def not_called(**kwargs):
        raise AssertionError("the upload reached the service")

    # The upload handler refuses it before the view calls the service.
    monkeypatch.setattr("enrolments.views.assignments.submission_submit", not_called)
    response = trainee_client.post(
        page_url(module), {"text": "Hello", "file": upload("big.pdf", PDF * 100)}
    )
    assert "The file is larger than 20 MB." in response.content.decode()
    assert not AssignmentSubmission.objects.exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200), "Programs"),
        ("report.pdf", b"\x7fELF\x02\x01\x01" + bytes(200), "Programs"),
        (
            "report.pdf",
            b"<!DOCTYPE html><html><script>alert(1)</script></html>",
            "Web pages",
        ),
        ("notes.pdf", b"\n  <html><body onload=alert(1)>", "Web pages"),
        (
            "logo.svg",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
            "SVG",
        ),
        ("logo.png", b"<svg onload=alert(1)></svg>", "SVG"),
        ("photo.gif", b"GIF89a\x01\x00\x01\x00" + bytes(30), "cannot be uploaded"),
        ("data.bin", bytes(range(256)) * 4, "cannot be uploaded"),
        ("archive.zip", office_zip({"notes.txt": b"hi"}), "ZIP archives"),
        ("macro.docx", docx_bytes(**{"word/vbaProject.bin": b"x"}), "macros"),
        ("broken.docx", b"PK\x03\x04" + bytes(100), "damaged"),
    ],
)
def test_dangerous_or_unknown_files_are_refused_naming_the_allowed_types(
    name, content, message
):
    with pytest.raises(EnrolmentError, match=message) as refused:
        upload_check(upload(name, content))
    if message not in ("macros", "damaged"):
        assert "PDF, Word or OpenDocument documents; Excel" in refused.value.message


@pytest.mark.parametrize(
    "name, content, content_type, display_name",
    [
        ("Plan.PDF", PDF, "application/pdf", "Plan.pdf"),
        ("diagram.png", png_bytes(), "image/png", "diagram.png"),
        ("photo.jpeg", b"\xff\xd8\xff\xe0" + bytes(100), "image/jpeg", "photo.jpeg"),
        (
            "essay.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "essay.docx",
        ),
        (
            "odt",
            office_zip({"mimetype": b"application/vnd.oasis.opendocument.text"}),
            "application/vnd.oasis.opendocument.text",
            "odt.odt",
        ),
        ("main.py", "print('Čačak')\n".encode(), "text/plain", "main.py.txt"),
        ("../../etc/passwd", b"root", "text/plain", "passwd.txt"),
        ('C:\\x\\"bad"\x00name.pdf', PDF, "application/pdf", "_bad_name.pdf"),
        ("image.pdf", png_bytes(), "image/png", "image.pdf.png"),
    ],
)
def test_allowed_files_pass_with_their_detected_type_and_a_safe_name(
    name, content, content_type, display_name
):
    checked = upload_check(upload(name, content))
    assert (checked.content_type, checked.display_name) == (content_type, display_name)


def test_a_zip_bomb_like_docx_is_refused():
    padding = bytes(5 * 1024 * 1024)  # compresses about 1000 to 1
    with pytest.raises(EnrolmentError, match="zip bomb"):
        upload_check(
            upload("essay.docx", docx_bytes(**{"word/media/pad.bin": padding}))
        )


def test_a_docx_that_unpacks_to_over_100_mb_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", os.urandom(2 * 1024 * 1024))
        # The directory claims more than the data holds, as a bomb's may.
        archive.getinfo("word/document.xml").file_size = 101 * 1024 * 1024
    with pytest.raises(EnrolmentError, match="more than 100 MB"):
        upload_check(upload("essay.docx", buffer.getvalue()))


# Who may see what


def test_users_without_a_studying_enrolment_get_404(client, module):
    outsider = TraineeProfileFactory()
    client.force_login(outsider.user)
    assert client.get(page_url(module)).status_code == 404
    assert client.post(page_url(module), {"text": "x"}).status_code == 404
    assert not AssignmentSubmission.objects.exists()


@pytest.mark.parametrize("block_id", ["nope", "text-1", "q-1"])
def test_ids_that_are_not_assignments_of_the_module_get_404(
    client, trainee, run, course, block_id
):
    module = ModulePageFactory(
        parent=course,
        body=[
            {"type": "paragraph", "id": "text-1", "value": "<p>Hi</p>"},
            assignment_block("a-1"),
        ],
    )
    enrolment_create(trainee=trainee, run=run)
    client.force_login(trainee.user)
    assert client.get(page_url(module, block_id)).status_code == 404
    assert client.get(page_url(module, "a-1")).status_code == 200


def test_anonymous_visitors_are_asked_to_log_in(client, module):
    response = client.get(page_url(module))
    assert response.status_code == 302 and "log-in" in response["Location"]


def test_another_trainees_submission_is_not_found(client, enrolment, module, run):
    submission = submit(enrolment, module, upload=upload("a.pdf", PDF))
    other = TraineeProfileFactory()
    enrolment_create(trainee=other, run=run)
    client.force_login(other.user)
    for name in ("submission_file", "submission_grade"):
        assert (
            client.get(reverse(f"learning:{name}", args=[submission.pk])).status_code
            == 404
        )


def test_the_trainee_cannot_grade_their_own_work(trainee_client, enrolment, module):
    submission = submit(enrolment, module, text_html="Mine")
    url = reverse("learning:submission_grade", args=[submission.pk])
    assert trainee_client.get(url).status_code == 404
    assert trainee_client.post(url, {"score": "100"}).status_code == 404
    submission.refresh_from_db()
    assert submission.graded_at is None


def test_the_instructor_of_another_run_gets_404(client, enrolment, module, course):
    submission = submit(enrolment, module, upload=upload("a.pdf", PDF))
    stranger = instructor_of(CourseRunFactory(course=course))
    client.force_login(stranger)
    for name in ("submission_file", "submission_grade"):
        assert (
            client.get(reverse(f"learning:{name}", args=[submission.pk])).status_code
            == 404
        )


def test_the_runs_instructor_and_academy_admins_may_read_and_grade(
    client, instructor, enrolment, module
):
    submission = submit(enrolment, module, upload=upload("a.pdf", PDF))
    admin = UserFactory()
    admin.user_permissions.add(
        Permission.objects.get(codename="change_assignmentsubmission")
    )
    superuser = UserFactory(is_superuser=True)
    for user in (instructor, admin, superuser):
        client.force_login(user)
        for name in ("submission_file", "submission_grade"):
            response = client.get(reverse(f"learning:{name}", args=[submission.pk]))
            assert response.status_code == 200, (user, name)
            if response.streaming:
                # Reading to the end closes the file, as a browser's download does.
                assert b"".join(response.streaming_content) == PDF


def test_the_file_is_served_as_a_private_attachment(trainee_client, enrolment, module):
    submission = submit(enrolment, module, upload=upload("Đorđe plan.pdf", PDF))

    response = trainee_client.get(
        reverse("learning:submission_file", args=[submission.pk])
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%C4%90or%C4%91e%20plan.pdf" in disposition


def test_a_text_file_is_served_as_text_not_as_a_page(trainee_client, enrolment, module):
    submission = submit(enrolment, module, upload=upload("notes.txt", b"a <b> c"))
    response = trainee_client.get(
        reverse("learning:submission_file", args=[submission.pk])
    )
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"a <b> c"


# Grading


def grade_url(submission):
    return reverse("learning:submission_grade", args=[submission.pk])


def test_instructor_grades_and_the_trainee_sees_score_and_feedback(
    instructor_client,
    trainee_client,
    enrolment,
    module,
    django_capture_on_commit_callbacks,
):
    submission = submit(enrolment, module, text_html="<p>My essay</p>")
    page = instructor_client.get(grade_url(submission)).content.decode()
    assert "Đorđe Petrović" in page and "<p>My essay</p>" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = instructor_client.post(
            grade_url(submission),
            {"score": "72.5", "feedback": "<p>Good, but <em>cite</em> sources.</p>"},
            follow=True,
        )

    assert "Grade saved." in response.content.decode()
    submission.refresh_from_db()
    assert submission.score == Decimal("72.50") and submission.passed is True
    assert submission.graded_by.instructor.runs.filter(pk=enrolment.run_id).exists()
    page = trainee_client.get(page_url(module)).content.decode()
    assert "72.50 of 100 points" in page
    assert "Passed" in page
    assert "<p>Good, but <em>cite</em> sources.</p>" in page
    assert "Replace my work" not in page


@pytest.mark.parametrize(
    "score, passed", [(Decimal("59.99"), False), (Decimal("60"), True), (0, False)]
)
def test_passing_needs_the_courses_pass_mark(
    enrolment, module, instructor, score, passed
):
    submission = submit(enrolment, module, text_html="Work")
    graded = submission_grade(
        submission=submission, by=instructor, score=score, feedback_html=""
    )
    assert graded.passed is passed


@pytest.mark.parametrize("score", ["-1", "100.01", "abc", "NaN", "1.005"])
def test_a_score_outside_the_range_is_refused(enrolment, module, instructor, score):
    submission = submit(enrolment, module, text_html="Work")
    with pytest.raises(EnrolmentError):
        submission_grade(
            submission=submission, by=instructor, score=score, feedback_html=""
        )
    submission.refresh_from_db()
    assert submission.graded_at is None


def test_the_grading_page_shows_the_range_error(instructor_client, enrolment, module):
    submission = submit(enrolment, module, text_html="Work")
    response = instructor_client.post(grade_url(submission), {"score": "101"})
    assert "less than or equal to 100" in response.content.decode()
    submission.refresh_from_db()
    assert submission.graded_at is None


def test_one_email_per_grading_even_if_the_task_runs_twice(
    enrolment, module, instructor, trainee, django_capture_on_commit_callbacks
):
    submission = submit(enrolment, module, text_html="Work")
    with django_capture_on_commit_callbacks(execute=True):
        submission_grade(
            submission=submission,
            by=instructor,
            score=Decimal("45"),
            feedback_html="<p>Read <strong>chapter 3</strong> again &amp; retry.</p>",
        )
    email = OutboundEmail.objects.get(kind="assignment.graded")
    email_send(email_id=email.pk)
    email_send(email_id=email.pk)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [trainee.user.email]
    assert message.subject == "Your work was graded: Essay"
    assert "Score: 45 of 100 points (45.0%): not passed" in message.body
    assert "Read chapter 3 again & retry." in message.body
    assert "<strong>" not in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Read <strong>chapter 3</strong> again &amp; retry." in html
    assert page_url(module) in html

    with django_capture_on_commit_callbacks(execute=True):
        submission_grade(submission=submission, by=instructor, score=80)
    assert len(mail.outbox) == 2
    assert "80 of 100 points (80.0%): passed." in mail.outbox[1].body


def test_grading_recomputes_the_outcome(trainee, catalogue):
    course = CoursePageFactory(
        parent=catalogue, format=CoursePage.Format.SELF_PACED, pass_mark_percent=50
    )
    module = ModulePageFactory(parent=course, body=[assignment_block()])
    enrolment = enrolment_create(trainee=trainee, course=course)
    module_mark_done(enrolment=enrolment, module=module)
    submission = submit(enrolment, module, text_html="Work")
    admin = UserFactory(is_superuser=True)

    submission_grade(submission=submission, by=admin, score=50)

    enrolment.refresh_from_db()
    assert enrolment.outcome == "completion"


def test_posts_need_a_csrf_token(trainee, enrolment, module, instructor):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(trainee.user)
    assert strict.post(page_url(module), {"text": "Forged"}).status_code == 403
    assert not AssignmentSubmission.objects.exists()

    submission = submit(enrolment, module, text_html="Mine")
    strict.force_login(instructor)
    assert strict.post(grade_url(submission), {"score": "0"}).status_code == 403
    submission.refresh_from_db()
    assert submission.graded_at is None


# XSS


class Inspector(HTMLParser):
    """What a browser could run or load from a page, as html.parser sees it,
    and the tags inside the areas that show user-written HTML. The site's own
    scripts (served from /static/) are the only scripts allowed."""

    UNWANTED_TAGS = {"svg", "math", "iframe", "object", "embed", "base", "form"}
    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href"}
    VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input"}
    VOID_TAGS |= {"link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.user_tags = set()
        self.user_depth = 0

    def handle_starttag(self, tag, attrs):
        self.check(tag, attrs)
        classes = (dict(attrs).get("class") or "").split()
        if self.user_depth:
            self.user_tags.add(tag)
            self.user_depth += tag not in self.VOID_TAGS
        elif "submission__text" in classes or "feedback" in classes:
            self.user_depth = 1

    def handle_startendtag(self, tag, attrs):
        self.check(tag, attrs)
        if self.user_depth:
            self.user_tags.add(tag)

    def handle_endtag(self, tag):
        if self.user_depth and tag not in self.VOID_TAGS:
            self.user_depth -= 1

    def check(self, tag, attrs):
        where = f"<{tag}>" + (" in user HTML" if self.user_depth else "")
        values = dict(attrs)
        if tag in self.UNWANTED_TAGS and (self.user_depth or tag != "form"):
            self.problems.append(where)
        if tag == "script" and not (values.get("src") or "").startswith("/static/"):
            self.problems.append(where)
        if tag == "meta" and "http-equiv" in values:
            self.problems.append(f"http-equiv on {where}")
        for name, value in attrs:
            url = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if re.fullmatch(r"on\w+", name):
                self.problems.append(f"{name}= on {where}")
            elif name in self.URL_ATTRIBUTES and url.startswith(
                ("javascript:", "vbscript:", "data:")
            ):
                self.problems.append(f"{name}={value!r} on {where}")
            elif name == "style" and self.user_depth:
                self.problems.append(f"style on {where}")


def inspect(html: str) -> Inspector:
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector


@pytest.fixture
def xss_module(course):
    return ModulePageFactory(
        parent=course,
        body=[assignment_block(f"x-{n}") for n in range(len(PAYLOADS))],
    )


@pytest.mark.parametrize("number", range(len(PAYLOADS)))
def test_xss_payload_is_harmless_on_the_trainee_and_grading_pages(
    number,
    trainee,
    run,
    xss_module,
    instructor_client,
    client,
    django_capture_on_commit_callbacks,
):
    payload = PAYLOADS[number]
    enrolment_create(trainee=trainee, run=run)
    client.force_login(trainee.user)
    url = page_url(xss_module, f"x-{number}")
    response = client.post(url, {"text": f"Answer {payload} end"})
    assert response.status_code == 302, payload
    submission = AssignmentSubmission.objects.get()
    before_grading = client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = instructor_client.post(
            grade_url(submission), {"score": "50", "feedback": f"Note {payload} end"}
        )
    assert response.status_code == 302, payload

    for html in (
        before_grading,
        client.get(url).content.decode(),
        instructor_client.get(grade_url(submission)).content.decode(),
        mail.outbox[0].alternatives[0][0],
    ):
        inspector = inspect(html)
        assert not inspector.problems, (payload, inspector.problems)
        assert inspector.user_tags <= ALLOWED_TAGS, (payload, inspector.user_tags)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitize_html_is_idempotent(payload):
    once = sanitize_html(payload)
    assert sanitize_html(once) == once


def test_links_keep_only_safe_urls_and_get_a_forced_rel():
    cleaned = sanitize_html(
        '<a href="https://example.com" rel="opener" target="_blank" title="t">x</a>'
        '<a href="mailto:a@example.com">m</a><a href="/relative">r</a>'
    )
    assert cleaned == (
        '<a href="https://example.com" rel="noopener noreferrer nofollow">x</a>'
        '<a href="mailto:a@example.com" rel="noopener noreferrer nofollow">m</a>'
        '<a rel="noopener noreferrer nofollow">r</a>'
    )
