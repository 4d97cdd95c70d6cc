"""Module progress: a trainee marks a module done (quizzes record their own)."""

from django.db import transaction
from django.utils.translation import gettext as _

from courses.models import ModulePage
from enrolments.access import STUDYING_STATUSES
from enrolments.errors import EnrolmentError
from enrolments.models import Enrolment, ModuleProgress
from enrolments.rules.completion import outcome_recompute


def module_mark_done(
    *,
    enrolment: Enrolment,
    module: ModulePage,
    source: str = ModuleProgress.Source.MARKED,
) -> ModuleProgress:
    """Record that the trainee finished `module` (once; a repeat is a no-op) and
    recompute the enrolment's outcome. A translated module counts as its
    original (courses/locales.py)."""
    module = module.original
    if enrolment.status not in STUDYING_STATUSES:
        raise EnrolmentError(_("Only a confirmed enrolment can record progress."))
    if not module.live or module.get_parent().pk != enrolment.course_id:
        raise EnrolmentError(_("This module is not part of your course."))
    with transaction.atomic():
        progress, created = ModuleProgress.objects.get_or_create(
            enrolment=enrolment, module=module, defaults={"source": source}
        )
        if created:
            outcome_recompute(enrolment=enrolment)
        return progress
