"""What one load of the demo academy has found or made so far, and what it
counted: the steps of every app read what earlier steps put here (a run's
enrolments need its course page and its trainees)."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from courses.models import CoursePage, CourseRun, Instructor, ModulePage, Topic
from enrolments.models import Enrolment, Organisation, TraineeProfile


@dataclass
class DemoLoad:
    today: dt.date
    # Created in this load, by kind ("course page": 8); printed in the summary.
    created: Counter[str] = field(default_factory=Counter)
    # What was left out, and why; printed with the summary.
    skipped: list[str] = field(default_factory=list)
    # The superuser, who publishes the pages and decides the enrolments.
    admin: object | None = None
    office: object | None = None
    # Marks the registers and grades (the teaching instructor's account).
    teacher: object | None = None
    topics: dict[str, Topic] = field(default_factory=dict)
    instructors: dict[str, Instructor] = field(default_factory=dict)
    courses: dict[str, CoursePage] = field(default_factory=dict)
    modules: dict[tuple[str, str], ModulePage] = field(default_factory=dict)
    runs: dict[tuple[str, int], CourseRun] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    trainees: dict[str, TraineeProfile] = field(default_factory=dict)
    # (spec, enrolment) for every enrolment of academy_site/demo/enrolments.py that
    # exists, made now or earlier; the later steps work on these.
    enrolments: list[tuple[dict, Enrolment]] = field(default_factory=list)
