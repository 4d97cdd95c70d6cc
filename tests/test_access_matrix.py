"""The access matrix: no user reaches another's objects.

Two trainees (T1, T2), each enrolled in two runs of two courses, each with an
enrolment, a quiz attempt, a submission with an uploaded file, attendance and an
issued certificate per run; instructor I1 teaches run 1 and I2 run 2; an academy
admin; T1 claims to work for organisation O1 and T2 for O2, coordinated by C1
and C2. Every URL pattern outside /admin/ that takes a path parameter is found
from Django's resolver (so views added later join the matrix; an unclassified
one fails the test), filled with one owner's objects and opened as every actor.
Who may succeed is stated per pattern in `ALLOWED`; every other success is a
cross-user success, and there must be none. Then the POST endpoints are sent
another user's ids: refused, and no row changes.

The /admin/ side is walked by tests/test_admin_walk.py (not repeated here).
"""

import datetime as dt
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from academy_site.roles import (
    ACADEMY_ADMIN,
    INSTRUCTOR,
    TRAINEE,
    grant_role,
    roles_sync,
)
from courses.services import course_team_sync
from enrolments.models import Enrolment
from enrolments.services import enrolment_cancel, enrolment_create
from enrolments.services.assignments import submission_submit
from enrolments.services.attendance import register_save
from enrolments.services.membership import (
    coordinator_appoint,
    join_link_create,
    membership_claim,
)
from enrolments.services.quizzes import quiz_attempt_start
from tests.certificates.factories import issue_certificate
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    InstructorFactory,
    MeetingFactory,
    ModulePageFactory,
    OrganisationFactory,
    TraineeProfileFactory,
    UserFactory,
    today,
)
from tests.test_admin_walk import PARAMETER_NAMES, is_login_redirect
from tests.test_csrf_enforced import routes, snapshot

pytestmark = pytest.mark.django_db

PDF = (
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)
ACTORS = ("anonymous", "T1", "T2", "I1", "I2", "admin", "C1", "C2")

# Per pattern: who may succeed, given the owner trainee and the run of the
# objects the URL was filled with. "owner" is that trainee, "teacher" the
# instructor of that run, "studying" both trainees (both study every run),
# "coordinator" the coordinator of the owner's organisation.
ALLOWED = {
    "coordination:organisation": {"coordinator"},
    "coordination:enrolments": {"coordinator"},
    "coordination:enrol": {"coordinator"},
    "coordination:requests": {"coordinator"},
    "coordination:enrolments_export": {"coordinator"},
    "certificates:organisation_zip": {"coordinator"},
    "learning:calendar": {"owner"},
    "learning:quiz_attempt": {"owner"},
    "learning:submission_file": {"owner", "teacher", "admin"},
    "learning:submission_grade": {"teacher", "admin"},
    "certificates:download": {"owner", "admin"},
    "learning:quiz": {"studying"},
    "learning:assignment": {"studying"},
    # The check-in form of a live course's meeting names no one; whether the
    # caller may check in is the service's decision (POST checks below).
    "learning:check_in": {"logged_in"},
    "learning:apology": {"studying"},
    # The page of one's own enrolment's evaluation (open or not, it says why).
    "learning:evaluation": {"owner"},
    "teaching:run_overview": {"teacher", "admin"},
    "teaching:run_close": {"teacher", "admin"},
    "teaching:run_reopen": {"admin"},
    "teaching:export_csv": {"teacher", "admin"},
    "teaching:export_xlsx": {"teacher", "admin"},
    "teaching:gradebook": {"teacher", "admin"},
    "teaching:evaluation": {"teacher", "admin"},
    "teaching:course_evaluation": {"teacher", "admin"},
    "teaching:gradebook_csv": {"teacher", "admin"},
    "teaching:gradebook_xlsx": {"teacher", "admin"},
    "teaching:register": {"teacher", "admin"},
    "teaching:check_in_display": {"teacher", "admin"},
    "teaching:check_in_code": {"teacher", "admin"},
    "teaching:sign_in_sheet": {"teacher", "admin"},
}
# Patterns with a parameter that names no one's object, and why they are not
# in the GET matrix (the POST ones are refused below).
NOT_OWNED = {
    "learning:enrol_run": "POST only; enrolling oneself in any open run",
    "learning:enrol_course": "POST only; enrolling oneself in any open course",
    "learning:cancel": "POST only; in the POST checks below",
    "learning:offer": "an open seat offer; in the POST checks below",
    "learning:module_done": "POST only; marks the caller's own progress",
    "accounts:confirm": "a signed token, not an id",
    "accounts:password_reset_confirm": "a signed token, not an id",
    "certificates:verify": "public by design: the QR code's target",
    "certificates:credential_jwt": "public by design: what the QR code's page says",
    "certificates:credential_json": "public by design: what the QR code's page says",
    "verify_api": "public by design: the verification page as JSON",
    "coordination:claim_confirm": "POST only; in the POST checks below",
    "coordination:claim_refuse": "POST only; in the POST checks below",
    "coordination:link_create": "POST only; in the POST checks below",
    "coordination:link_revoke": "POST only; in the POST checks below",
    "coordination:invite": "POST only; in the POST checks below",
    "coordination:summary": "POST only; in the POST checks below",
    "coordination:request_approve": "POST only; in the POST checks below",
    "coordination:request_refuse": "POST only; in the POST checks below",
    "coordination:join": "an invitation's random token, not an id",
    "calendar_feed": "a random token, not an id (test_calendar_feed.py)",
    "credential_status_list": "public by design: a revocation list names no one",
    # Refused to everyone until a run has five answers, which the matrix's
    # two trainees per run cannot give: the run's instructor and the academy
    # get them, another instructor 404 (test_evaluation_results.py).
    "teaching:evaluation_csv": "needs five answers (test_evaluation_results.py)",
    "teaching:evaluation_xlsx": "needs five answers (test_evaluation_results.py)",
    "teaching:evaluation_pdf": "needs five answers (test_evaluation_results.py)",
}


