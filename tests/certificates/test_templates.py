"""Certificate templates that work the first time: a template with a new
background is active only once the worker's check passes (and then only if
the admin asked), a refused file never becomes active and its reason is
shown, and while a check runs the other active template, or this one with the
built-in design, serves."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image
from wagtail.models import ModelLogEntry

from certificates import audit
from certificates.models import CertificateTemplate, Kind
from certificates.services import backgrounds
from certificates.services.errors import CertificateError
from certificates.services.issuing import template_for
from certificates.services.templates import template_save
from tests.certificates.factories import CertificateTemplateFactory, background_pdf
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
BackgroundStatus = CertificateTemplate.BackgroundStatus
ADD = "certificate_templates:add"
LIST = "certificate_templates:list"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (11, 79, 108)).save(buffer, "PNG")
    return buffer.getvalue()


def form(**overrides) -> dict:
    data = {
        "name": "Completion, everyone",
        "kind": "completion",
        "audience": "any",
        "language": "en",
        "heading": "Certificate of completion",
        "statement": "has successfully completed the course",
        "signatory_1_name": "Milica Đorđević",
        "signatory_1_title": "Director",
        "signatory_2_name": "",
        "signatory_2_title": "",
        "is_active": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def upload(body: bytes, name: str = "design.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def edit_url(template) -> str:
    return reverse("certificate_templates:edit", args=[template.pk])


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def pick(language="en"):
    return template_for(kind=Kind.COMPLETION, is_member=False, language=language)


# --- The check decides ---------------------------------------------------------


def test_a_png_renamed_pdf_is_never_active_and_the_reason_is_shown(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        admin_client.post(
            reverse(ADD), form(background=upload(png_bytes(), "photo.pdf"))
        )
    template = CertificateTemplate.objects.get()
    # Saved, but not in use while the worker has not looked at the file.
    assert (template.background_status, template.is_active) == ("checking", False)
    assert template.activate_when_valid

    for callback in callbacks:
        callback()  # the worker's check (an eager task)
    template.refresh_from_db()
    assert template.background_status == BackgroundStatus.INVALID
    assert "not a PDF file" in template.background_error
    assert (template.is_active, template.activate_when_valid) == (False, False)
    with pytest.raises(CertificateError):
        pick()

    listing = admin_client.get(reverse(LIST)).content.decode()
    assert "Refused" in listing and "not a PDF file" in listing
    assert "Inactive" in listing
    page = admin_client.get(edit_url(template)).content.decode()
    assert "not a PDF file" in page
    assert "The template is inactive" in page


def test_a_refused_template_cannot_be_ticked_active_without_a_new_file(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse(ADD), form(background=upload(png_bytes(), "photo.pdf"))
        )
    template = CertificateTemplate.objects.get()

    response = admin_client.post(edit_url(template), form(name="Renamed"))

    assert response.status_code == 200
    assert "cannot be active" in response.content.decode()
    template.refresh_from_db()
    assert (template.name, template.is_active) == ("Completion, everyone", False)
    with pytest.raises(CertificateError):
        template_save(template=template, wants_active=True, background_changed=False)


def test_a_good_upload_becomes_active_when_the_check_passes(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(
            reverse(ADD), form(background=upload(background_pdf())), follow=True
        )
    assert "becomes active when the check passes" in response.content.decode()
    template = CertificateTemplate.objects.get()
    listing = admin_client.get(reverse(LIST)).content.decode()
    assert "Active once the check passes" in listing

    for callback in callbacks:
        callback()
    template.refresh_from_db()
    assert template.background_status == BackgroundStatus.VALID
    assert (template.is_active, template.activate_when_valid) == (True, False)
    assert template.uses_uploaded_background
    assert pick() == template


def test_the_check_service_activates_only_what_the_admin_asked_for():
    wanted = CertificateTemplateFactory(name="Wanted")
    unwanted = CertificateTemplateFactory(name="Unwanted")
    for template, wants in ((wanted, True), (unwanted, False)):
        template.background.save("design.pdf", ContentFile(background_pdf()))
        template_save(template=template, wants_active=wants, background_changed=True)

    for template in (wanted, unwanted):
        assert backgrounds.background_check(template_id=template.pk) == "valid"
        template.refresh_from_db()
    assert wanted.is_active and not unwanted.is_active
    assert not wanted.activate_when_valid


def test_the_database_refuses_an_active_template_with_an_unchecked_background():
    for status in (BackgroundStatus.CHECKING, BackgroundStatus.INVALID):
        with pytest.raises(IntegrityError), transaction.atomic():
            CertificateTemplateFactory(background_status=status, is_active=True)
    template = CertificateTemplateFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificateTemplate.objects.filter(pk=template.pk).update(
            background_status=BackgroundStatus.CHECKING
        )


# --- While a check runs --------------------------------------------------------


def test_a_new_background_on_an_active_template_waits_and_another_serves(
    django_capture_on_commit_callbacks,
):
    current = CertificateTemplateFactory(name="Current")
    other = CertificateTemplateFactory(name="Other, same language")
    assert pick() == current

    current.background.save("new.pdf", ContentFile(background_pdf()), save=False)
    with django_capture_on_commit_callbacks() as callbacks:
        template_save(template=current, wants_active=True, background_changed=True)
    current.refresh_from_db()
    assert (current.is_active, current.background_status) == (False, "checking")
    assert pick() == other

    for callback in callbacks:
        callback()
    current.refresh_from_db()
    assert current.is_active and current.uses_uploaded_background
    assert pick() == current


def test_with_no_other_active_template_the_one_being_checked_serves_built_in():
    template = CertificateTemplateFactory()
    template.background.save("new.pdf", ContentFile(png_bytes()), save=False)
    template_save(template=template, wants_active=True, background_changed=True)

    chosen = pick()

    assert chosen == template
    assert not chosen.uses_uploaded_background  # the built-in design

    backgrounds.background_check(template_id=template.pk)  # refused
    with pytest.raises(CertificateError):
        pick()


def test_an_active_template_in_another_language_loses_to_one_being_checked():
    english = CertificateTemplateFactory(language="en")
    serbian = CertificateTemplateFactory(language="sr-latn")
    serbian.background.save("new.pdf", ContentFile(background_pdf()), save=False)
    template_save(template=serbian, wants_active=True, background_changed=True)

    assert pick("sr-latn") == serbian
    assert pick("en") == english


# --- The template's history ----------------------------------------------------


def test_the_checks_verdicts_are_in_the_templates_history():
    passed = CertificateTemplateFactory(name="Good")
    refused = CertificateTemplateFactory(name="Bad")
    passed.background.save("a.pdf", ContentFile(background_pdf()), save=False)
    refused.background.save("b.pdf", ContentFile(png_bytes()), save=False)
    for template in (passed, refused):
        template_save(template=template, wants_active=True, background_changed=True)
        backgrounds.background_check(template_id=template.pk)

    entries = {
        entry.object_id: entry
        for entry in ModelLogEntry.objects.filter(
            action__in=[audit.TEMPLATE_CHECKED, audit.TEMPLATE_REFUSED]
        )
    }
    assert entries[str(passed.pk)].action == audit.TEMPLATE_CHECKED
    assert entries[str(passed.pk)].data["activated"] is True
    assert entries[str(refused.pk)].action == audit.TEMPLATE_REFUSED
    assert "not a PDF file" in entries[str(refused.pk)].data["reason"]
    assert entries[str(refused.pk)].user is None  # the worker, "system"


def test_saving_a_form_read_before_the_check_keeps_the_checks_verdict():
    template = CertificateTemplateFactory()
    template.background.save("new.pdf", ContentFile(background_pdf()), save=False)
    template_save(template=template, wants_active=True, background_changed=True)
    stale = CertificateTemplate.objects.get(pk=template.pk)  # the form's copy
    backgrounds.background_check(template_id=template.pk)  # the worker: valid

    stale.heading = "Certificate of excellence"
    template_save(template=stale, wants_active=True, background_changed=False)

    template.refresh_from_db()
    assert template.background_status == BackgroundStatus.VALID
    assert template.is_active and template.heading == "Certificate of excellence"
