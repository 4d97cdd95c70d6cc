"""The walk: every URL of the Wagtail admin and of /teaching/, found from
Django's resolver (so views added later are walked too), opened as an
anonymous visitor, a trainee, another organisation's coordinator, an
instructor and an academy admin.

- anonymous, trainee and coordinator: only the log-in page, a redirect to a
  log-in page, 403 or 404 (or 405 for POST-only views), never admin content
  and never the walkers' names;
- instructor A: no 200 response names a trainee of course 2 (taught by B);
- academy admin: no 5xx anywhere.

Path parameters are filled from a small academy: pk from the view's model,
page ids from the two courses, ids of runs, meetings, images, documents,
revisions, ... . Each pattern is opened twice: with the first objects (course
1's, instructor A's) and with the last (course 2's). Listings that export are
also opened as CSV and XLSX, with and without a malformed filter.
"""

import datetime as dt
import io
import re
import zipfile
from collections import Counter

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from wagtail.documents import get_document_model

from academy_site.roles import (
    ACADEMY_ADMIN,
    INSTRUCTOR,
    TRAINEE,
    grant_role,
    roles_sync,
)
from courses.services import course_team_sync
from enrolments.models import Enrolment
from enrolments.services import enrolment_create
from enrolments.services.assignments import submission_submit
from enrolments.services.attendance import register_save
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
    make_image,
    today,
)

pytestmark = pytest.mark.django_db

# /teaching/ is under the language prefix: the walk runs in English ("en/").
ROOTS = ("admin/", "en/teaching/")
# Views that would end the session, or that fail on purpose (Wagtail's page
# for testing the server-error handler).
NOT_WALKED = {"wagtailadmin_logout", "wagtailadmin_error_test"}
# Open to everyone and naming no one: the log-in pages and the admin's static
# furniture (icon sprite, JavaScript translations).
PUBLIC = {
    "wagtailadmin_login",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
}
# The teaching home is for staff: a trainee gets 404 there too.
TRAINEE_MAY_OPEN: set[str] = set()
# Patterns that cannot be filled from the academy; printed, and kept short.
# (Wagtail's translate-a-snippet view needs a translatable snippet's pk; the
# academy's snippets are not translatable, so it has none to give.)
MAX_SKIPPED = 4

# Distinctive, plain ASCII (no escaping in HTML or JSON) names and e-mails.
COURSE_1_TRAINEES = [("Xavera Ownrun", "xavera.ownrun@one.example")]
COURSE_2_TRAINEES = [
    ("Zebulon Otherrun", "zebulon.otherrun@two.example"),
    ("Quintilla Farside", "quintilla.farside@two.example"),
]


def assignment_block(block_id):
    return {
        "type": "assignment",
        "id": block_id,
        "value": {
            "title": "Essay",
            "instructions": "<p>Write.</p>",
            "deadline": None,
            "max_points": "100",
            "accepts": "text",
            "required": True,
        },
    }


def trainee(name: str, email: str, organisation=None):
    user = UserFactory(username=email, email=email)
    grant_role(user=user, role=TRAINEE)
    return TraineeProfileFactory(user=user, full_name=name, organisation=organisation)


def other_coordinator():
    """The coordinator of a second organisation, with staff of its own: a
    trainee who coordinates, never admin content nor the walkers' names."""
    from enrolments.services.membership import coordinator_appoint

    organisation = OrganisationFactory(name="Outsiders d.o.o.")
    user = UserFactory(username="coordinator@outsiders.example")
    grant_role(user=user, role=TRAINEE)
    TraineeProfileFactory(user=user, full_name="Olga Outsider")
    coordinator_appoint(organisation=organisation, user=user, by=None)
    trainee("Oskar Outsider", "oskar@outsiders.example", organisation)
    return user


