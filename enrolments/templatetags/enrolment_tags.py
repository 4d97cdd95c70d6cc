from django import template

from enrolments.selectors import active_enrolments_by_run

register = template.Library()


@register.simple_tag(takes_context=True)
def my_enrolments(context, course) -> dict:
    """{run id: enrolment} of the visitor in this course, in one query."""
    request = context.get("request")
    if request is None:
        return {}
    return active_enrolments_by_run(user=request.user, course=course)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def my_progress(context, course):
    """The visitor's studying enrolment in `course` with its standing and the
    ids of the modules they finished, or None."""
    from enrolments.access import studying_enrolment
    from enrolments.models import ModuleProgress
    from enrolments.rules.completion import standings

    request = context.get("request")
    if request is None:
        return None
    enrolment = studying_enrolment(user=request.user, course=course)
    if enrolment is None:
        return None
    return {
        "enrolment": enrolment,
        "standing": standings([enrolment])[enrolment.pk],
        "done_module_ids": set(
            ModuleProgress.objects.filter(enrolment=enrolment).values_list(
                "module_id", flat=True
            )
        ),
    }


@register.simple_tag(takes_context=True)
def teaches(context) -> bool:
    """Whether the visitor manages any run (instructor or academy admin), for
    the "Teaching" link in the header."""
    from enrolments.access import teaches_runs

    request = context.get("request")
    if request is None:
        return False
    return teaches_runs(request.user)


@register.simple_tag(takes_context=True)
def site_roles(context):
    """What the header and footer offer the visitor (enrolments/access.py
    `site_roles`): `teaches`, `coordinates`, `admin`."""
    from enrolments.access import NO_ROLES, site_roles

    request = context.get("request")
    user = getattr(request, "user", None)
    return site_roles(user) if user is not None else NO_ROLES


@register.simple_tag(takes_context=True)
def coordinates(context) -> bool:
    """Whether the visitor coordinates an organisation, for the "Your
    organisation" link in the header."""
    from enrolments.access import site_roles

    request = context.get("request")
    if request is None:
        return False
    return site_roles(request.user).coordinates


@register.inclusion_tag(
    "enrolments/includes/member_price_note.html", takes_context=True
)
def member_price_note(context, course):
    """What the signed-in trainee pays for `course` and why: the member price
    as confirmed staff, or the non-member price until their organisation's
    claim is confirmed (enrolments/rules/membership.py)."""
    from enrolments.rules.membership import standing_of

    request = context.get("request")
    user = getattr(request, "user", None)
    trainee = getattr(user, "trainee", None) if user and user.is_authenticated else None
    if trainee is None:
        return {}
    standing = standing_of(trainee)
    return {
        "standing": standing,
        "course": course,
        "price": standing.price(course),
    }
