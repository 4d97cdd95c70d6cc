"""The catalogue: topics, instructors, course and module pages with their
quizzes and assignments, runs and their meetings."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import timezone
from wagtail.models import Page

from academy_site.demo.courses import (
    COURSES,
    ENROLMENT_CLOSES_DAYS_BEFORE,
    ENROLMENT_OPENS_DAYS_BEFORE,
)
from academy_site.demo.load.state import DemoLoad
from academy_site.demo.people import INSTRUCTORS
from academy_site.demo.site import CATALOGUE, LOCATIONS, ONLINE_MEETING_BASE, TOPICS
from courses.models import (
    CourseIndexPage,
    CoursePage,
    CourseRun,
    Instructor,
    Meeting,
    ModulePage,
    Topic,
)
from courses.services import course_run_create, meeting_add
from home.models import HomePage

# Local time of an assignment's deadline: the demo dates it by day only.
DEADLINE_TIME = dt.time(23, 59)


def topics_load(demo: DemoLoad) -> None:
    for spec in TOPICS:
        topic = Topic.objects.filter(slug=spec["slug"]).first()
        if topic is None:
            topic = Topic(
                slug=spec["slug"], name=spec["name"], name_sr_latn=spec["name_sr_latn"]
            )
            topic.full_clean()
            topic.save()
            demo.created["topic"] += 1
        elif not topic.name_sr_latn:
            # A demo loaded before topics had Serbian names gets them.
            topic.name_sr_latn = spec["name_sr_latn"]
            topic.full_clean()
            topic.save()
        demo.topics[spec["slug"]] = topic


def instructors_load(demo: DemoLoad) -> None:
    """Instructors by full name (they have no other natural key), linked to
    their account when they have one."""
    user_model = get_user_model()
    for spec in INSTRUCTORS:
        instructor = Instructor.objects.filter(full_name=spec["full_name"]).first()
        if instructor is None:
            user = None
            if spec["login"]:
                user = user_model.objects.get(username=spec["login"])
                if Instructor.objects.filter(user=user).exists():
                    user = None  # That account already belongs to someone.
            instructor = Instructor(
                full_name=spec["full_name"],
                job_title=spec["job_title"],
                organisation=spec["organisation"],
                bio=spec["bio"],
                user=user,
            )
            instructor.full_clean()
            instructor.save()
            demo.created["instructor"] += 1
        demo.instructors[spec["full_name"]] = instructor


def catalogue_load(demo: DemoLoad, home: HomePage) -> CourseIndexPage:
    spec = CATALOGUE
    return child_page_find_or_create(
        demo,
        parent=home,
        model=CourseIndexPage,
        slug=spec["slug"],
        build=lambda: CourseIndexPage(title=spec["title"], intro=spec["intro"]),
        kind="catalogue page",
    )


def courses_load(demo: DemoLoad, catalogue: CourseIndexPage) -> None:
    for spec in COURSES:
        course = child_page_find_or_create(
            demo,
            parent=catalogue,
            model=CoursePage,
            slug=spec["slug"],
            build=lambda spec=spec: course_page_build(demo, spec),
            kind="course page",
        )
        demo.courses[spec["slug"]] = course
        for module_spec in spec["modules"]:
            module = child_page_find_or_create(
                demo,
                parent=course,
                model=ModulePage,
                slug=module_spec["slug"],
                build=lambda module_spec=module_spec: ModulePage(
                    title=module_spec["title"],
                    summary=module_spec["summary"],
                    estimated_minutes=module_spec["estimated_minutes"],
                    is_required=module_spec.get("is_required", True),
                    body=stream_value(
                        ModulePage,
                        module_spec["body"] + assessment_blocks(demo, module_spec),
                    ),
                ),
                kind="module page",
            )
            assessments_add_missing(demo, module, module_spec)
            demo.modules[(spec["slug"], module_spec["slug"])] = module


def assessment_blocks(demo: DemoLoad, module_spec: dict) -> list[dict]:
    """The module's quiz and assignment blocks in the StreamField's JSON
    form, an assignment's deadline turned from days into a date and time."""
    blocks = []
    for spec in module_spec.get("assessments", []):
        value = dict(spec["value"])
        if "deadline_in_days" in spec:
            due = demo.today + dt.timedelta(days=spec["deadline_in_days"])
            value["deadline"] = timezone.make_aware(
                dt.datetime.combine(due, DEADLINE_TIME)
            )
        blocks.append({"type": spec["type"], "id": spec["id"], "value": value})
    return blocks


def assessments_add_missing(
    demo: DemoLoad, module: ModulePage, module_spec: dict
) -> None:
    """Append the demo's quizzes and assignments that a module page made by
    an earlier version of the demo lacks, found by block id, and
    publish that as a new revision; a page that has them is not touched.

    A page with unpublished changes is left alone: publishing would either
    put an editor's unfinished draft live or bury it under this revision.
    """
    missing = [
        block
        for block in assessment_blocks(demo, module_spec)
        if module.assessment_block(block["id"], block["type"]) is None
    ]
    if not missing:
        return
    if module.has_unpublished_changes:
        demo.skipped.append(
            f'the quiz or assignment of "{module.title}": the page has '
            "unpublished changes"
        )
        return
    for child in stream_value(ModulePage, missing):
        module.body.append((child.block_type, child.value, child.id))
    module.save_revision(user=demo.admin).publish(user=demo.admin)
    demo.created["quiz or assignment block"] += len(missing)


