"""Certificates in the Wagtail admin, as an academy admin uses them: templates
with an uploaded background checked by the worker, the sample preview, the
Certificates listing and its retry / revoke / reissue, issuing a run's
certificates in bulk with live progress, the run's ZIP, and who may do what."""

import io
import json
import re
import zipfile

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from certificates import pdf
from certificates.models import Certificate, CertificateBatch, CertificateTemplate
from certificates.services import backgrounds
from certificates.services.issuing import certificate_request
from certificates.services.templates import template_save
from enrolments.models import Enrolment
from enrolments.services import enrolment_create
from tests.certificates.factories import flate_bomb_pdf, self_length_pdf
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    InstructorFactory,
    TraineeProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Status = Certificate.Status
BackgroundStatus = CertificateTemplate.BackgroundStatus

LIST_URL = "certificates_admin:list"
TEMPLATES_URL = "certificate_templates:list"


# --- Helpers -----------------------------------------------------------------


def a4_pdf(pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for number in range(pages):
        canvas.drawString(72, 72, f"Design, page {number + 1}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (11, 79, 108)).save(buffer, "PNG")
    return buffer.getvalue()


def template_form(**overrides) -> dict:
    data = {
        "name": "Completion, members",
        "kind": "completion",
        "audience": "member",
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
    return data


def upload(body: bytes, name: str = "design.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def earned(run, name="Đorđe Petrović", outcome="completion") -> Enrolment:
    """An enrolment in `run` that the completion rules awarded `outcome`."""
    enrolment = enrolment_create(trainee=TraineeProfileFactory(full_name=name), run=run)
    Enrolment.objects.filter(pk=enrolment.pk).update(outcome=outcome)
    enrolment.refresh_from_db()
    return enrolment


def fresh(certificate: Certificate) -> Certificate:
    return Certificate.objects.get(pk=certificate.pk)


def text_of(body: bytes) -> str:
    return PdfReader(io.BytesIO(body)).pages[0].extract_text()


def grant(user, *codenames: str):
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", *codenames])
    )
    return user


def url(name: str, *args) -> str:
    return reverse(f"certificates_admin:{name}", args=args)


# --- Fixtures ----------------------------------------------------------------


@pytest.fixture
def staff():
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def templates():
    return [
        CertificateTemplate.objects.create(name=f"{kind} (any)", kind=kind)
        for kind in ("completion", "attendance")
    ]


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(parent=catalogue, title="Secure coding")


@pytest.fixture
def run(course):
    return CourseRunFactory(course=course, capacity=40)


@pytest.fixture
def issue(django_capture_on_commit_callbacks, templates):
    """Request the certificate an enrolment earned and let its render task
    run (eagerly) when the transaction commits."""

    def issue(enrolment, kind=None):
        with django_capture_on_commit_callbacks(execute=True):
            certificate = certificate_request(
                enrolment=enrolment, kind=kind or enrolment.outcome
            )
        return fresh(certificate)

    return issue


@pytest.fixture
def failed(templates):
    """A certificate whose render failed (requested, its task never run)."""

    def failed(enrolment, reason="Rendering failed: the disk is full"):
        certificate = certificate_request(enrolment=enrolment, kind=enrolment.outcome)
        Certificate.objects.filter(pk=certificate.pk).update(
            status=Status.FAILED, failure_reason=reason
        )
        return fresh(certificate)

    return failed


# --- Templates: the background is checked by the worker ----------------------


def test_an_uploaded_background_is_checking_after_the_post_and_valid_after_the_check(
    admin_client, django_capture_on_commit_callbacks, monkeypatch
):
    parsed = []
    validate = pdf.validate_background
    monkeypatch.setattr(
        pdf, "validate_background", lambda body: parsed.append(1) or validate(body)
    )
    data = template_form(background=upload(a4_pdf()))
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(reverse("certificate_templates:add"), data)
    assert response.status_code == 302
    template = CertificateTemplate.objects.get()
    assert template.background_status == BackgroundStatus.CHECKING
    assert parsed == []  # the web request only stored the file
    assert len(callbacks) == 1

    callbacks[0]()  # the worker's check (eager task)
    template.refresh_from_db()
    assert parsed == [1]
    assert template.background_status == BackgroundStatus.VALID
    assert template.background_error == ""
    assert template.uses_uploaded_background


@pytest.mark.parametrize(
    "body, name, reason",
    [
        (a4_pdf(pages=2), "design.pdf", "exactly one page, not 2"),
        (png_bytes(), "photo.pdf", "not a PDF file"),
    ],
    ids=["two-pages", "png-renamed"],
)
def test_an_unusable_background_is_refused_with_the_reason_in_the_listing(
    admin_client, django_capture_on_commit_callbacks, body, name, reason
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("certificate_templates:add"),
            template_form(background=upload(body, name)),
        )
    template = CertificateTemplate.objects.get()
    assert template.background_status == BackgroundStatus.INVALID
    assert reason in template.background_error
    html = admin_client.get(reverse(TEMPLATES_URL)).content.decode()
    assert "Refused" in html
    assert reason in html
    edit = reverse("certificate_templates:edit", args=[template.pk])
    assert reason in admin_client.get(edit).content.decode()


def test_replacing_a_valid_background_checks_the_new_file_and_clearing_it_goes_back(
    admin_client, django_capture_on_commit_callbacks
):
    template = CertificateTemplate.objects.create(
        name="Attendance", kind="attendance", background_status=BackgroundStatus.VALID
    )
    template.background.save("old.pdf", ContentFile(a4_pdf()))
    edit = reverse("certificate_templates:edit", args=[template.pk])
    with django_capture_on_commit_callbacks():
        response = admin_client.post(
            edit,
            template_form(kind="attendance", background=upload(png_bytes(), "x.pdf")),
            follow=True,
        )
    assert "The background is being checked" in response.content.decode()
    template.refresh_from_db()
    assert template.background_status == BackgroundStatus.CHECKING
    assert not template.uses_uploaded_background

    admin_client.post(edit, template_form(**{"background-clear": "on"}))
    template.refresh_from_db()
    assert not template.background
    assert template.background_status == BackgroundStatus.BUILT_IN


def test_a_check_of_a_file_replaced_meanwhile_leaves_the_newer_check_to_decide():
    template = CertificateTemplate.objects.create(name="T", kind="completion")
    template.background.save("first.pdf", ContentFile(png_bytes()))
    template_save(template=template, wants_active=True, background_changed=True)
    checked_name = template.background.name
    template.background.save("second.pdf", ContentFile(a4_pdf()))

    assert backgrounds._record(template.pk, checked_name, "invalid", "x") is None
    assert backgrounds.background_check(template_id=template.pk) == "valid"


def test_a_check_that_runs_out_of_time_refuses_the_background(monkeypatch):
    class TimeUp(Exception):
        pass

    def spin(body):
        raise TimeUp

    template = CertificateTemplate.objects.create(name="T", kind="completion")
    template.background.save("slow.pdf", ContentFile(a4_pdf()))
    template_save(template=template, wants_active=True, background_changed=True)
    monkeypatch.setattr(pdf, "validate_background", spin)
    backgrounds.background_check(template_id=template.pk, time_limit_errors=(TimeUp,))
    template.refresh_from_db()
    assert template.background_status == BackgroundStatus.INVALID
    assert "took too long" in template.background_error


def test_a_background_over_5_mb_is_refused_by_the_form_unread(admin_client):
    body = b"%PDF-1.7\n" + b"0" * pdf.MAX_BACKGROUND_BYTES
    response = admin_client.post(
        reverse("certificate_templates:add"), template_form(background=upload(body))
    )
    assert response.status_code == 200
    assert "smaller than 5.0" in response.content.decode()
    assert not CertificateTemplate.objects.exists()


def test_templates_are_never_deleted(admin_client, templates):
    template = templates[0]
    base = reverse(TEMPLATES_URL)
    assert admin_client.post(f"{base}delete/{template.pk}/").status_code == 302
    delete = reverse(
        "wagtail_bulk_action", args=("certificates", "certificatetemplate", "delete")
    )
    admin_client.post(f"{delete}?id={template.pk}")
    assert CertificateTemplate.objects.filter(pk=template.pk).exists()
    assert delete not in admin_client.get(base).content.decode()


# --- Templates: a background that would not render ---------------------------


@pytest.mark.parametrize(
    "body, reason",
    [
        (flate_bomb_pdf(80), "expands to more than 75 MB"),
        (self_length_pdf(), "an object refers to itself"),
    ],
    ids=["flate-bomb", "self-referring-length"],
)
def test_a_background_that_would_not_render_is_refused_by_the_check(
    admin_client, django_capture_on_commit_callbacks, body, reason
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("certificate_templates:add"),
            template_form(background=upload(body)),
        )

    template = CertificateTemplate.objects.get()
    assert template.background_status == BackgroundStatus.INVALID
    assert reason in template.background_error
    assert not template.uses_uploaded_background
    assert not template.is_active
    page = admin_client.get(
        reverse("certificate_templates:preview", args=[template.pk])
    )
    assert page.status_code == 200
    assert reason in page.content.decode()


# --- The Certificates listing ------------------------------------------------


def listing(client, **params):
    return client.get(reverse(LIST_URL), params)


def names_in(response, names) -> set[str]:
    html = response.content.decode()
    return {name for name in names if name in html}


def test_listing_shows_each_certificate_and_filters_and_searches(
    admin_client, catalogue, run, issue, failed
):
    other = CourseRunFactory(course=CoursePageFactory(parent=catalogue, title="Go"))
    ana = issue(earned(run, "Ana Anić"))
    bojan = failed(earned(run, "Bojan Bojić", outcome="attendance"))
    ceca = issue(earned(other, "Ceca Cecić"))
    everyone = {"Ana Anić", "Bojan Bojić", "Ceca Cecić"}

    response = listing(admin_client)
    assert response.status_code == 200
    html = response.content.decode()
    assert names_in(response, everyone) == everyone
    for text in (ana.serial, "Secure coding", "Completion", "Issued", "disk is full"):
        assert text in html

    assert names_in(listing(admin_client, status="failed"), everyone) == {"Bojan Bojić"}
    assert names_in(listing(admin_client, kind="completion"), everyone) == {
        "Ana Anić",
        "Ceca Cecić",
    }
    assert names_in(listing(admin_client, run=other.pk), everyone) == {"Ceca Cecić"}
    assert names_in(listing(admin_client, course=run.course.pk), everyone) == {
        "Ana Anić",
        "Bojan Bojić",
    }
    assert names_in(listing(admin_client, q=ceca.serial), everyone) == {"Ceca Cecić"}
    assert names_in(listing(admin_client, q="bojan"), everyone) == {bojan.full_name}


def test_listing_offers_the_actions_each_status_allows(
    admin_client, run, issue, failed
):
    issued = issue(earned(run, "Ana Anić"))
    broken = failed(earned(run, "Bojan Bojić"))
    html = listing(admin_client).content.decode()
    for action in ("revoke", "reissue"):
        assert url(action, issued.pk) in html
        assert url(action, broken.pk) not in html
    assert url("retry", broken.pk) in html
    assert url("retry", issued.pk) not in html
    assert reverse("certificates:download", args=[issued.pk]) in html
    assert reverse("certificates:download", args=[broken.pk]) not in html


def test_listing_leaves_out_download_links_while_that_view_is_not_routed(
    admin_client, run, issue, monkeypatch
):
    from certificates.admin import buttons

    def unrouted(name, *args, **kwargs):
        raise NoReverseMatch(name)

    certificate = issue(earned(run))
    monkeypatch.setattr(buttons, "reverse", unrouted)
    response = listing(admin_client)
    assert response.status_code == 200
    assert f"/certificates/{certificate.pk}/download/" not in response.content.decode()


def test_listing_query_count_does_not_grow_with_rows(admin_client, run, issue, failed):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert listing(admin_client).status_code == 200
        return len(captured)

    def add(first, last):
        for i in range(first, last):
            enrolment = earned(run, f"Trainee {i}")
            issue(enrolment) if i % 2 else failed(enrolment)

    add(0, 5)
    with_five = queries()
    add(5, 20)
    assert Certificate.objects.count() == 20
    assert queries() == with_five


def test_certificates_cannot_be_added_edited_or_deleted_through_the_admin(
    admin_client, run, issue
):
    certificate = issue(earned(run))
    base = reverse(LIST_URL)
    for path in ("add/", f"edit/{certificate.pk}/", f"delete/{certificate.pk}/"):
        assert admin_client.get(base + path).status_code == 404, path
        assert admin_client.post(base + path).status_code == 404, path
    delete = reverse(
        "wagtail_bulk_action", args=("certificates", "certificate", "delete")
    )
    admin_client.post(f"{delete}?id={certificate.pk}")
    assert fresh(certificate).status == Status.ISSUED
    html = listing(admin_client).content.decode()
    assert delete not in html
    assert f'href="{base}add/"' not in html


def test_the_inspect_page_shows_a_certificate_read_only(admin_client, run, issue):
    certificate = issue(earned(run, "Јована Јовановић"))
    response = admin_client.get(url("inspect", certificate.pk))
    assert response.status_code == 200
    assert "Јована Јовановић" in response.content.decode()


def test_the_certificates_page_shows_what_can_be_done_as_visible_buttons(
    admin_client, run, issue, failed
):
    """Revoke and reissue for an issued certificate, retry for a failed one:
    buttons in the page's header, not hidden in the "…" menu."""
    issued = issue(earned(run, "Ana Anić"))
    html = admin_client.get(url("inspect", issued.pk)).content.decode()
    header = html[: html.index("</header>")]
    for action in ("revoke", "reissue"):
        assert re.search(
            rf'<a href="{re.escape(url(action, issued.pk))}\?next=[^"]*"\s+'
            r'class="w-header-button button"',
            header,
        ), action
    assert url("retry", issued.pk) not in html
    assert "Download PDF" in header

    broken = failed(earned(run, "Boris Borić"))
    header = admin_client.get(url("inspect", broken.pk)).content.decode()
    assert url("retry", broken.pk) in header and url("revoke", broken.pk) not in header


# --- Retry, revoke, reissue --------------------------------------------------


def test_retry_renders_a_failed_certificate_again(
    admin_client, run, failed, django_capture_on_commit_callbacks
):
    certificate = failed(earned(run))
    page = admin_client.get(url("retry", certificate.pk))
    assert page.status_code == 200
    assert "the disk is full" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("retry", certificate.pk), follow=True)
    assert f"{certificate.serial} is being generated again." in (
        response.content.decode()
    )
    certificate = fresh(certificate)
    assert certificate.status == Status.ISSUED
    assert certificate.failure_reason == ""


def test_only_a_failed_certificate_can_be_retried(admin_client, run, issue):
    certificate = issue(earned(run))
    response = admin_client.get(url("retry", certificate.pk), follow=True)
    assert "there is nothing to retry" in response.content.decode()
    response = admin_client.post(url("retry", certificate.pk), follow=True)
    assert "Only a failed certificate can be retried." in response.content.decode()
    assert fresh(certificate).status == Status.ISSUED


def test_revoking_needs_a_reason_and_changes_nothing_without_one(
    admin_client, run, issue
):
    certificate = issue(earned(run))
    response = admin_client.post(url("revoke", certificate.pk), {"reason": "   "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert fresh(certificate).status == Status.ISSUED


def test_revoking_with_a_reason_records_it_and_returns_to_the_filtered_listing(
    admin_client, staff, run, issue
):
    certificate = issue(earned(run))
    back = f"{reverse(LIST_URL)}?status=issued"
    response = admin_client.post(
        f"{url('revoke', certificate.pk)}?next={back}",
        {"reason": "Issued by mistake.", "next": back},
    )
    assert response.status_code == 302
    assert response["Location"] == back
    certificate = fresh(certificate)
    assert certificate.status == Status.REVOKED
    assert certificate.revocation_reason == "Issued by mistake."
    assert certificate.revoked_by == staff


def test_reissue_offers_the_current_profile_name_and_supersedes_the_old_one(
    admin_client, run, issue, django_capture_on_commit_callbacks
):
    enrolment = earned(run, "Djordje Petrovic")
    certificate = issue(enrolment)
    enrolment.trainee.full_name = "Đorđe Petrović"
    enrolment.trainee.save()
    page = admin_client.get(url("reissue", certificate.pk))
    assert 'value="Đorđe Petrović"' in page.content.decode()

    response = admin_client.post(url("reissue", certificate.pk), {"full_name": ""})
    assert "This field is required." in response.content.decode()
    assert fresh(certificate).status == Status.ISSUED

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            url("reissue", certificate.pk), {"full_name": "Đorđe Petrović"}
        )
    old = fresh(certificate)
    assert old.status == Status.SUPERSEDED
    new = old.superseded_by
    assert new.status == Status.ISSUED
    assert new.full_name == "Đorđe Petrović"
    assert new.serial != old.serial


def test_actions_on_an_unknown_certificate_are_404(admin_client):
    for action in ("retry", "revoke", "reissue"):
        assert admin_client.get(url(action, 999999)).status_code == 404


def test_a_post_without_the_csrf_token_is_refused(staff, run, issue):
    certificate = issue(earned(run))
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post(url("revoke", certificate.pk), {"reason": "Forged."})
    assert response.status_code == 403
    assert fresh(certificate).status == Status.ISSUED


# --- Issuing a run's certificates in bulk ------------------------------------


def test_issue_page_lists_the_trainees_with_outcome_and_current_certificate(
    admin_client, run, issue
):
    had = issue(earned(run, "Ana Anić"))
    earned(run, "Bojan Bojić", outcome="attendance")
    earned(run, "Ceca Cecić", outcome="none")
    response = admin_client.get(url("issue", run.pk))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Ana Anić", "Bojan Bojić", "Ceca Cecić", had.serial):
        assert text in html
    assert "Attendance certificate" in html
    assert "Not yet earned" in html
    assert "Issue for all eligible (2)" in html
    assert html.count('name="enrolments"') == 2


def test_issue_for_all_eligible_makes_a_batch_and_its_progress_counts_right(
    admin_client, run, templates, django_capture_on_commit_callbacks
):
    for name in ("Ana Anić", "Ђорђе Петровић", "Ceca Cecić"):
        earned(run, name)
    earned(run, "Dejan Dejić", outcome="attendance")
    earned(run, "Ema Emić", outcome="none")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url("issue", run.pk), {"scope": "all", "confirm": "True"}
        )
    batch = CertificateBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("batch", batch.pk)
    assert batch.run == run
    assert set(batch.certificates.values_list("status", flat=True)) == {Status.ISSUED}
    assert batch.certificates.count() == 4

    progress = admin_client.get(url("batch_progress", batch.pk)).json()
    assert progress == {
        "total": 4,
        "done": 4,
        "failed": 0,
        "pending": 0,
        "finished": True,
        "failures": [],
    }
    page = admin_client.get(url("batch", batch.pk)).content.decode()
    assert 'data-progress-url="' + url("batch_progress", batch.pk) in page
    assert "js/certificate-batch.js" in page


def test_issue_for_selected_issues_only_those_picked(
    admin_client, run, templates, django_capture_on_commit_callbacks
):
    ana, bojan = earned(run, "Ana Anić"), earned(run, "Bojan Bojić")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            url("issue", run.pk),
            {"scope": "selected", "enrolments": [bojan.pk], "confirm": "True"},
        )
    assert list(Certificate.objects.values_list("enrolment", flat=True)) == [bojan.pk]
    assert not Certificate.objects.filter(enrolment=ana).exists()


def test_issue_for_selected_with_nobody_picked_says_so_and_issues_nothing(
    admin_client, run, templates
):
    earned(run)
    response = admin_client.post(url("issue", run.pk), {"scope": "selected"})
    assert response.status_code == 200
    assert "Pick at least one trainee" in response.content.decode()
    assert not CertificateBatch.objects.exists()


def test_a_batch_lists_its_failures_with_the_reason_and_a_retry_button(
    admin_client, run, templates, django_capture_on_commit_callbacks
):
    earned(run, "Ana Anić")
    broken = earned(run, "Bojan Bojić")
    with django_capture_on_commit_callbacks():  # nothing renders yet
        admin_client.post(url("issue", run.pk), {"scope": "all", "confirm": "True"})
    batch = CertificateBatch.objects.get()
    failure = batch.certificates.get(enrolment=broken)
    Certificate.objects.filter(pk=failure.pk).update(
        status=Status.FAILED, failure_reason="Storage unavailable after 6 retries"
    )
    progress = admin_client.get(url("batch_progress", batch.pk)).json()
    assert (progress["total"], progress["done"], progress["failed"]) == (2, 0, 1)
    assert progress["pending"] == 1
    assert progress["finished"] is False
    assert progress["failures"] == [
        {
            "serial": failure.serial,
            "full_name": "Bojan Bojić",
            "reason": "Storage unavailable after 6 retries",
            "retry_url": url("retry", failure.pk),
        }
    ]
    page = admin_client.get(url("batch", batch.pk)).content.decode()
    assert "Storage unavailable after 6 retries" in page
    assert f'action="{url("retry", failure.pk)}"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url("retry", failure.pk), {"next": url("batch", batch.pk)}
        )
    assert response["Location"] == url("batch", batch.pk)
    assert fresh(failure).status == Status.ISSUED


