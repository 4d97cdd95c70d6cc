"""A template's preview: sample certificates (a Serbian Latin and a Cyrillic
name, a long course title) rendered by the worker, stored privately, shown in
the admin once ready and rendered again only when the template changes."""

import dataclasses
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from certificates import pdf
from certificates.models import CertificateTemplate, TemplatePreview
from certificates.services import backgrounds, previews
from certificates.services.dispatch import RENDER_TEMPLATE_PREVIEW
from certificates.services.rendering import SAMPLE_COURSE
from certificates.services.templates import template_save
from tests.certificates.factories import (
    CertificateTemplateFactory,
    background_pdf,
    flate_bomb_pdf,
)
from tests.factories import InstructorFactory, TraineeProfileFactory, UserFactory

pytestmark = pytest.mark.django_db
BackgroundStatus = CertificateTemplate.BackgroundStatus
LATIN, CYRILLIC = "Đorđe Šćepanović-Žižić", "Љубица Његош-Ђурић"


def page_url(template) -> str:
    return reverse("certificate_templates:preview", args=[template.pk])


def state_url(template) -> str:
    return reverse("certificate_templates:preview_state", args=[template.pk])


def pdf_url(template) -> str:
    return reverse("certificate_templates:preview_pdf", args=[template.pk])


def texts(body: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(body)).pages]


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def dispatched(monkeypatch):
    """The tasks queued after commit, by name, instead of being run."""
    queued = []
    monkeypatch.setattr(
        previews, "task_on_commit", lambda name, *args: queued.append((name, *args))
    )
    return queued


def test_the_worker_renders_the_samples_and_the_page_shows_them(
    admin_client, django_capture_on_commit_callbacks
):
    template = CertificateTemplateFactory(heading="Sertifikat o završenom kursu")
    with django_capture_on_commit_callbacks() as callbacks:
        page = admin_client.get(page_url(template))
    assert page.status_code == 200
    assert "Rendering preview…" in page.content.decode()
    assert admin_client.get(state_url(template)).json()["state"] == "rendering"
    assert len(callbacks) == 1

    callbacks[0]()  # the worker (an eager task)

    state = admin_client.get(state_url(template)).json()
    assert state["state"] == "ready" and state["waiting"] is False
    assert state["pdf_url"].startswith(pdf_url(template))
    page = admin_client.get(page_url(template)).content.decode()
    assert f'src="{state["pdf_url"]}"' in page
    response = admin_client.get(pdf_url(template))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    latin_page, cyrillic_page = texts(body_of(response))
    assert LATIN in latin_page and CYRILLIC in cyrillic_page
    for text in (latin_page, cyrillic_page):
        assert "Sertifikat o završenom kursu" in text
        assert "Kubernetes (sample course)" in text.replace("\n", " ")
    assert len(SAMPLE_COURSE) > 100


def test_a_cyrillic_template_prints_both_names_in_cyrillic(
    admin_client, django_capture_on_commit_callbacks
):
    template = CertificateTemplateFactory(language="sr", heading="Сертификат")
    with django_capture_on_commit_callbacks(execute=True):  # the worker
        previews.template_preview_request(template=template)

    latin_page, cyrillic_page = texts(body_of(admin_client.get(pdf_url(template))))

    assert "Ђорђе Шћепановић-Жижић" in latin_page
    assert CYRILLIC in cyrillic_page


def test_an_unchanged_template_is_rendered_once_and_a_changed_one_again(dispatched):
    template = CertificateTemplateFactory()
    previews.template_preview_request(template=template)
    previews.template_preview_request(template=template)
    assert dispatched == [(RENDER_TEMPLATE_PREVIEW, template.pk)]
    assert previews.template_preview_render(template_id=template.pk) == "ready"
    first = TemplatePreview.objects.get().pdf.name
    # A second delivery of the same task is a no-op.
    assert previews.template_preview_render(template_id=template.pk) == "ready"
    assert TemplatePreview.objects.get().pdf.name == first

    template.heading = "Certificate of excellence"
    template_save(template=template, wants_active=True, background_changed=False)

    assert len(dispatched) == 2
    previews.template_preview_render(template_id=template.pk)
    preview = TemplatePreview.objects.get()
    assert preview.pdf.name != first
    assert preview.template_updated_at == template.updated_at
    with preview.pdf.open("rb") as handle:
        assert "Certificate of excellence" in texts(handle.read())[0]
    assert not preview.pdf.storage.exists(first)