@pytest.fixture
def academy(catalogue, django_capture_on_commit_callbacks):
    roles_sync()
    organisation = OrganisationFactory(name="Walkers d.o.o.")
    a = UserFactory(username="instructor.a@academy.local", is_staff=True)
    b = UserFactory(username="instructor.b@academy.local", is_staff=True)
    grant_role(user=a, role=INSTRUCTOR)
    grant_role(user=b, role=INSTRUCTOR)
    admin = UserFactory(username="office@academy.local", is_staff=True)
    grant_role(user=admin, role=ACADEMY_ADMIN)
    profiles = {
        a: InstructorFactory(full_name="Ana Instructor", user=a),
        b: InstructorFactory(full_name="Boris Instructor", user=b),
    }
    make_image("Walk photo")
    get_document_model().objects.create(
        title="Walk handout", file=ContentFile(b"%PDF-1.4\n", name="handout.pdf")
    )
    courses, runs, meetings = [], [], []
    for number, (teacher, people) in enumerate(
        [(a, COURSE_1_TRAINEES), (b, COURSE_2_TRAINEES)], start=1
    ):
        course = CoursePageFactory(
            parent=catalogue, title=f"Walk course {number}", instructors=[]
        )
        module = ModulePageFactory(
            parent=course,
            title=f"Walk module {number}",
            body=[assignment_block(f"walk-{number}")],
        )
        run = CourseRunFactory(
            course=course,
            starts_on=today() - dt.timedelta(days=1),
            ends_on=today() + dt.timedelta(days=1),
            enrolment_opens_on=today() - dt.timedelta(days=30),
            enrolment_closes_on=today() + dt.timedelta(days=1),
        )
        run.instructors.add(profiles[teacher])
        run.save()
        meeting = MeetingFactory(run=run, date=today())
        course_team_sync(course=course)
        enrolments = [
            enrolment_create(trainee=trainee(n, e, organisation), run=run)
            for n, e in people
        ]
        register_save(
            meeting=meeting,
            marks={enrolment.pk: "present" for enrolment in enrolments},
            by=teacher,
        )
        submission_submit(
            enrolment=enrolments[0],
            module=module,
            assignment_id=f"walk-{number}",
            text_html="<p>My essay.</p>",
        )
        Enrolment.objects.filter(pk=enrolments[0].pk).update(outcome="completion")
        enrolments[0].refresh_from_db()
        issue_certificate(django_capture_on_commit_callbacks, enrolment=enrolments[0])
        courses.append(course)
        runs.append(run)
        meetings.append(meeting)
    return {
        "a": a,
        "admin": admin,
        "trainee": get_user_model().objects.get(username=COURSE_1_TRAINEES[0][1]),
        "coordinator": other_coordinator(),
        "courses": courses,
        "runs": runs,
    }


# --- Finding and filling the URLs ---------------------------------------------


def url_patterns():
    """(route, namespaced name, pattern) of every URL under ROOTS."""

    def walk(patterns, prefix, namespaces):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
                yield from walk(
                    pattern.url_patterns, prefix + str(pattern.pattern), inner
                )
            else:
                name = ":".join(namespaces + (pattern.name,)) if pattern.name else None
                yield prefix + str(pattern.pattern), name, pattern

    for route, name, pattern in walk(get_resolver().url_patterns, "", ()):
        if route.startswith(ROOTS):
            yield route, name, pattern


def view_model(pattern):
    callback = pattern.callback
    model = getattr(callback, "view_initkwargs", {}).get("model")
    view_class = getattr(callback, "view_class", None)
    model = model or getattr(view_class, "model", None)
    return model if isinstance(model, type) else None


def first_and_last(model) -> list:
    rows = model._default_manager.order_by("pk").values_list("pk", flat=True)
    first, last = rows.first(), rows.last()
    return [first, last] if first is not None else [999999, 999999]


def model_ids(label):
    return lambda academy, pattern: first_and_last(apps.get_model(label))


def page_ids(academy, pattern):
    return [course.pk for course in academy["courses"]]


def revision_ids(academy, pattern):
    return [course.latest_revision.pk for course in academy["courses"]]


# For views that do not name their model: the model by a word of the route.
ROUTE_MODELS = (
    ("trainees/", "enrolments.TraineeProfile"),
    ("membership_claims/", "enrolments.MembershipClaim"),
    ("organisations/", "enrolments.Organisation"),
    ("courses/runs/", "courses.CourseRun"),
    ("workflows/tasks/", "wagtailcore.Task"),
    ("workflows/", "wagtailcore.Workflow"),
    ("documents/", "wagtaildocs.Document"),
    ("images/", "wagtailimages.Image"),
)


