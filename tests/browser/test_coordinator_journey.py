"""An organisation's coordinator, in Chromium against the live site: invites a
colleague by e-mail (who signs up from the invitation and joins), confirms a
colleague who named the company at sign-up, enrols the two in a run, sees a
running course's attendance and downloads the staff's certificates as a ZIP."""

import datetime as dt
import io
import re
import zipfile

import pytest
from django.utils import timezone

from enrolments.models import Enrolment, MembershipClaim
from enrolments.services import enrolment_create
from enrolments.services.attendance import register_save
from enrolments.services.membership import coordinator_appoint
from tests.browser.conftest import PASSWORD, expect, log_in_to_site, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COORDINATOR = "dragana.vukovic@panonijasoft.example"
INVITED = "mila.ilic@gmail.example"


@pytest.fixture
def company(academy, django_capture_on_commit_callbacks):
    """Panonija Soft with its coordinator Dragana; Ana, who named the company
    at sign-up with a private address (waiting for confirmation); Đorđe, its
    confirmed staff, half-way through a running course (one meeting held,
    attended) and holding a certificate of an earlier one."""
    from certificates.models import Kind
    from certificates.services.issuing import certificate_request
    from tests.factories import (
        CoursePageFactory,
        CourseRunFactory,
        MeetingFactory,
        TraineeProfileFactory,
        UserFactory,
    )

    member = academy.member
    dragana = TraineeProfileFactory(
        full_name="Dragana Vuković",
        user=UserFactory(username=COORDINATOR, email=COORDINATOR),
        organisation=member,
    )
    coordinator_appoint(organisation=member, user=dragana.user, by=None)
    TraineeProfileFactory(
        full_name="Ana Kovač",
        user=UserFactory(email="ana.kovac@gmail.example"),
        organisation=member,
        confirmed=False,
    )
    djordje = TraineeProfileFactory(
        full_name="Đorđe Petrović",
        user=UserFactory(email="djordje@panonijasoft.example"),
        organisation=member,
    )
    today = timezone.localdate()
    python = CoursePageFactory(parent=academy.catalogue, title="Python for data")
    running = CourseRunFactory(
        course=python,
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=10),
        enrolment_opens_on=today - dt.timedelta(days=30),
    )
    meeting = MeetingFactory(run=running, date=today - dt.timedelta(days=3))
    enrolment = enrolment_create(
        trainee=djordje, run=running, on=today - dt.timedelta(days=10)
    )
    Enrolment.objects.filter(pk=enrolment.pk).update(
        seat_since=timezone.now() - dt.timedelta(days=10)
    )
    register_save(meeting=meeting, marks={enrolment.pk: "present"}, by=None)
    earlier = CourseRunFactory(
        course=CoursePageFactory(parent=academy.catalogue, title="Git basics"),
        starts_on=today + dt.timedelta(days=40),
        ends_on=today + dt.timedelta(days=41),
    )
    finished = enrolment_create(trainee=djordje, run=earlier)
    Enrolment.objects.filter(pk=finished.pk).update(outcome="completion")
    finished.refresh_from_db()
    certificate_request(enrolment=finished, kind=Kind.COMPLETION)
    return member


def link_path(body: str, start: str) -> str:
    """The path of the link in an e-mail's text whose path has `start`."""
    match = re.search(rf"https?://[^/\s]+(/\S*{re.escape(start)}\S+/)", body)
    assert match, body
    return match[1]


def test_coordinator_invites_confirms_enrols_and_downloads_certificates(
    new_page, academy, company, mailoutbox, tmp_path
):
    page = new_page()
    log_in_to_site(page, email=COORDINATOR)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Your organisation"
    ).click()
    expect(
        page.get_by_role("heading", name="Panonija Soft d.o.o.", level=1)
    ).to_be_visible()
    expect(page.get_by_text("1 person waits for your confirmation")).to_be_visible()
    screenshot(page, "coordinator-1-organisation")

    # Invite Mila by e-mail; she signs up from the invitation and joins.
    page.get_by_label("E-mail addresses").fill(INVITED)
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_text("1 invitation is on its way.")).to_be_visible()
    [invitation] = [m for m in mailoutbox if m.to == [INVITED]]
    join_path = link_path(invitation.body, "/organisation/join/")

    mila = new_page()
    mila.goto(join_path)
    mila.get_by_role("main").get_by_role("link", name="Sign up").click()
    mila.get_by_label("E-mail").fill(INVITED)
    mila.get_by_label("Full name").fill("Mila Ilić")
    mila.get_by_label("Preferred language").select_option(index=0)
    mila.get_by_label("Password", exact=True).fill(PASSWORD)
    mila.get_by_label("Password again").fill(PASSWORD)
    mila.get_by_role("button", name="Create my account").click()
    mila.wait_for_url("**/account/sign-up/done/")
    [confirmation] = [
        m for m in mailoutbox if m.to == [INVITED] and "/account/confirm/" in m.body
    ]
    mila.goto(link_path(confirmation.body, "/account/confirm/"))
    mila.get_by_role("button", name="Confirm my address").click()
    # The confirmation leads back to the invitation.
    mila.get_by_role("button", name="Join Panonija Soft d.o.o.").click()
    expect(
        mila.get_by_text("You are confirmed as staff of Panonija Soft d.o.o.")
    ).to_be_visible()

    # Confirm Ana, who named the company with a private address.
    page.reload()
    page.get_by_role("button", name="Confirm Ana Kovač").click()
    expect(page.get_by_text("Ana Kovač is confirmed as your staff")).to_be_visible()
    assert set(
        MembershipClaim.objects.filter(organisation=company).values_list(
            "trainee__full_name", "method"
        )
    ) >= {("Ana Kovač", "coordinator"), ("Mila Ilić", "join_link")}

    # Enrol both in the Kubernetes run.
    page.get_by_role("link", name="Enrol your staff").click()
    page.get_by_label("Run").select_option(value=str(academy.run.pk))
    staff = page.get_by_role("group", name="Staff")
    staff.get_by_label(re.compile("Ana Kovač")).check()
    staff.get_by_label(re.compile("Mila Ilić")).check()
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("status")).to_contain_text("Ana Kovač")
    enrolled = Enrolment.objects.filter(run=academy.run, organisation=company)
    assert enrolled.count() == 2 and all(e.is_member for e in enrolled)

    # The staff's training: Đorđe's running course with its attendance.
    page.get_by_role("link", name="Your staff's training").click()
    row = page.get_by_role("row").filter(has_text="Python for data")
    expect(row).to_contain_text("Đorđe Petrović")
    expect(row).to_contain_text("100%")
    screenshot(page, "coordinator-2-staff-training")

    # All certificates as one ZIP.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Your staff's certificates (ZIP)").click()
    path = tmp_path / "certificates.zip"
    download_info.value.save_as(path)
    names = zipfile.ZipFile(io.BytesIO(path.read_bytes())).namelist()
    assert len(names) == 1 and names[0].endswith("-Djordje-Petrovic.pdf")