def test_an_upload_is_previewed_only_after_its_check_passes(
    admin_client, dispatched, monkeypatch
):
    template = CertificateTemplateFactory()
    template.background.save("design.pdf", ContentFile(background_pdf()), save=False)
    template_save(template=template, wants_active=True, background_changed=True)
    with monkeypatch.context() as patched:
        patched.setattr(pdf, "prepare_background", pytest.fail)

        page = admin_client.get(page_url(template)).content.decode()

        assert "preview is rendered once the check passes" in page
        assert dispatched == []
        assert previews.template_preview_render(template_id=template.pk) is None

    backgrounds.background_check(template_id=template.pk)
    assert dispatched == [(RENDER_TEMPLATE_PREVIEW, template.pk)]
    assert previews.template_preview_render(template_id=template.pk) == "ready"
    assert admin_client.get(state_url(template)).json()["state"] == "ready"


def test_a_background_that_fails_to_render_says_why_and_can_be_tried_again(
    admin_client, dispatched
):
    # Marked valid by a check that did not yet prepare the background.
    template = CertificateTemplate.objects.create(
        name="Old check", kind="completion", background_status=BackgroundStatus.VALID
    )
    template.background.save("design.pdf", ContentFile(flate_bomb_pdf(80)))

    admin_client.get(page_url(template))
    previews.template_preview_render(template_id=template.pk)

    state = admin_client.get(state_url(template)).json()
    assert state["state"] == "failed"
    assert "could not be rendered" in state["message"]
    assert "75 MB" in state["message"]
    assert admin_client.get(pdf_url(template)).status_code == 404
    admin_client.get(page_url(template))
    assert len(dispatched) == 1  # a failed version is not retried by itself
    response = admin_client.post(page_url(template))
    assert response.status_code == 302
    assert len(dispatched) == 2


@pytest.fixture
def instructor():
    user = UserFactory(is_staff=True)
    group, _ = Group.objects.get_or_create(name="Instructors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    InstructorFactory(user=user)
    return user


@pytest.mark.parametrize("who", ["trainee", "instructor"])
def test_trainees_and_instructors_cannot_see_a_preview(
    client, instructor, who, django_capture_on_commit_callbacks
):
    template = CertificateTemplateFactory()
    with django_capture_on_commit_callbacks(execute=True):  # the worker
        previews.template_preview_request(template=template)
    assert TemplatePreview.objects.get().pdf
    user = instructor if who == "instructor" else TraineeProfileFactory().user
    client.force_login(user)

    for url in (page_url(template), state_url(template), pdf_url(template)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "application/pdf" not in response.get("Content-Type", "")
    xhr = client.get(state_url(template), HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert xhr.status_code == 403
    assert client.post(page_url(template)).status_code == 302


def test_a_long_course_title_wraps_inside_the_page():
    """The preview's long sample title showed a title shrunk onto one line
    running past the page's edges: it wraps instead, every word kept."""
    title = ("Secure Development and Threat Modelling of Cloud-Native Services " * 4)[
        :255
    ]
    data = dataclasses.replace(pdf.SAMPLE, course_title=title.strip())
    body = pdf.certificate_pdf(data, pdf.default_background())
    page = PdfReader(io.BytesIO(body)).pages[0]
    width = float(page.mediabox.width)
    starts = []

    def visit(text, cm, tm, font_dict, font_size):
        if "Threat" in text or "Cloud" in text:
            starts.append((tm[4] * cm[0] + cm[4], font_size * tm[0]))

    text = page.extract_text(visitor_text=visit)
    assert " ".join(title.split()) in " ".join(text.split())
    assert len(starts) >= 3  # wrapped onto several lines
    for x, size in starts:
        assert 40 < x < width - 40
        assert size >= 12
