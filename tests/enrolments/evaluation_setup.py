"""Evaluation forms in the shape the product writes: the StreamField JSON an
editor saves in Snippets > Evaluation forms (block ids on questions, item ids
on options), translations made as Translate makes them (copy_for_translation,
which keeps the ids), and a run whose trainees took part through the register
service."""

import datetime as dt
from zoneinfo import ZoneInfo

from wagtail.models import Locale

from courses.models import EvaluationForm
from enrolments.services import enrolment_create
from enrolments.services.attendance import register_save
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    MeetingFactory,
    TraineeProfileFactory,
    UserFactory,
)

BELGRADE = ZoneInfo("Europe/Belgrade")


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=BELGRADE)


def questions_json(*, labels: dict | None = None) -> list[dict]:
    """A rating, a single and a multiple choice, free text and the NPS."""
    words = {
        "rating": "How useful was the course?",
        "low": "Useless",
        "high": "Very useful",
        "pace": "The pace was",
        "slow": "Too slow",
        "right": "Just right",
        "fast": "Too fast",
        "liked": "What helped you most?",
        "labs": "Labs",
        "slides": "Slides",
        "talks": "Discussions",
        "better": "What should we improve?",
        "nps": "Would you recommend it to a colleague?",
        **(labels or {}),
    }
    return [
        {
            "type": "rating",
            "id": "q-useful",
            "value": {
                "prompt": words["rating"],
                "low_label": words["low"],
                "high_label": words["high"],
                "required": True,
            },
        },
        {
            "type": "choice",
            "id": "q-pace",
            "value": {
                "prompt": words["pace"],
                "options": [
                    {"type": "item", "id": "o-slow", "value": words["slow"]},
                    {"type": "item", "id": "o-right", "value": words["right"]},
                    {"type": "item", "id": "o-fast", "value": words["fast"]},
                ],
                "multiple": False,
                "required": True,
            },
        },
        {
            "type": "choice",
            "id": "q-liked",
            "value": {
                "prompt": words["liked"],
                "options": [
                    {"type": "item", "id": "o-labs", "value": words["labs"]},
                    {"type": "item", "id": "o-slides", "value": words["slides"]},
                    {"type": "item", "id": "o-talks", "value": words["talks"]},
                ],
                "multiple": True,
                "required": False,
            },
        },
        {
            "type": "text",
            "id": "q-better",
            "value": {"prompt": words["better"], "required": False},
        },
        {
            "type": "nps",
            "id": "q-nps",
            "value": {"prompt": words["nps"], "required": True},
        },
    ]


SERBIAN_LATIN = {
    "rating": "Koliko vam je kurs bio koristan?",
    "low": "Nimalo",
    "high": "Veoma",
    "pace": "Tempo je bio",
    "slow": "Prespor",
    "right": "Taman",
    "fast": "Prebrz",
    "liked": "Šta vam je najviše pomoglo?",
    "labs": "Vežbe",
    "slides": "Slajdovi",
    "talks": "Diskusije",
    "better": "Šta da poboljšamo?",
    "nps": "Da li biste ga preporučili kolegi?",
}


def evaluation_form(*, anonymous=True, is_default=True, title="After the course"):
    form = EvaluationForm(
        title=title,
        intro="Five questions, two minutes.",
        anonymous=anonymous,
        is_default=is_default,
        locale=Locale.get_default(),
        questions=questions_json(),
    )
    form.full_clean()
    form.save()
    return form


def translate_form(form: EvaluationForm, language: str, **words) -> EvaluationForm:
    """What Translate does (a copy in the locale, ids kept), then the
    translator's words."""
    copy = form.copy_for_translation(Locale.objects.get(language_code=language))
    copy.title = words.pop("title", "Posle kursa")
    copy.questions = questions_json(labels=words or SERBIAN_LATIN)
    copy.save()
    return copy


def good_answers(**changes) -> dict:
    answers = {
        "q-useful": "4",
        "q-pace": "o-right",
        "q-liked": ["o-labs", "o-talks"],
        "q-better": "More labs, please.",
        "q-nps": "9",
    }
    answers.update(changes)
    return answers


def run_with_trainees(
    catalogue,
    *,
    names=("Ana Jovanović", "Bojan Ilić"),
    email_prefix="trainee",
    capacity=20,
    **course,
):
    """A run with meetings on 10 and 11 December at 10:00 and a confirmed
    place for each name; the first attends the first meeting (the register),
    the others are marked absent. The clock must be before 10 December."""
    course = CoursePageFactory(
        parent=catalogue, title=course.pop("title", "Kubernetes u produkciji"), **course
    )
    run = CourseRunFactory(
        course=course,
        starts_on=dt.date(2026, 12, 10),
        ends_on=dt.date(2026, 12, 11),
        enrolment_opens_on=dt.date(2026, 11, 20),
        enrolment_closes_on=dt.date(2026, 12, 8),
        capacity=capacity,
    )
    first = MeetingFactory(run=run, date=dt.date(2026, 12, 10), start_time=dt.time(10))
    last = MeetingFactory(run=run, date=dt.date(2026, 12, 11), start_time=dt.time(10))
    enrolments = []
    for index, name in enumerate(names):
        email = f"{email_prefix}{index}@example.rs"
        trainee = TraineeProfileFactory(
            full_name=name, user=UserFactory(username=email, email=email)
        )
        enrolments.append(enrolment_create(trainee=trainee, run=run))
    return {
        "course": course,
        "run": run,
        "meetings": (first, last),
        "enrolments": enrolments,
    }


def mark_first_meeting(setup, *, present=(0,)):
    marks = {
        enrolment.pk: "present" if index in present else "absent"
        for index, enrolment in enumerate(setup["enrolments"])
    }
    register_save(meeting=setup["meetings"][0], marks=marks, by=None)
