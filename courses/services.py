"""Writes for courses: the one path by which runs and their meetings are created,
and the course teams that let instructors edit the courses they teach.

Also the one write of a run's recorded facts (what its certificates print).

The admin's snippet forms validate through the same model rules, so a run made
here (by the demo loader, an import or a later API) is held to exactly what an
editor would be. Every function validates with `full_clean()` before saving and
raises django.core.exceptions.ValidationError, whose messages can be shown to a
user as they are, instead of letting the database reject the row.
"""

import datetime as dt
from collections.abc import Iterable

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import Truncator
from wagtail.log_actions import log
from wagtail.models import GroupPagePermission

from courses.models import CoursePage, CourseRun, Instructor, Meeting
from courses.models.runs import RUN_FACTS_FIELDS
from courses.selectors import RunFacts, run_facts, run_facts_live


def course_run_create(
    *,
    course: CoursePage,
    starts_on: dt.date,
    ends_on: dt.date,
    capacity: int,
    enrolment_opens_on: dt.date | None = None,
    enrolment_closes_on: dt.date | None = None,
    location: str = "",
    online_url: str = "",
    label: str = "",
    instructors: Iterable[Instructor] = (),
) -> CourseRun:
    """Schedule a new run of `course` with its seats, place and instructors.

    Seats start empty: `seats_taken` belongs to the enrolment services. Raises
    ValidationError, saving nothing, when the dates, the enrolment window, the
    capacity or the place (a venue, an online link or both) do not make sense.
    """
    with transaction.atomic():
        run = CourseRun(
            course=course,
            label=label,
            starts_on=starts_on,
            ends_on=ends_on,
            enrolment_opens_on=enrolment_opens_on,
            enrolment_closes_on=enrolment_closes_on,
            capacity=capacity,
            location=location,
            online_url=online_url,
        )
        # A ParentalManyToManyField holds the choice in memory until save(), so
        # the run and its instructors are written together.
        run.instructors.set(list(instructors))
        run.full_clean()
        run.save()
        return run


def meeting_add(
    *,
    run: CourseRun,
    date: dt.date,
    start_time: dt.time,
    duration_minutes: int,
    title: str = "",
    room: str = "",
    online_url: str = "",
) -> Meeting:
    """Add one session to `run`.

    Raises ValidationError, saving nothing, when the date falls outside the run,
    the duration is not between 5 minutes and 12 hours, or the run already has a
    meeting starting at that moment.
    """
    with transaction.atomic():
        meeting = Meeting(
            run=run,
            date=date,
            start_time=start_time,
            duration_minutes=duration_minutes,
            title=title,
            room=room,
            online_url=online_url,
        )
        meeting.full_clean()
        meeting.save()
        return meeting


# --- Course teams ---------------------------------------------------------------
# Wagtail grants page permissions to groups, so each course has a group of its
# own, "Course team: <title> (#<page id>)", holding add + change + publish on
# the course page (and so on its modules), whose members are the users who
# teach it. The hooks of courses/wagtail_hooks.py keep it in step when a course
# page or a run is saved; the demo loader and `manage.py roles_sync` too.

COURSE_TEAM_PREFIX = "Course team: "


def course_team_name(course: CoursePage) -> str:
    """The team's group name; the title is shortened to fit Group.name."""
    suffix = f" (#{course.pk})"
    room = Group._meta.get_field("name").max_length - len(COURSE_TEAM_PREFIX)
    title = course.draft_title or course.title
    return f"{COURSE_TEAM_PREFIX}{Truncator(title).chars(room - len(suffix))}{suffix}"


def course_team_group(course: CoursePage) -> Group | None:
    """The course's team group, found by the page id in its name (the title
    part changes with the course's title)."""
    return Group.objects.filter(
        name__startswith=COURSE_TEAM_PREFIX, name__endswith=f" (#{course.pk})"
    ).first()


def course_teachers(course: CoursePage) -> QuerySet:
    """The users teaching `course`: the accounts of its instructors (as
    published, and in its latest draft) and of the instructors of its runs."""
    # Iterated rather than values_list(): on a page just edited in memory the
    # relation is modelcluster's FakeQuerySet, which has no "pk" field.
    instructor_ids = {instructor.pk for instructor in course.instructors.all()}
    draft = course.get_latest_revision_as_object() if course.pk else course
    instructor_ids |= {instructor.pk for instructor in draft.instructors.all()}
    return (
        get_user_model()
        .objects.filter(
            Q(instructor__pk__in=instructor_ids) | Q(instructor__runs__course=course),
            is_active=True,
        )
        .distinct()
    )


def course_team_sync(*, course: CoursePage) -> Group:
    """Create or update the team of `course`: its name, its page permissions
    and its members (users who no longer teach the course leave it)."""
    from academy_site.roles import COURSE_TEAM_PAGE_PERMISSIONS, page_permission

    with transaction.atomic():
        group = course_team_group(course) or Group(name=course_team_name(course))
        group.name = course_team_name(course)
        group.save()
        permissions = [
            page_permission(django_apps, action)
            for action in COURSE_TEAM_PAGE_PERMISSIONS
        ]
        GroupPagePermission.objects.filter(group=group).exclude(
            page=course, permission__in=permissions
        ).delete()
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(
                group=group, page=course, permission=permission
            )
        group.user_set.set(course_teachers(course))
        return group