def quiz_block(block_id):
    return {
        "type": "quiz",
        "id": block_id,
        "value": {
            "title": "Check",
            "introduction": "",
            "pass_mark_percent": None,
            "attempts_allowed": 3,
            "time_limit_minutes": None,
            "required": True,
            "questions": [
                {
                    "type": "true_false",
                    "id": "q1",
                    "value": {"prompt": "True?", "answer": True, "points": "1"},
                }
            ],
        },
    }


def assignment_block(block_id):
    return {
        "type": "assignment",
        "id": block_id,
        "value": {
            "title": "Report",
            "instructions": "<p>Hand in a PDF.</p>",
            "deadline": None,
            "max_points": "10",
            "accepts": "both",
            "required": True,
        },
    }


@pytest.fixture
def academy(catalogue, django_capture_on_commit_callbacks):
    roles_sync()
    users = {}
    for name in ("T1", "T2"):
        users[name] = UserFactory(username=f"{name.lower()}@matrix.example")
        grant_role(user=users[name], role=TRAINEE)
        TraineeProfileFactory(user=users[name], full_name=f"Trainee {name}")
    for name in ("I1", "I2"):
        users[name] = UserFactory(username=f"{name.lower()}@matrix.example")
        grant_role(user=users[name], role=INSTRUCTOR)
    users["admin"] = UserFactory(username="admin@matrix.example", is_staff=True)
    grant_role(user=users["admin"], role=ACADEMY_ADMIN)
    organisations, claims = {}, {}
    for number, owner in ((1, "T1"), (2, "T2")):
        organisation = OrganisationFactory(name=f"Matrix organisation {number}")
        coordinator = f"C{number}"
        users[coordinator] = UserFactory(username=f"c{number}@matrix.example")
        grant_role(user=users[coordinator], role=TRAINEE)
        coordinator_appoint(
            organisation=organisation, user=users[coordinator], by=users["admin"]
        )
        organisations[owner] = organisation
        claims[owner] = membership_claim(
            trainee=users[owner].trainee, organisation=organisation
        )

    runs = []
    for number, teacher in ((1, "I1"), (2, "I2")):
        course = CoursePageFactory(
            parent=catalogue, title=f"Matrix course {number}", instructors=[]
        )
        module = ModulePageFactory(
            parent=course,
            title=f"Matrix module {number}",
            body=[quiz_block("quiz"), assignment_block("report")],
        )
        run = CourseRunFactory(
            course=course,
            capacity=10,
            starts_on=today() - dt.timedelta(days=1),
            ends_on=today() + dt.timedelta(days=1),
            enrolment_opens_on=today() - dt.timedelta(days=30),
            enrolment_closes_on=today() + dt.timedelta(days=1),
        )
        run.instructors.add(InstructorFactory(user=users[teacher]))
        run.save()  # a ParentalManyToManyField is written on save
        course_team_sync(course=course)
        meeting = MeetingFactory(run=run, date=today())
        objects = {"run": run, "course": course, "module": module}
        objects["meeting"] = meeting
        objects["teacher"] = teacher
        for owner in ("T1", "T2"):
            enrolment = enrolment_create(trainee=users[owner].trainee, run=run)
            assert enrolment.status == Enrolment.Status.CONFIRMED
            attempt = quiz_attempt_start(
                enrolment=enrolment, module=module, quiz_id="quiz"
            )
            submission = submission_submit(
                enrolment=enrolment,
                module=module,
                assignment_id="report",
                upload=SimpleUploadedFile(
                    f"{owner}.pdf", PDF, content_type="application/pdf"
                ),
            )
            Enrolment.objects.filter(pk=enrolment.pk).update(outcome="completion")
            enrolment.refresh_from_db()
            certificate = issue_certificate(
                django_capture_on_commit_callbacks, enrolment=enrolment
            )
            objects[owner] = {
                "organisation": organisations[owner],
                "claim": claims[owner],
                "enrolment": enrolment,
                "attempt": attempt,
                "submission": submission,
                "certificate": certificate,
            }
        register_save(
            meeting=meeting,
            marks={objects[o]["enrolment"].pk: "present" for o in ("T1", "T2")},
            by=users[teacher],
        )
        runs.append(objects)
    return {"users": users, "runs": runs}