def test_a_run_links_to_its_issue_page(admin_client, run):
    runs = admin_client.get(reverse("wagtailsnippets_courses_courserun:list"))
    assert url("issue", run.pk) in runs.content.decode()
    edit = reverse("wagtailsnippets_courses_courserun:edit", args=(run.pk,))
    html = admin_client.get(edit).content.decode()
    assert url("issue", run.pk) in html
    assert "Issue certificates" in html


# --- The run's ZIP -----------------------------------------------------------


def test_zip_has_one_pdf_per_issued_certificate_with_ascii_names(
    admin_client, catalogue, run, issue, staff
):
    from certificates.services.lifecycle import certificate_revoke

    latin = issue(earned(run, "Đorđe Petrović"))
    cyrillic = issue(earned(run, "Ђорђе Петровић"))
    revoked = issue(earned(run, "Ana Anić"))
    certificate_revoke(certificate=revoked, by=staff, reason="Mistake.")
    other = CourseRunFactory(course=CoursePageFactory(parent=catalogue))
    issue(earned(other, "Elsewhere"))

    response = admin_client.get(url("run_zip", run.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    assert sorted(archive.namelist()) == sorted(
        [
            f"{latin.serial}-Djordje-Petrovic.pdf",
            f"{cyrillic.serial}-Djordje-Petrovic.pdf",
        ]
    )
    with cyrillic.pdf.open("rb") as stored:
        assert archive.read(f"{cyrillic.serial}-Djordje-Petrovic.pdf") == stored.read()


def test_zip_of_a_run_without_certificates_is_an_empty_archive(admin_client, run):
    response = admin_client.get(url("run_zip", run.pk))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == []
    assert admin_client.get(url("run_zip", 999999)).status_code == 404


# --- Who may do what ---------------------------------------------------------


@pytest.fixture
def instructor(run):
    """An instructor of the run: admin access (for pages), no certificates."""
    user = UserFactory(is_staff=True)
    group, _ = Group.objects.get_or_create(name="Instructors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    run.instructors.add(InstructorFactory(user=user))
    return user


@pytest.mark.parametrize("who", ["staff_without_permissions", "instructor"])
def test_admin_users_without_certificate_permissions_are_turned_away(
    client, run, issue, instructor, who
):
    user = instructor if who == "instructor" else grant(UserFactory(is_staff=True))
    certificate = issue(earned(run))
    batch = CertificateBatch.objects.create(run=run)
    client.force_login(user)
    home = reverse("wagtailadmin_home")
    for page in (
        reverse(LIST_URL),
        reverse(TEMPLATES_URL),
        reverse("certificate_templates:preview", args=[certificate.template_id]),
        url("issue", run.pk),
        url("batch", batch.pk),
        url("batch_progress", batch.pk),
        url("run_zip", run.pk),
        url("revoke", certificate.pk),
    ):
        response = client.get(page)
        assert (response.status_code, response["Location"]) == (302, home), page
    xhr = client.get(
        url("batch_progress", batch.pk), HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert xhr.status_code == 403
    client.post(url("revoke", certificate.pk), {"reason": "No."})
    client.post(url("issue", run.pk), {"scope": "all", "confirm": "True"})
    assert fresh(certificate).status == Status.ISSUED
    assert CertificateBatch.objects.count() == 1
    assert (
        "Issue certificates"
        not in client.get(
            reverse("wagtailsnippets_courses_courserun:edit", args=(run.pk,))
        ).content.decode()
    )


def test_non_staff_users_are_sent_to_log_in(client, run):
    client.force_login(UserFactory())
    for page in (reverse(LIST_URL), url("issue", run.pk), url("run_zip", run.pk)):
        response = client.get(page)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_who_may_only_view_sees_the_listing_without_actions(client, run, issue):
    certificate = issue(earned(run))
    client.force_login(grant(UserFactory(is_staff=True), "view_certificate"))
    html = listing(client).content.decode()
    assert certificate.serial in html
    assert url("revoke", certificate.pk) not in html
    assert client.get(url("run_zip", run.pk)).status_code == 200
    assert client.get(url("issue", run.pk)).status_code == 302
    client.post(url("revoke", certificate.pk), {"reason": "No."})
    assert fresh(certificate).status == Status.ISSUED


def test_add_and_change_permissions_issue_and_manage(
    client, run, templates, django_capture_on_commit_callbacks
):
    user = grant(
        UserFactory(is_staff=True),
        "view_certificate",
        "add_certificate",
        "change_certificate",
    )
    earned(run)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("issue", run.pk), {"scope": "all", "confirm": "True"}
        )
    certificate = Certificate.objects.get()
    assert response.status_code == 302
    assert certificate.status == Status.ISSUED
    client.post(url("revoke", certificate.pk), {"reason": "Duplicate."})
    assert fresh(certificate).status == Status.REVOKED
    progress = client.get(url("batch_progress", certificate.batch_id))
    assert json.loads(progress.content)["done"] == 1


def test_a_check_that_cannot_read_storage_retries_then_refuses(monkeypatch):
    from academy_site.celery import app
    from certificates.tasks import check_template_background

    # Eager retries run at once, as a worker runs them after the backoff;
    # with errors propagating, Celery would raise the first Retry instead.
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    attempts = []

    def unreachable(**kwargs):
        attempts.append(1)
        raise ConnectionRefusedError("storage is down")

    template = CertificateTemplate.objects.create(
        name="T",
        kind="completion",
        background_status=BackgroundStatus.CHECKING,
        is_active=False,
    )
    monkeypatch.setattr(backgrounds, "background_check", unreachable)
    check_template_background.delay(template.pk)
    template.refresh_from_db()
    assert len(attempts) == 1 + check_template_background.max_retries
    assert template.background_status == BackgroundStatus.INVALID
    assert "could not be read from storage" in template.background_error