def course_page_build(demo: DemoLoad, spec: dict) -> CoursePage:
    course = CoursePage(
        title=spec["title"],
        summary=spec["summary"],
        learning_outcomes="\n".join(spec["learning_outcomes"]),
        level=spec["level"],
        language=spec["language"],
        format=spec["format"],
        duration_hours=Decimal(spec["duration_hours"]),
        price_member=Decimal(spec["price_member"]),
        price_non_member=Decimal(spec["price_non_member"]),
        enrolment_policy=spec["enrolment_policy"],
        needs_employer_approval=spec.get("needs_employer_approval", False),
        attendance_threshold_percent=spec["attendance_threshold_percent"],
        pass_mark_percent=spec["pass_mark_percent"],
        certificate_validity_months=spec.get("certificate_validity_months"),
        body=stream_value(CoursePage, spec["body"]),
    )
    course.topics.set([demo.topics[slug] for slug in spec["topics"]])
    course.instructors.set([demo.instructors[name] for name in spec["instructors"]])
    return course


def child_page_find_or_create(
    demo: DemoLoad, *, parent: Page, model: type[Page], slug: str, build, kind
):
    """The child of `parent` with this slug, or a new published one made by
    `build()`. An existing page is left as it is, draft or live."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        page = existing.specific
        if not isinstance(page, model):
            raise CommandError(
                f'"{existing.url_path}" is a {type(page).__name__}, not a '
                f"{model.__name__}; rename or move it and run this again."
            )
        return page
    page = build()
    page.slug = slug
    parent.add_child(instance=page)
    page.save_revision(user=demo.admin).publish(user=demo.admin)
    demo.created[kind] += 1
    return page


def stream_value(model: type[Page], raw: list[dict]):
    """The body as a validated StreamValue, so a bad demo value (a video URL
    that cannot be embedded, an unknown block) stops the load instead of
    reaching a page. StreamBlock.to_python silently drops unknown block
    types, hence the explicit check."""
    stream_block = model._meta.get_field("body").stream_block
    unknown = {item["type"] for item in raw} - set(stream_block.child_blocks)
    if unknown:
        raise CommandError(f"Unknown block types in the demo data: {unknown}")
    return stream_block.clean(stream_block.to_python(raw))


def runs_load(demo: DemoLoad) -> None:
    for spec in COURSES:
        course = demo.courses[spec["slug"]]
        for run_spec in spec["runs"]:
            run = run_find_or_create(demo, course=course, spec=spec, run_spec=run_spec)
            room = LOCATIONS[run_spec["location"]]["room"]
            run_meetings_add(demo, run=run, schedule=spec["schedule"], room=room)
            run_instructors_add(demo, run, run_spec.get("also_taught_by", []))
            demo.runs[(spec["slug"], run_spec["starts_in_days"])] = run


def run_instructors_add(demo: DemoLoad, run: CourseRun, names: list[str]) -> None:
    """Add the instructors who teach this run besides the course's own
    (the instructor demo login, so /teaching/ shows the runs with
    registers and grades) when a run made earlier lacks them."""
    current = set(run.instructors.values_list("pk", flat=True))
    missing = [
        demo.instructors[name]
        for name in names
        if demo.instructors[name].pk not in current
    ]
    if not missing:
        return
    # A ParentalManyToManyField keeps .add() in memory until save().
    run.instructors.add(*missing)
    run.save()
    demo.created["run instructor"] += len(missing)


def run_find_or_create(
    demo: DemoLoad, *, course: CoursePage, spec: dict, run_spec: dict
) -> CourseRun:
    starts_on = monday_on_or_after(
        demo.today + dt.timedelta(days=run_spec["starts_in_days"])
    )
    run = CourseRun.objects.filter(course=course, starts_on=starts_on).first()
    if run is not None:
        return run

    place = LOCATIONS[run_spec["location"]]
    online_url = ""
    if course.format == CoursePage.Format.BLENDED:
        online_url = f"{ONLINE_MEETING_BASE}{course.slug}-{starts_on:%Y%m%d}"
    last_day = max(session[0] for session in spec["schedule"])
    run = course_run_create(
        course=course,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=last_day),
        capacity=run_spec["capacity"],
        enrolment_opens_on=starts_on - dt.timedelta(days=ENROLMENT_OPENS_DAYS_BEFORE),
        enrolment_closes_on=starts_on - dt.timedelta(days=ENROLMENT_CLOSES_DAYS_BEFORE),
        location=place["address"],
        online_url=online_url,
        label=place["label"],
        instructors=[
            demo.instructors[name]
            for name in dict.fromkeys(
                spec["instructors"] + run_spec.get("also_taught_by", [])
            )
        ],
    )
    demo.created["run"] += 1
    return run


def run_meetings_add(
    demo: DemoLoad, *, run: CourseRun, schedule: list[tuple], room: str
) -> None:
    for day, start, minutes, where, title in schedule:
        date = run.starts_on + dt.timedelta(days=day)
        start_time = dt.time.fromisoformat(start)
        if Meeting.objects.filter(run=run, date=date, start_time=start_time).exists():
            continue
        meeting_add(
            run=run,
            date=date,
            start_time=start_time,
            duration_minutes=minutes,
            title=title,
            room=room if where == "room" else "",
            online_url=run.online_url if where == "online" else "",
        )
        demo.created["meeting"] += 1


def monday_on_or_after(day: dt.date) -> dt.date:
    """Runs start on a Monday, so weekday sessions fall on working days."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)