def pks(academy, pattern, route=""):
    model = view_model(pattern)
    if model is None:
        for word, label in ROUTE_MODELS:
            if word in route:
                return first_and_last(apps.get_model(label))
        if "pages/" in route:
            return page_ids(academy, pattern)
        return None
    return first_and_last(model)


PARAMETERS = {
    "page_id": page_ids,
    "parent_page_id": page_ids,
    "page_to_move_id": page_ids,
    "destination_id": page_ids,
    "page_pk": page_ids,
    "revision_id": revision_ids,
    "revision_id_a": revision_ids,
    "revision_id_b": revision_ids,
    "enrolment_id": model_ids("enrolments.Enrolment"),
    "run_id": model_ids("courses.CourseRun"),
    "course_id": model_ids("courses.CoursePage"),
    "meeting_id": model_ids("courses.Meeting"),
    "image_id": model_ids("wagtailimages.Image"),
    "document_id": model_ids("wagtaildocs.Document"),
    "doc_id": model_ids("wagtaildocs.Document"),
    "redirect_id": model_ids("wagtailredirects.Redirect"),
    "collection_id": model_ids("wagtailcore.Collection"),
    "task_id": model_ids("wagtailcore.Task"),
    "task_state_id": model_ids("wagtailcore.TaskState"),
    "workflow_state_id": model_ids("wagtailcore.WorkflowState"),
    "workflow_pk": model_ids("wagtailcore.Workflow"),
    "uploaded_file_id": model_ids("wagtailcore.UploadedFile"),
    "session_id": model_ids("wagtailadmin.EditingSession"),
    "object_id": model_ids("courses.CourseRun"),
    "content_type_app_name": lambda academy, pattern: ["courses"] * 2,
    "content_type_model_name": lambda academy, pattern: ["modulepage"] * 2,
    "filter_spec": lambda academy, pattern: ["original"] * 2,
    "action_name": lambda academy, pattern: ["approve"] * 2,
    "action": lambda academy, pattern: ["approve"] * 2,
}
# (app_label, model_name) per URL name; the rest use enrolments.enrolment.
MODEL_PARAMETERS = {
    "wagtailsettings:edit": ("home", "academysettings"),
    "wagtailsettings:preview_on_edit": ("home", "academysettings"),
    "wagtailadmin_tag_model_autocomplete": ("wagtailimages", "image"),
    "wagtailadmin_workflows:add_task": ("wagtailcore", "groupapprovaltask"),
    "wagtailadmin_editing_sessions:ping": ("courses", "courserun"),
}
PARAMETER_NAMES = re.compile(r"<(?:\w+:)?(\w+)>")


def fill(academy, route, name, pattern):
    """Two kwargs dicts (first objects, last objects), or the reason why not."""
    variants = [{}, {}]
    for parameter in PARAMETER_NAMES.findall(route):
        if parameter in ("app_label", "app_name", "model_name"):
            app_label, model_name = MODEL_PARAMETERS.get(
                name, ("enrolments", "enrolment")
            )
            values = [model_name if parameter == "model_name" else app_label] * 2
        elif parameter == "pk":
            values = pks(academy, pattern, route)
            if name and name.startswith("wagtailsettings:"):
                values = first_and_last(apps.get_model("wagtailcore.Site"))
        elif parameter in PARAMETERS:
            values = PARAMETERS[parameter](academy, pattern)
        else:
            values = None
        if values is None:
            return f"no value for <{parameter}>"
        for variant, value in zip(variants, values, strict=True):
            variant[parameter] = value
    return variants


