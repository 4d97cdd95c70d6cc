"""axe-core (vendored from the npm registry in tests/browser/vendor/) run in
Chromium on the public pages: no violation of WCAG 2.1 A/AA or axe's best
practices may be serious or critical; moderate and minor ones are printed."""

import pytest

from certificates.models import Certificate, Kind
from certificates.services.issuing import certificate_request
from enrolments.models import Enrolment
from enrolments.services import enrolment_create
from tests.browser.conftest import (
    axe_violations,
    describe_violations,
    log_in_to_site,
)
from tests.factories import TraineeProfileFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BLOCKING = {"serious", "critical"}
EMAIL = "djordje.petrovic@panonijasoft.example"


@pytest.fixture
def trainee_with_certificate(academy):
    """A trainee enrolled in the open run (module pages and My learning) who
    also holds an issued certificate (the verification page)."""
    trainee = TraineeProfileFactory(
        user=UserFactory(username=EMAIL, email=EMAIL),
        full_name="Đorđe Petrović",
        organisation=academy.member,
    )
    enrolment = enrolment_create(trainee=trainee, run=academy.run)
    Enrolment.objects.filter(pk=enrolment.pk).update(outcome="completion")
    # Rendered in this process when the request commits (eager tasks).
    certificate = certificate_request(enrolment=enrolment, kind=Kind.COMPLETION)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ISSUED
    return certificate


def check(page, path: str) -> list[dict]:
    """Open `path`, run axe, print what is not blocking; return what is."""
    page.goto(path)
    violations = axe_violations(page)
    others = [v for v in violations if v["impact"] not in BLOCKING]
    if others:
        print(f"\naxe on {path}, not blocking:\n{describe_violations(others)}")
    return [dict(v, page=path) for v in violations if v["impact"] in BLOCKING]


def test_public_pages_have_no_serious_accessibility_violations(
    new_page, academy, trainee_with_certificate
):
    visitor = new_page()
    blocking = []
    for path in [
        "/",
        academy.catalogue.url,
        f"{academy.catalogue.url}?q=Kubernetes&topic=cloud-devops",
        academy.course.url,
        "/account/sign-up/",
        "/account/log-in/",
        trainee_with_certificate.get_absolute_url(),
        "/verify/",
    ]:
        blocking += check(visitor, path)

    trainee = new_page()
    log_in_to_site(trainee, email=EMAIL)
    for path in [
        "/learning/",
        academy.course.url,
        academy.modules[0].url,
        academy.modules[1].url,
    ]:
        blocking += check(trainee, path)

    assert not blocking, (
        describe_violations(blocking)
        + "\non "
        + ", ".join(sorted({v["page"] for v in blocking}))
    )


def test_the_check_catches_a_missing_alt_text_and_an_unlabelled_field(browser):
    """The check itself: a page with known faults must fail it."""
    page = browser.new_page()
    page.set_content(
        '<!doctype html><html lang="en"><head><title>Bad</title></head><body>'
        '<main><h1>Bad</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<form><input type="text" name="q"></form></main></body></html>'
    )
    violations = axe_violations(page)
    page.close()
    blocking = {v["id"] for v in violations if v["impact"] in BLOCKING}
    assert {"image-alt", "label"} <= blocking, describe_violations(violations)