def kwargs_for(route, run, owner) -> dict:
    mine = run[owner]
    values = {
        "enrolment_id": mine["enrolment"].pk,
        "attempt_id": mine["attempt"].pk,
        "submission_id": mine["submission"].pk,
        "certificate_id": mine["certificate"].pk,
        "run_id": run["run"].pk,
        "course_id": run["run"].course_id,
        "meeting_id": run["meeting"].pk,
        "module_id": run["module"].pk,
        "quiz_id": "quiz",
        "assignment_id": "report",
        "organisation_id": mine["organisation"].pk,
        "claim_id": mine["claim"].pk,
        "file_format": "csv",
    }
    return {name: values[name] for name in PARAMETER_NAMES.findall(route)}


def allowed_actors(name, run, owner) -> set:
    allowed = set()
    for who in ALLOWED[name]:
        if who == "owner":
            allowed.add(owner)
        elif who == "teacher":
            allowed.add(run["teacher"])
        elif who == "studying":
            allowed |= {"T1", "T2"}
        elif who == "coordinator":
            allowed.add("C1" if owner == "T1" else "C2")
        elif who == "logged_in":
            allowed |= set(ACTORS) - {"anonymous"}
        else:
            allowed.add(who)
    return allowed


def clients(academy) -> dict:
    result = {"anonymous": Client()}
    for actor in ACTORS[1:]:
        result[actor] = Client()
        result[actor].force_login(academy["users"][actor])
    for client in result.values():
        client.raise_request_exception = False
    return result


def with_parameters():
    """(name, route) of every pattern outside /admin/ with a path parameter."""
    return [
        (name, route)
        for name, route in routes()
        if PARAMETER_NAMES.search(route) and not route.startswith("admin/")
    ]


def test_no_user_reaches_another_users_objects(academy, capsys):
    found = with_parameters()
    unclassified = [n for n, _ in found if n not in ALLOWED and n not in NOT_OWNED]
    assert not unclassified, f"classify these patterns in ALLOWED: {unclassified}"
    by_actor = clients(academy)
    histogram = {actor: Counter() for actor in ACTORS}
    cross_user, owners_refused, cells = [], [], 0
    for name, route in found:
        if name in NOT_OWNED:
            continue
        for run in academy["runs"]:
            for owner in ("T1", "T2"):
                url = reverse(name, kwargs=kwargs_for(route, run, owner))
                allowed = allowed_actors(name, run, owner)
                for actor, client in by_actor.items():
                    response = client.get(url)
                    cells += 1
                    status = response.status_code
                    refused = status in (403, 404) or is_login_redirect(response)
                    histogram[actor]["refused" if refused else status] += 1
                    if actor in allowed and refused:
                        owners_refused.append((actor, url, status))
                    elif actor not in allowed and not refused:
                        cross_user.append((actor, url, status))
    with capsys.disabled():
        patterns = len(found) - len(NOT_OWNED)
        print(
            f"\nAccess matrix: {patterns} patterns x 4 fillings (2 owners x 2 runs)"
            f" x {len(ACTORS)} actors = {cells} requests;"
            f" cross-user successes: {len(cross_user)}"
        )
        for actor, counts in histogram.items():
            print(f"  {actor:9} {dict(counts)}")
        print(f"  not in the GET matrix ({len(NOT_OWNED)}): {sorted(NOT_OWNED)}")
    assert not cross_user, cross_user
    # The matrix is not passing by refusing everyone.
    assert not owners_refused, owners_refused