def walk_urls(academy):
    """(url name, URL) pairs to open, and the skipped patterns with reasons."""
    urls, skipped = [], []
    for route, name, pattern in url_patterns():
        if name in NOT_WALKED:
            continue
        if name is None:
            skipped.append((route, "unnamed"))
            continue
        variants = fill(academy, route, name, pattern)
        if isinstance(variants, str):
            skipped.append((route, variants))
            continue
        seen = set()
        for kwargs in variants:
            try:
                url = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                skipped.append((route, "does not reverse"))
                break
            if name == "wagtail_bulk_action":
                url += f"?id={first_and_last(Enrolment)[len(seen) % 2]}"
            if url not in seen:
                seen.add(url)
                urls.append((name, url))
        if exports(pattern):
            base = reverse(name, kwargs=variants[0])
            for query in (
                "export=csv",
                "export=xlsx",
                "export=csv&run=not-a-number&created_at=31.02.2026&status=bogus",
            ):
                urls.append((name, f"{base}?{query}"))
    return urls, skipped


def exports(pattern) -> bool:
    view_class = getattr(pattern.callback, "view_class", None)
    return bool(
        getattr(view_class, "list_export", None)
    ) and not PARAMETER_NAMES.search(str(pattern.pattern))


def body_text(response) -> str:
    """The response as text; an XLSX file unzipped, a stream read."""
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    if content[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                content = b"".join(archive.read(n) for n in archive.namelist())
        except zipfile.BadZipFile:
            pass
    return content.decode("utf-8", errors="replace")


def is_login_redirect(response) -> bool:
    location = response.get("Location", "").split("?")[0]
    return response.status_code == 302 and location in (
        reverse("wagtailadmin_login"),
        resolve_url(settings.LOGIN_URL),
    )


# --- The walk ---------------------------------------------------------------------


def test_every_admin_and_teaching_url_as_each_role(academy, capsys):
    urls, skipped = walk_urls(academy)
    clients = {"anonymous": Client()}
    for role, user in (
        ("trainee", academy["trainee"]),
        ("coordinator", academy["coordinator"]),
        ("instructor A", academy["a"]),
        ("academy admin", academy["admin"]),
    ):
        clients[role] = Client()
        clients[role].force_login(user)
    for client in clients.values():
        client.raise_request_exception = False

    others = [text for person in COURSE_2_TRAINEES for text in person]
    everyone = others + [text for person in COURSE_1_TRAINEES for text in person]
    problems, histogram = [], {role: Counter() for role in clients}
    for name, url in urls:
        for role, client in clients.items():
            response = client.get(url)
            status = response.status_code
            histogram[role][status] += 1
            if role in ("anonymous", "trainee", "coordinator"):
                if name in PUBLIC and status == 200:
                    continue
                if role != "anonymous" and name in TRAINEE_MAY_OPEN and status == 200:
                    leaked = [t for t in everyone if t in body_text(response)]
                    if leaked:
                        problems.append((role, url, status, f"names {leaked}"))
                    continue
                if not (is_login_redirect(response) or status in (403, 404, 405)):
                    problems.append((role, url, status, response.get("Location")))
            elif role == "instructor A":
                if status >= 500:
                    problems.append((role, url, status, "server error"))
                elif status == 200:
                    leaked = [t for t in others if t in body_text(response)]
                    if leaked:
                        problems.append((role, url, status, f"names {leaked}"))
            elif status >= 500:
                problems.append((role, url, status, "server error"))

    with capsys.disabled():
        print(f"\nWalked {len(urls)} URLs per role.")
        for role, counts in histogram.items():
            print(f"  {role:14} {dict(sorted(counts.items()))}")
        print(f"  skipped patterns ({len(skipped)}):")
        for route, reason in skipped:
            print(f"    {route}: {reason}")
    assert not problems, "\n".join(map(str, problems))
    assert len(skipped) <= MAX_SKIPPED, skipped
    # The walk reached the pages that matter, as the admin sees them.
    assert histogram["academy admin"][200] > 100
    assert histogram["instructor A"][200] > 30


def test_the_walk_sees_views_from_every_app(academy):
    """The resolver walk finds the project's own admin views, not only
    Wagtail's: if this fails, the URLconf changed and the walk went blind."""
    names = {name for name, _ in walk_urls(academy)[0]}
    for expected in (
        "wagtailsnippets_enrolments_enrolment:list",
        "trainees:index",
        "certificates_admin:list",
        "wagtailsnippets_courses_courserun:edit",
        "teaching:register",
        "teaching:gradebook_csv",
    ):
        assert expected in names