def course_teams_sync() -> int:
    """Sync every course's team, for the demo loader and `roles_sync`."""
    courses = CoursePage.objects.order_by("pk")
    for course in courses:
        course_team_sync(course=course)
    return len(courses)


def course_teams_prune() -> int:
    """Remove the teams of deleted courses: their page permissions went with
    the page, so a team without any is left over."""
    _, deleted = Group.objects.filter(
        name__startswith=COURSE_TEAM_PREFIX, page_permissions__isnull=True
    ).delete()
    return deleted.get("auth.Group", 0)


def course_author_add(*, course: CoursePage, user) -> Instructor:
    """Make `user`, who has just created `course` in the admin, one of its
    instructors (with an Instructor profile made from their name when they
    have none), so their course team lets them publish it. The instructor is
    written to the page and to its latest revision, which the editor loads:
    otherwise the next save from the editor would drop them again."""
    with transaction.atomic():
        instructor = Instructor.objects.filter(user=user).first()
        if instructor is None:
            instructor = Instructor(
                full_name=user.get_full_name() or user.get_username(), user=user
            )
            instructor.full_clean()
            instructor.save()
        if instructor not in course.instructors.all():
            course.instructors.add(instructor)
            # A ParentalManyToManyField writes on save(); only the relation.
            course.save(update_fields=["instructors"], clean=False)
            revision = course.latest_revision
            if revision is not None:
                revision.content["instructors"] = [
                    item.pk for item in course.instructors.all()
                ]
                revision.save(update_fields=["content"])
        return instructor


def run_author_add(*, run: CourseRun, user) -> bool:
    """An instructor who schedules a run and names no instructor for it
    teaches it: without this the run would not appear on their /teaching/
    page. True when they were added."""
    instructor = Instructor.objects.filter(user=user).first()
    if instructor is None or run.instructors.exists():
        return False
    with transaction.atomic():
        run.instructors.add(instructor)
        run.save()
    return True


# --- A run's facts ------------------------------------------------------------
# Certificates print the course's hours and title and name the instructors: a
# run keeps them as they were when it started (or when it was closed, if that
# came first), so that a course edited for its next run does not rewrite the
# certificates of a past one.


# The run's history (Scheduling > Runs > History) says who replaced its facts.
RUN_FACTS_RECORDED_AGAIN = "academy.run.facts_record_again"


def run_facts_record(*, run: CourseRun) -> CourseRun:
    """Record the facts `run`'s certificates print, once: a run whose facts
    are recorded keeps them (a repeat, by the daily task or by closing, is a
    no-op). The row lock makes two recorders at once record once."""
    with transaction.atomic():
        run = CourseRun.objects.select_for_update().get(pk=run.pk)
        if run.facts_recorded_at is not None:
            return run
        _facts_write(run, run_facts_live(run))
        return run


def run_facts_record_again(*, run: CourseRun, by) -> CourseRun:
    """Replace the run's recorded facts with the course as it is now: an
    academy admin's correction (a misspelt title fixed after the run
    started). Certificates issued before keep what they print until they are
    reissued. Logged in the run's history with the facts it replaced."""
    with transaction.atomic():
        run = CourseRun.objects.select_for_update().get(pk=run.pk)
        before = run_facts(run)
        after = run_facts_live(run)
        _facts_write(run, after)
        log(
            run,
            RUN_FACTS_RECORDED_AGAIN,
            user=by,
            data={"before": _facts_data(before), "after": _facts_data(after)},
        )
        return run


def _facts_write(run: CourseRun, facts: RunFacts) -> None:
    run.facts_recorded_at = timezone.now()
    run.facts_hours = facts.hours
    run.facts_title = facts.title
    run.facts_titles = facts.titles
    run.facts_instructors = list(facts.instructors)
    run.save(update_fields=RUN_FACTS_FIELDS)


def _facts_data(facts: RunFacts) -> dict:
    return {
        "hours": str(facts.hours),
        "title": facts.title,
        "titles": facts.titles,
        "instructors": list(facts.instructors),
        "recorded_at": facts.recorded_at.isoformat() if facts.recorded_at else None,
    }


def runs_started_facts_record(*, today: dt.date | None = None) -> int:
    """Record the facts of every run that has started by `today` and has none
    recorded yet (the daily task); returns how many were recorded. Safe to run
    twice: the second finds nothing left to record."""
    today = today or timezone.localdate()
    pending = CourseRun.objects.filter(
        starts_on__lte=today, facts_recorded_at__isnull=True
    ).order_by("pk")
    recorded = 0
    for run in pending:
        run_facts_record(run=run)
        recorded += 1
    return recorded