def cancellable_enrolment(catalogue, user) -> Enrolment:
    """An enrolment in a run that starts next month: still cancellable."""
    course = CoursePageFactory(parent=catalogue, title="Matrix course later")
    run = CourseRunFactory(
        course=course,
        capacity=10,
        starts_on=today() + dt.timedelta(days=30),
        ends_on=today() + dt.timedelta(days=31),
        enrolment_opens_on=today() - dt.timedelta(days=1),
        enrolment_closes_on=today() + dt.timedelta(days=20),
    )
    return enrolment_create(trainee=user.trainee, run=run)


def offered_enrolment(catalogue, user) -> Enrolment:
    """The user's enrolment holding a seat offered from the waitlist."""
    course = CoursePageFactory(parent=catalogue, title="Matrix course offered")
    run = CourseRunFactory(course=course, capacity=1)
    holder = enrolment_create(trainee=TraineeProfileFactory(), run=run)
    waiting = enrolment_create(trainee=user.trainee, run=run)
    enrolment_cancel(enrolment=holder, by_staff=True)
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.OFFERED
    return waiting


def staff_request(catalogue, organisation) -> Enrolment:
    """A request of `organisation`'s confirmed staff member waiting for the
    employer's approval."""
    course = CoursePageFactory(
        parent=catalogue, title="Matrix course approved", needs_employer_approval=True
    )
    run = CourseRunFactory(course=course, capacity=10)
    staff = TraineeProfileFactory(full_name="Matrix staff", organisation=organisation)
    enrolment = enrolment_create(trainee=staff, run=run)
    assert enrolment.waits_for_employer
    return enrolment


def post_refused(client, url, data) -> bool:
    """Refused: 403/404/405, a log-in redirect, or the form again with its
    error (200); a redirect elsewhere means the POST was taken."""
    response = client.post(url, data)
    return response.status_code in (200, 403, 404, 405) or is_login_redirect(response)


