"""Certificates and a trainee's privacy: their certificates in "Your data",
and what an erasure does to them by the course's policy: the name kept (and
the PDF), or withheld with the PDF deleted. Verification by code works either
way, and a holder's old PDF of a withheld certificate still verifies by
upload, saying that the holder's data was erased."""

import html
import io

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from certificates.models import Certificate
from certificates.services.erasure import NOT_GENERATED
from certificates.services.issuing import certificate_request
from certificates.services.rendering import certificate_generate
from enrolments.services import trainee_erase
from enrolments.services.privacy import AlreadyErased
from tests.certificates.factories import (
    certificate_template,
    completed_enrolment,
    issue_certificate,
    pdf_bytes,
)
from tests.factories import TraineeProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

NAME = "Đorđe Petrović"
EMAIL = "djordje@example.rs"
WITHHELD = "Name withheld (personal data erased)"
ERASED_HOLDER = (
    "This file is a genuine certificate issued by the academy, but its holder's "
    "personal data has since been erased."
)
GENUINE = "This file is a genuine certificate issued by the academy."


def page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def trainee():
    user = UserFactory(username=EMAIL, email=EMAIL)
    return TraineeProfileFactory(user=user, full_name=NAME)


@pytest.fixture
def hidden(catalogue, trainee, django_capture_on_commit_callbacks):
    """An issued certificate of a course that does not keep names (the default)."""
    enrolment = completed_enrolment(catalogue, trainee=trainee, title="Kubernetes")
    return issue_certificate(django_capture_on_commit_callbacks, enrolment=enrolment)


@pytest.fixture
def kept(catalogue, trainee, django_capture_on_commit_callbacks):
    """An issued certificate of a course that keeps names after erasure."""
    enrolment = completed_enrolment(
        catalogue,
        trainee=trainee,
        title="Safety at heights",
        keep_name_after_erasure=True,
    )
    return issue_certificate(django_capture_on_commit_callbacks, enrolment=enrolment)


@pytest.fixture
def eraser():
    return UserFactory(is_superuser=True, is_staff=True)


def erase(trainee, eraser, capture):
    with capture(execute=True):
        return trainee_erase(trainee=trainee, by=eraser)


def post_file(client, content: bytes):
    handle = io.BytesIO(content)
    handle.name = "certificate.pdf"
    return client.post("/en/verify/", {"file": handle})


# --- Your data ---------------------------------------------------------------------


def test_your_data_lists_the_trainees_certificates_only(
    client, trainee, hidden, catalogue, django_capture_on_commit_callbacks
):
    someone_else = TraineeProfileFactory(full_name="Milena Jovanović")
    theirs = issue_certificate(
        django_capture_on_commit_callbacks,
        enrolment=completed_enrolment(catalogue, trainee=someone_else),
    )
    client.force_login(trainee.user)

    data = page(client.get(reverse("accounts:data")))

    assert hidden.serial in data
    assert hidden.get_absolute_url() in data
    assert reverse("certificates:download", args=[hidden.pk]) in data
    assert "Issued" in data
    assert theirs.serial not in data
    assert "Milena" not in data


# --- Erasure: the course does not keep names ------------------------------------------


def test_erasure_withholds_the_name_and_deletes_the_pdf(
    trainee, hidden, eraser, django_capture_on_commit_callbacks
):
    pdf_name, digest = hidden.pdf.name, hidden.sha256
    assert default_storage.exists(pdf_name)

    counts = erase(trainee, eraser, django_capture_on_commit_callbacks)

    hidden.refresh_from_db()
    assert hidden.status == Certificate.Status.ISSUED
    assert hidden.full_name == f"Erased trainee #{trainee.pk}"
    assert hidden.holder_erased_at is not None
    assert not hidden.pdf
    assert hidden.sha256 == digest  # the holder's copy still verifies
    assert not default_storage.exists(pdf_name)
    assert counts["certificates_name_withheld"] == 1
    assert counts["certificates_name_kept"] == 0


