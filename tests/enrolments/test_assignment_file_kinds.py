"""Each assignment says which kinds of file it takes: a data course takes
notebooks, source code and ZIP archives; every kind is still judged by the
file's content. The page says what is accepted, and how to format an answer,
in words; instructors grade one submission after another."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from enrolments.errors import EnrolmentError
from enrolments.models import AssignmentSubmission
from enrolments.services import enrolment_create
from enrolments.services.assignments import submission_submit
from enrolments.uploads import upload_check
from tests.enrolments.test_assignments import PDF, assignment_block, png_bytes
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    InstructorFactory,
    ModulePageFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CODE = "text/x-source"
DATA_KINDS = ["documents", "code", "notebooks", "archives"]
NOTEBOOK = (
    b'{"cells": [{"cell_type": "code", "source": ["import pandas as pd"]}],'
    b' "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    # The browser's type is the uploader's to choose: it decides nothing.
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def archive(files: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zipped:
        for name, data in files.items():
            zipped.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def module(catalogue):
    course = CoursePageFactory(parent=catalogue, title="Python za analizu podataka")
    return ModulePageFactory(
        parent=course,
        title="Pandas",
        body=[assignment_block(file_kinds=DATA_KINDS, accepts="file")],
    )


@pytest.fixture
def run(module):
    return CourseRunFactory(course=module.get_parent().specific)


@pytest.fixture
def enrolment(run):
    trainee = TraineeProfileFactory(full_name="Marija Šarić")
    return enrolment_create(trainee=trainee, run=run)


@pytest.fixture
def trainee_client(client, enrolment):
    client.force_login(enrolment.trainee.user)
    return client


def page_url(module):
    return reverse("learning:assignment", args=[module.pk, "a-1"])


def test_the_page_names_what_the_assignment_takes_and_takes_a_notebook(
    trainee_client, module
):
    page = trainee_client.get(page_url(module)).content.decode()
    assert (
        "Accepted: PDF, Word or OpenDocument documents; source code (.py, .r, .sql,"
        " .js and similar); Jupyter notebooks (.ipynb); ZIP archives; at most 20 MB."
    ) in page
    accept = page.split('accept="', 1)[1].split('"', 1)[0].split(",")
    assert {".ipynb", ".py", ".zip", ".pdf"} <= set(accept)
    assert ".png" not in accept

    response = trainee_client.post(
        page_url(module), {"file": upload("analiza.ipynb", NOTEBOOK)}
    )

    assert response.status_code == 302
    submission = AssignmentSubmission.objects.get()
    assert (submission.file_type, submission.file_name) == (
        "application/x-ipynb+json",
        "analiza.ipynb",
    )
    download = trainee_client.get(
        reverse("learning:submission_file", args=[submission.pk])
    )
    assert download["Content-Type"] == "application/x-ipynb+json"
    assert download["Content-Disposition"].startswith("attachment")


def test_a_kind_the_assignment_does_not_take_is_refused_in_words(
    trainee_client, module
):
    response = trainee_client.post(
        page_url(module), {"file": upload("graf.png", png_bytes())}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "This assignment does not take PNG or JPEG images." in page
    assert not AssignmentSubmission.objects.exists()


@pytest.mark.parametrize(
    "name, content, content_type, display_name",
    [
        ("clean.py", b"#!/usr/bin/env python3\nprint(1)\n", CODE, "clean.py"),
        ("query.SQL", b"SELECT ime FROM polaznici;", CODE, "query.sql"),
        ("index.html", b"<!doctype html><p>Page</p>", CODE, "index.html"),
        ("work.zip", archive({"a.py": b"x = 1\n"}), "application/zip", "work.zip"),
        ("report.pdf", PDF, "application/pdf", "report.pdf"),
    ],
)  # fmt: skip
def test_code_and_archives_pass_where_the_assignment_takes_them(
    name, content, content_type, display_name
):
    checked = upload_check(upload(name, content), kinds=DATA_KINDS)
    assert checked.content_type == content_type
    assert checked.display_name.lower() == display_name.lower()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("tool.py", b"\x7fELF\x02\x01\x01" + bytes(50), "Programs and scripts"),
        ("analiza.ipynb", b'{"not": "a notebook"}', "not a Jupyter notebook"),
        ("analiza.ipynb", b"print('x')", "not a Jupyter notebook"),
        ("setup.zip", archive({"setup.exe": b"MZ" + bytes(10)}), "holds programs"),
        ("bomb.zip", archive({"pad.bin": bytes(5 * 1024 * 1024)}), "zip bomb"),
        ("notes.txt", b"plain notes", "does not take plain text"),
    ],
)
def test_what_the_content_betrays_is_refused_whatever_the_assignment_takes(
    name, content, message
):
    with pytest.raises(EnrolmentError, match=message):
        upload_check(upload(name, content), kinds=DATA_KINDS)


def test_an_assignment_without_the_setting_keeps_the_safe_defaults():
    for name, content in (
        ("projekat.zip", archive({"a.py": b"x = 1\n"})),
        ("page.html", b"<!doctype html><p>x</p>"),
    ):
        with pytest.raises(EnrolmentError, match="cannot be uploaded"):
            upload_check(upload(name, content))
    # Code is plain text there, offered for download as such.
    checked = upload_check(upload("main.py", b"print(1)\n"))
    assert (checked.content_type, checked.display_name) == ("text/plain", "main.py.txt")


def test_formatting_is_explained_in_words_with_buttons_not_a_list_of_tags(
    client, catalogue
):
    course = CoursePageFactory(parent=catalogue)
    module = ModulePageFactory(parent=course, body=[assignment_block(accepts="text")])
    enrolment = enrolment_create(
        trainee=TraineeProfileFactory(), run=CourseRunFactory(course=course)
    )
    client.force_login(enrolment.trainee.user)

    page = client.get(page_url(module)).content.decode()

    assert "Write as you would in an e-mail" in page
    assert "&lt;blockquote&gt;" not in page and "<blockquote>" not in page
    assert 'data-format-toolbar="id_text"' in page
    assert 'data-wrap="strong"' in page


# --- Grading one after another ------------------------------------------------


def test_save_and_grade_next_walks_the_waiting_submissions_in_order(
    client, catalogue, django_capture_on_commit_callbacks
):
    course = CoursePageFactory(parent=catalogue)
    module = ModulePageFactory(parent=course, body=[assignment_block(accepts="text")])
    run = CourseRunFactory(course=course)
    other_run = CourseRunFactory(course=course)
    user = UserFactory()
    run.instructors.add(InstructorFactory(user=user))
    run.save()
    submissions = []
    for name in ("Ana", "Boris", "Cvijeta"):
        enrolment = enrolment_create(
            trainee=TraineeProfileFactory(full_name=name), run=run
        )
        submissions.append(
            submission_submit(
                enrolment=enrolment,
                module=module,
                assignment_id="a-1",
                text_html=f"<p>{name}</p>",
            )
        )
    # Another run's work is not this instructor's to grade next.
    submission_submit(
        enrolment=enrolment_create(trainee=TraineeProfileFactory(), run=other_run),
        module=module,
        assignment_id="a-1",
        text_html="<p>Elsewhere</p>",
    )
    client = Client()
    client.force_login(user)
    first, second, third = submissions
    url = reverse("learning:submission_grade", args=[first.pk])
    assert "Save and grade next (2 waiting)" in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "score": "80",
                "feedback": "<p><strong>Good</strong></p>",
                "grade_next": "1",
            },
        )

    assert response["Location"] == reverse(
        "learning:submission_grade", args=[second.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "Save and grade next (1 waiting)" in page
    assert 'data-format-toolbar="id_feedback"' in page
    first.refresh_from_db()
    assert first.feedback_html == "<p><strong>Good</strong></p>"
    # "Save grade" stays on the page; the last one offers no next.
    response = client.post(
        reverse("learning:submission_grade", args=[third.pk]), {"score": "50"}
    )
    assert response["Location"] == reverse("learning:submission_grade", args=[third.pk])
    last = client.get(reverse("learning:submission_grade", args=[second.pk]))
    assert "Save and grade next" not in last.content.decode()