def test_posts_with_another_users_ids_are_refused_and_change_nothing(
    academy, catalogue
):
    by_actor = clients(academy)
    run1, run2 = academy["runs"]
    t1 = run1["T1"]
    later = cancellable_enrolment(catalogue, academy["users"]["T1"])
    offered = offered_enrolment(catalogue, academy["users"]["T1"])
    offer_url = reverse("learning:offer", args=[offered.pk])
    cases = [
        # A trainee cancels, answers or grades another trainee's work.
        ("T2", reverse("learning:cancel", args=[later.pk]), {}),
        ("I1", reverse("learning:cancel", args=[later.pk]), {}),
        ("admin", reverse("learning:cancel", args=[later.pk]), {}),
        # Or takes or gives away the seat offered to them.
        ("T2", offer_url, {"answer": "accept"}),
        ("T2", offer_url, {"answer": "decline"}),
        ("I1", offer_url, {"answer": "accept"}),
        ("admin", offer_url, {"answer": "decline"}),
        (
            "T2",
            reverse("learning:quiz_attempt", args=[t1["attempt"].pk]),
            {"q1": "true"},
        ),
        (
            "T1",
            reverse("learning:submission_grade", args=[t1["submission"].pk]),
            {"score": "10", "feedback": "<p>Mine.</p>"},
        ),
        # An instructor grades or keeps the register of a run they do not teach.
        (
            "I2",
            reverse("learning:submission_grade", args=[t1["submission"].pk]),
            {"score": "1", "feedback": "<p>Not mine.</p>"},
        ),
        (
            "I2",
            reverse("teaching:register", args=[run1["meeting"].pk]),
            {f"mark_{t1['enrolment'].pk}": "absent"},
        ),
        (
            "I1",
            reverse("teaching:register", args=[run2["meeting"].pk]),
            {f"mark_{run2['T1']['enrolment'].pk}": "absent"},
        ),
        # Nobody who is not studying the run checks in to its meeting.
        ("I1", reverse("learning:check_in", args=[run1["meeting"].pk]), {"code": "0"}),
        ("admin", reverse("learning:check_in", args=[run1["meeting"].pk]), {}),
        # Nor sends an apology for it.
        ("I1", reverse("learning:apology", args=[run1["meeting"].pk]), {"reason": "x"}),
        ("admin", reverse("learning:apology", args=[run1["meeting"].pk]), {}),
        # Nor answers another trainee's evaluation.
        (
            "T2",
            reverse("learning:evaluation", args=[t1["enrolment"].pk]),
            {"q-q1": "5"},
        ),
        ("admin", reverse("learning:evaluation", args=[t1["enrolment"].pk]), {}),
        # Assignment upload and quiz start go by module: only for the caller's
        # own enrolment, so an instructor has none.
        (
            "I1",
            reverse("learning:assignment", args=[run1["module"].pk, "report"]),
            {"text": "<p>Not a trainee.</p>"},
        ),
        ("I1", reverse("learning:quiz", args=[run1["module"].pk, "quiz"]), {}),
        # A coordinator decides another organisation's claim (by its own
        # organisation's URL or the other's), a trainee or admin-less
        # instructor decides any.
    ]
    o1, claim1 = t1["organisation"], t1["claim"]
    o2 = run1["T2"]["organisation"]
    for organisation in (o1, o2):
        for name, data in (("claim_confirm", {}), ("claim_refuse", {"reason": "x"})):
            url = reverse(f"coordination:{name}", args=[organisation.pk, claim1.pk])
            cases += [("C2", url, data), ("T1", url, data), ("I1", url, data)]
    link1 = join_link_create(organisation=o1, by=None)
    invitation = {"emails": "eve@matrix.example"}
    for actor, organisation in (("C2", o1), ("T1", o1), ("T1", o2)):
        cases += [
            (actor, reverse("coordination:link_create", args=[organisation.pk]), {}),
            (
                actor,
                reverse("coordination:invite", args=[organisation.pk]),
                invitation,
            ),
        ]
    cases += [
        (actor, reverse("coordination:summary", args=[o1.pk]), {})
        for actor in ("C2", "T1", "I1")
    ]
    # A staff request of O1 decided by O2's coordinator (through either
    # organisation's URL), a trainee or an instructor.
    request1 = staff_request(catalogue, o1)
    for organisation in (o1, o2):
        for name, data in (
            ("request_approve", {}),
            ("request_refuse", {"reason": "x"}),
        ):
            url = reverse(f"coordination:{name}", args=[organisation.pk, request1.pk])
            cases += [("C2", url, data), ("T1", url, data), ("I1", url, data)]
    # O1's link revoked through either organisation's URL.
    for actor, organisation in (("C2", o1), ("C2", o2), ("T1", o1)):
        url = reverse("coordination:link_revoke", args=[organisation.pk, link1.pk])
        cases.append((actor, url, {}))
    # The same requests without logging in.
    cases += [("anonymous", url, data) for _, url, data in cases]
    before = snapshot()
    accepted = [
        (actor, url)
        for actor, url, data in cases
        if not post_refused(by_actor[actor], url, data)
    ]
    assert not accepted, accepted
    assert snapshot() == before


def test_the_same_posts_by_their_owners_are_taken(academy, catalogue):
    """The control: the refusals above are about whose ids they are."""
    by_actor = clients(academy)
    t1 = academy["runs"][0]["T1"]
    response = by_actor["I1"].post(
        reverse("learning:submission_grade", args=[t1["submission"].pk]),
        {"score": "7", "feedback": "<p>Good.</p>"},
    )
    assert response.status_code == 302
    t1["submission"].refresh_from_db()
    assert t1["submission"].score == 7
    later = cancellable_enrolment(catalogue, academy["users"]["T1"])
    response = by_actor["T1"].post(reverse("learning:cancel", args=[later.pk]))
    assert response.status_code == 302
    later.refresh_from_db()
    assert later.status == Enrolment.Status.CANCELLED
    offered = offered_enrolment(catalogue, academy["users"]["T1"])
    response = by_actor["T1"].post(
        reverse("learning:offer", args=[offered.pk]), {"answer": "accept"}
    )
    assert response.status_code == 302
    offered.refresh_from_db()
    assert offered.status == Enrolment.Status.CONFIRMED
    request1 = staff_request(catalogue, t1["organisation"])
    response = by_actor["C1"].post(
        reverse(
            "coordination:request_approve", args=[t1["organisation"].pk, request1.pk]
        )
    )
    assert response.status_code == 302
    request1.refresh_from_db()
    assert request1.status == Enrolment.Status.CONFIRMED
    claim = t1["claim"]
    response = by_actor["C1"].post(
        reverse("coordination:claim_confirm", args=[t1["organisation"].pk, claim.pk])
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "confirmed"
