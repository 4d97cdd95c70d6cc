"""The demo's evaluation form and the answers given after past runs
(academy_site/demo/evaluations.py), through the evaluation service."""

from wagtail.models import Locale

from academy_site.demo.evaluations import ANSWERS, FORM, FORM_SR_LATN
from academy_site.demo.load.state import DemoLoad
from courses.models import EvaluationForm
from enrolments.models import EvaluationParticipation
from enrolments.rules.evaluations import AnswersInvalid
from enrolments.services.evaluations import EvaluationRefused, evaluation_submit


def evaluation_form_load(demo: DemoLoad) -> None:
    """The academy's default form and its Serbian Latin translation; an
    existing default (an editor's) is kept as it is."""
    original_locale = Locale.get_default()
    form = EvaluationForm.objects.filter(
        is_default=True, locale=original_locale
    ).first()
    if form is None:
        form = EvaluationForm(
            locale=original_locale,
            title=FORM["title"],
            intro=FORM["intro"],
            anonymous=True,
            is_default=True,
            questions=FORM["questions"],
        )
        form.full_clean()
        form.save()
        demo.created["evaluation form"] += 1
    latin = Locale.objects.filter(language_code="sr-latn").first()
    if latin and not form.has_translation(latin):
        # What Translate (wagtail.contrib.simple_translation) does: a copy
        # that keeps the ids, then the translator's words.
        copy = form.copy_for_translation(latin)
        copy.title = FORM_SR_LATN["title"]
        copy.intro = FORM_SR_LATN["intro"]
        copy.questions = FORM_SR_LATN["questions"]
        copy.save()
        demo.created["evaluation form translation"] += 1


def evaluations_load(demo: DemoLoad) -> None:
    """What trainees answered after the demo's past runs, once each."""
    evaluation_form_load(demo)
    enrolments = {
        (spec["trainee"], spec["course"], spec["run"]): enrolment
        for spec, enrolment in demo.enrolments
    }
    for trainee, course, run, language, answers in ANSWERS:
        enrolment = enrolments.get((trainee, course, run))
        if enrolment is None:
            continue
        if EvaluationParticipation.objects.filter(
            enrolment=enrolment, answered=True
        ).exists():
            continue
        enrolment.refresh_from_db()
        try:
            evaluation_submit(enrolment=enrolment, raw=answers, language=language)
        except (EvaluationRefused, AnswersInvalid) as refused:
            demo.skipped.append(f"{enrolment}'s evaluation: {refused}")
            continue
        demo.created["evaluation answer"] += 1