def test_verification_by_code_withholds_the_name_but_still_proves_the_rest(
    client, trainee, hidden, eraser, django_capture_on_commit_callbacks
):
    erase(trainee, eraser, django_capture_on_commit_callbacks)

    response = client.get(hidden.get_absolute_url())

    assert response.status_code == 200
    text = page(response)
    assert WITHHELD in text
    assert "personal data was erased" in text
    assert hidden.serial in text
    assert "Kubernetes" in text
    assert "Valid" in text
    for secret in (NAME, "Đorđe", EMAIL, "Erased trainee"):
        assert secret not in text


def test_an_old_pdf_of_a_withheld_certificate_verifies_as_erased(
    client, trainee, hidden, eraser, django_capture_on_commit_callbacks
):
    old_copy = pdf_bytes(hidden)
    erase(trainee, eraser, django_capture_on_commit_callbacks)

    text = page(post_file(client, old_copy))

    assert ERASED_HOLDER in text
    assert WITHHELD in text
    assert hidden.serial in text
    assert NAME not in text


def test_the_withheld_pdf_can_no_longer_be_downloaded(
    trainee, hidden, eraser, django_capture_on_commit_callbacks
):
    erase(trainee, eraser, django_capture_on_commit_callbacks)
    admin = Client()
    admin.force_login(eraser)

    url = reverse("certificates:download", args=[hidden.pk])
    assert admin.get(url).status_code == 404


def test_a_certificate_still_being_made_is_not_generated_after_erasure(
    catalogue, trainee, eraser, django_capture_on_commit_callbacks
):
    certificate_template()
    enrolment = completed_enrolment(catalogue, trainee=trainee)
    with django_capture_on_commit_callbacks(execute=False):  # the render waits
        pending = certificate_request(enrolment=enrolment, kind="completion")

    erase(trainee, eraser, django_capture_on_commit_callbacks)
    certificate_generate(certificate_id=pending.pk)  # the render task runs late

    pending.refresh_from_db()
    assert pending.status == Certificate.Status.FAILED
    assert pending.failure_reason == NOT_GENERATED
    assert not pending.pdf
    assert NAME not in pending.full_name


def test_the_audit_log_of_a_withheld_certificate_no_longer_names_the_holder(
    trainee, hidden, eraser, django_capture_on_commit_callbacks
):
    erase(trainee, eraser, django_capture_on_commit_callbacks)

    for entry in ModelLogEntry.objects.all():
        assert NAME not in entry.label
        assert NAME not in str(entry.data)


def test_erasing_twice_leaves_the_withheld_certificate_as_it_is(
    trainee, hidden, eraser, django_capture_on_commit_callbacks
):
    erase(trainee, eraser, django_capture_on_commit_callbacks)
    hidden.refresh_from_db()
    erased_at = hidden.holder_erased_at

    with pytest.raises(AlreadyErased):
        erase(trainee, eraser, django_capture_on_commit_callbacks)

    hidden.refresh_from_db()
    assert hidden.holder_erased_at == erased_at


# --- Erasure: the course keeps names --------------------------------------------------


def test_a_course_that_keeps_names_keeps_name_and_pdf(
    client, trainee, kept, hidden, eraser, django_capture_on_commit_callbacks
):
    old_copy = pdf_bytes(kept)

    counts = erase(trainee, eraser, django_capture_on_commit_callbacks)

    kept.refresh_from_db()
    assert kept.full_name == NAME
    assert kept.holder_erased_at is None
    assert default_storage.exists(kept.pdf.name)
    assert counts["certificates_name_kept"] == 1
    by_code = page(client.get(kept.get_absolute_url()))
    assert NAME in by_code
    assert WITHHELD not in by_code
    assert "Safety at heights" in by_code
    by_file = page(post_file(client, old_copy))
    assert GENUINE in by_file
    assert NAME in by_file


