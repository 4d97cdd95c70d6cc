"""Names on certificates print as typed: transliterated into Cyrillic only when
every letter is Serbian, and with no invisible or direction-changing character
that would show one name on the PDF and another on the verification page."""

import io

import pytest
from pypdf import PdfReader

from certificates.models import Certificate, CertificateTemplate, Kind
from certificates.selectors import printed_name
from certificates.services.issuing import certificate_request
from certificates.services.lifecycle import certificate_reissue
from tests.certificates.factories import CertificateTemplateFactory, earned_enrolment
from tests.factories import TraineeProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    def issue(enrolment):
        with django_capture_on_commit_callbacks(execute=True):
            certificate = certificate_request(enrolment=enrolment, kind=Kind.COMPLETION)
        certificate.refresh_from_db()
        return certificate

    return issue


def pdf_text(certificate: Certificate) -> str:
    with certificate.pdf.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()


@pytest.mark.parametrize(
    "typed, printed",
    [
        ("Đorđe Petrović", "Ђорђе Петровић"),
        ("Jelena Krstić Ðokić", "Јелена Крстић Ђокић"),
        ("Zoë Ñúñez-Ålberg", "Zoë Ñúñez-Ålberg"),
        ("Jürgen Müller-Đurić", "Jürgen Müller-Đurić"),
        ("Walter Nowak", "Walter Nowak"),
        ("Юлия Щербакова", "Юлия Щербакова"),
    ],
)
def test_a_cyrillic_certificate_transliterates_only_serbian_names(
    catalogue, issue, typed, printed
):
    CertificateTemplateFactory(language=CertificateTemplate.Language.SERBIAN_CYRILLIC)
    trainee = TraineeProfileFactory(full_name=typed, preferred_language="sr")

    certificate = issue(earned_enrolment(catalogue, trainee=trainee))

    assert certificate.language == "sr"
    assert certificate.full_name == typed  # the record: as typed
    assert printed in pdf_text(certificate)


def test_a_latin_certificate_prints_a_russian_name_as_typed():
    assert printed_name("Юлия Щербакова", "sr-latn") == "Юлия Щербакова"
    assert printed_name("Љубица Џаковић", "sr-latn") == "Ljubica Džaković"


def test_an_old_record_with_an_override_reads_the_same_on_the_pdf_and_the_page(
    client, catalogue, issue
):
    CertificateTemplateFactory()
    # Typed before such names were refused; the record keeps what was typed.
    trainee = TraineeProfileFactory(full_name="Marko \u202ećivorteP\u202c\u200b")

    certificate = issue(earned_enrolment(catalogue, trainee=trainee))

    text = pdf_text(certificate)
    page = client.get(certificate.get_absolute_url()).content.decode()
    assert "Marko ćivorteP" in text
    assert "Marko ćivorteP" in page
    for control in ("\u202e", "\u202c", "\u200b"):
        assert control not in text and control not in page


def test_a_reissue_drops_invisible_characters_from_the_corrected_name(
    catalogue, issue, django_capture_on_commit_callbacks
):
    CertificateTemplateFactory()
    old = issue(earned_enrolment(catalogue))
    admin = UserFactory(is_staff=True)

    with django_capture_on_commit_callbacks(execute=True):
        new = certificate_reissue(
            certificate=old, by=admin, full_name="\ufeffĐorđe\u2060 \u202ePetrović"
        )

    assert new.full_name == "Đorđe Petrović"
