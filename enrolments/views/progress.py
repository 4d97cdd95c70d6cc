"""Marking a module done, from the module page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from courses.locales import url_in_active_language, with_translations
from courses.models import ModulePage
from enrolments.access import studying_enrolment
from enrolments.errors import EnrolmentError
from enrolments.services.progress import module_mark_done


@login_required
@require_POST
def mark_done(request: HttpRequest, module_id: int):
    module = get_object_or_404(ModulePage.objects.live(), pk=module_id)
    course = module.course
    enrolment = studying_enrolment(user=request.user, course=course)
    if enrolment is None:
        raise Http404
    try:
        module_mark_done(enrolment=enrolment, module=module)
    except EnrolmentError as error:
        messages.error(request, error.message)
        return redirect(url_in_active_language(module))
    messages.success(
        request, gettext("“%(module)s” is marked as done.") % {"module": module.title}
    )
    # On to the next module in the reader's language; after the last, the course.
    following = module.next_in(course.modules_shown(request))
    if following is not None:
        return redirect(following.shown_url)
    return redirect(with_translations([course], request)[0].shown_url)