def test_the_erasure_page_says_which_certificates_keep_the_name(
    trainee, kept, hidden, eraser
):
    admin = Client()
    admin.force_login(eraser)

    text = page(admin.get(reverse("trainee_erase", args=[trainee.pk])))

    assert (
        "Name withheld and PDF deleted (the course does not keep names), still "
        f"verifiable by code: {hidden.serial} (Kubernetes)"
    ) in text
    assert f"Name and PDF kept (the course keeps names): {kept.serial}" in text


# --- After erasure: nothing new reaches the erased trainee --------------------------


def test_no_new_certificate_is_issued_to_an_erased_trainee(
    catalogue, trainee, kept, eraser, django_capture_on_commit_callbacks
):
    from certificates.models import Kind
    from certificates.services.errors import CertificateError
    from certificates.services.lifecycle import certificate_reissue

    other = completed_enrolment(catalogue, trainee=trainee, title="Go")
    erase(trainee, eraser, django_capture_on_commit_callbacks)

    with pytest.raises(CertificateError, match="erased"):
        certificate_request(enrolment=other, kind=Kind.COMPLETION)
    with pytest.raises(CertificateError, match="erased"):
        certificate_reissue(certificate=kept, by=eraser)

    assert not Certificate.objects.filter(enrolment=other).exists()
    kept.refresh_from_db()
    assert kept.status == Certificate.Status.ISSUED
    # A repeated request for a certificate that exists is still a no-op.
    assert certificate_request(enrolment=kept.enrolment, kind=kept.kind) == kept


def test_the_certificate_email_is_not_sent_after_erasure(
    catalogue,
    trainee,
    eraser,
    mailoutbox,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    from kombu.exceptions import OperationalError

    from academy_site.outbox.models import OutboundEmail
    from academy_site.outbox.services import email_send
    from academy_site.outbox.tasks import send_outbound_email

    def broker_down(*args):
        raise OperationalError("Connection refused.")

    # The e-mail waits in the outbox (its task never reached a worker).
    monkeypatch.setattr(send_outbound_email, "delay", broker_down)
    enrolment = completed_enrolment(
        catalogue, trainee=trainee, keep_name_after_erasure=True
    )
    certificate = issue_certificate(
        django_capture_on_commit_callbacks, enrolment=enrolment
    )
    email = OutboundEmail.objects.get(dedupe_key=f"certificate:{certificate.pk}")
    assert email.status == OutboundEmail.Status.QUEUED
    erase(trainee, eraser, django_capture_on_commit_callbacks)
    mailoutbox.clear()

    assert email_send(email_id=email.pk) is False
    assert mailoutbox == []
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.CANCELLED


def test_the_runs_zip_leaves_out_withheld_certificates(
    client, catalogue, trainee, hidden, eraser, django_capture_on_commit_callbacks
):
    import zipfile

    other = issue_certificate(
        django_capture_on_commit_callbacks,
        enrolment=completed_enrolment(catalogue, title="Other"),
    )
    from certificates.services.issuing import certificate_request as request
    from enrolments.services import enrolment_create
    from tests.factories import TraineeProfileFactory as Trainees

    # A second holder in the same run as the withheld certificate.
    neighbour = enrolment_create(trainee=Trainees(), run=hidden.enrolment.run)
    type(neighbour).objects.filter(pk=neighbour.pk).update(outcome="completion")
    with django_capture_on_commit_callbacks(execute=True):
        kept_one = request(enrolment=neighbour, kind=hidden.kind)
    kept_one.refresh_from_db()
    erase(trainee, eraser, django_capture_on_commit_callbacks)
    client.force_login(eraser)

    response = client.get(
        reverse("certificates_admin:run_zip", args=[hidden.enrolment.run_id])
    )

    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert len(names) == 1 and names[0].startswith(kept_one.serial)
    assert other.serial not in " ".join(names)
