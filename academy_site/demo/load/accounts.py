"""The demo's accounts: the superuser, the academy office, the instructors'
logins, and the role groups and course teams that follow them."""

from django.contrib.auth import get_user_model

from academy_site.demo.load.state import DemoLoad
from academy_site.demo.people import ADMIN, INSTRUCTOR_PASSWORD, INSTRUCTORS, OFFICE
from academy_site.roles import ACADEMY_ADMIN, INSTRUCTOR, grant_role, roles_sync
from courses.services import course_teams_sync


def accounts_load(demo: DemoLoad) -> None:
    """The superuser, the academy office's account (an Academy admin, not
    a superuser) and the instructors' Wagtail-admin accounts, each in its
    role's group (academy_site/roles.py)."""
    demo.admin = user_find_or_create(
        demo,
        username=ADMIN["username"],
        email=ADMIN["email"],
        password=ADMIN["password"],
        full_name=f"{ADMIN['first_name']} {ADMIN['last_name']}",
        is_staff=True,
        is_superuser=True,
        kind="admin",
    )
    office = user_find_or_create(
        demo,
        username=OFFICE["username"],
        email=OFFICE["email"],
        password=OFFICE["password"],
        full_name=(f"{OFFICE['first_name']} {OFFICE['last_name']}"),
        is_staff=True,
        kind="academy admin",
    )
    grant_role(user=office, role=ACADEMY_ADMIN)
    demo.office = office
    for spec in INSTRUCTORS:
        if not spec["login"]:
            continue
        user = user_find_or_create(
            demo,
            username=spec["login"],
            email=spec["login"],
            password=INSTRUCTOR_PASSWORD,
            full_name=spec["full_name"],
            is_staff=True,
            kind="instructor account",
        )
        grant_role(user=user, role=INSTRUCTOR)


def roles_load(demo: DemoLoad) -> None:
    """Instructors may add courses under the catalogue, and each course's
    team may edit it: both follow the pages and runs made above (pages
    made here bypass the admin's hooks that keep them in step)."""
    roles_sync()
    course_teams_sync()


def user_find_or_create(
    demo: DemoLoad,
    *,
    username: str,
    email: str,
    password: str,
    full_name: str,
    kind: str,
    is_staff: bool = False,
    is_superuser: bool = False,
):
    """The account with this username, created with the demo password when
    missing. An existing account is returned untouched, so a password
    someone changed is never reset."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is not None:
        return user
    first_name, _, last_name = full_name.partition(" ")
    user = user_model(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    demo.created[kind] += 1
    return user
