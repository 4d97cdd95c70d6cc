"""The academy's roles, as Wagtail groups, defined in one place.

- Academy admins: the whole back office (courses, scheduling, people,
  enrolments, attendance, certificates, reports, images, documents, every
  page and its translations, the academy's settings), but not superusers:
  user accounts and groups stay with the superuser, because Wagtail's user
  form lets whoever edits users tick "Administrator" (superuser) on an
  account.
- Instructors: the admin, images and documents of their own, new courses under
  every catalogue page, and change + publish on the courses they teach (the
  per-course team groups of courses/services.py `course_team_sync`). They see
  the enrolments and trainees of the runs they teach through the permission
  policies of enrolments/admin/permissions.py, not through model permissions,
  which would mean every row.
- Trainees: a group with no permission at all; they use the public site only.

`roles_sync()` makes the groups match these definitions; it runs in the data
migration academy_site/migrations/0001_roles.py (with the migration's apps)
and from `manage.py roles_sync`. Groups are edited in Settings > Groups;
re-syncing adds what is missing here and removes permissions a role must not
have (for instance an admin permission granted to Trainees by hand).
"""

from django.apps import apps as global_apps
from django.db import transaction

ACADEMY_ADMIN = "Academy admins"
INSTRUCTOR = "Instructors"
TRAINEE = "Trainees"
ROLES = (ACADEMY_ADMIN, INSTRUCTOR, TRAINEE)

ACCESS_ADMIN = ("wagtailadmin", "access_admin")

# Academy admins hold every model permission of these apps (their models are
# what the back office shows: runs, instructors, topics, organisations,
# enrolments, trainees, attendance, certificates, templates, and the custom
# `enrolments.view_reports` and `enrolments.erase_traineeprofile`).
ADMIN_APPS = ("courses", "enrolments", "certificates")
# ...and these, by (app label, codename).
ADMIN_PERMISSIONS = (
    ACCESS_ADMIN,
    ("home", "change_academysettings"),
    # Settings > E-mails: the outbox, what was sent and why one failed.
    ("academy_site", "view_outboundemail"),
    ("wagtailredirects", "add_redirect"),
    ("wagtailredirects", "change_redirect"),
    ("wagtailredirects", "delete_redirect"),
    # "Translate" in a page's menu: copies it into another language's tree
    # (courses/locales.py says how translations are shown).
    ("simple_translation", "submit_translation"),
)
# Page permissions of Academy admins on the root of the page tree.
ADMIN_PAGE_PERMISSIONS = ("add", "change", "publish", "lock", "unlock")
# Collection permissions on the root collection (so on every collection).
ADMIN_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "delete_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "delete_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailcore", "add_collection"),
    ("wagtailcore", "change_collection"),
    ("wagtailcore", "delete_collection"),
)

INSTRUCTOR_PERMISSIONS = (
    ACCESS_ADMIN,
    # Scheduling > Runs, scoped to the runs of the courses they teach
    # (courses/wagtail_hooks.py); Instructors and Topics are read-only to them.
    ("courses", "add_courserun"),
    ("courses", "change_courserun"),
    ("courses", "view_courserun"),
    ("courses", "view_instructor"),
    ("courses", "view_topic"),
    # Authors keep the names of their courses' tools in Latin on Cyrillic pages.
    ("courses", "add_latinterm"),
    ("courses", "change_latinterm"),
    ("courses", "view_latinterm"),
    # The questions their courses' evaluations ask (academy admins write them).
    ("courses", "view_evaluationform"),
)
# "Add" on every CourseIndexPage: new courses (which they then own) only.
INSTRUCTOR_CATALOGUE_PAGE_PERMISSIONS = ("add",)
INSTRUCTOR_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
)

# What a course team (courses/services.py) holds on its course page.
COURSE_TEAM_PAGE_PERMISSIONS = ("add", "change", "publish")


def grant_role(*, user, role: str) -> None:
    """Put `user` in the group of `role` (one of ROLES), creating and syncing
    the groups first when they are missing (a database made without the data
    migration, e.g. by a test run with --no-migrations)."""
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; expected one of {ROLES}.")
    group_model = global_apps.get_model("auth", "Group")
    group = group_model.objects.filter(name=role).first()
    if group is None:
        roles_sync()
        group = group_model.objects.get(name=role)
    user.groups.add(group)


def roles_sync(*, apps=global_apps) -> dict[str, int]:
    """Create or update the three role groups and their model, page and
    collection permissions; idempotent. `apps` is a migration's app registry
    inside a data migration, the project's otherwise. Returns the number of
    permissions each group holds, for the command's output."""
    permission_model = apps.get_model("auth", "Permission")
    group_model = apps.get_model("auth", "Group")
    with transaction.atomic():
        admins, _ = group_model.objects.get_or_create(name=ACADEMY_ADMIN)
        instructors, _ = group_model.objects.get_or_create(name=INSTRUCTOR)
        trainees, _ = group_model.objects.get_or_create(name=TRAINEE)

        admin_permissions = set(
            permission_model.objects.filter(content_type__app_label__in=ADMIN_APPS)
        ) | set(_permissions(apps, ADMIN_PERMISSIONS))
        admins.permissions.set(admin_permissions)
        instructors.permissions.set(_permissions(apps, INSTRUCTOR_PERMISSIONS))
        trainees.permissions.clear()

        root_page = _root_page(apps)
        _set_page_permissions(
            apps,
            group=admins,
            pages=[root_page] if root_page else [],
            actions=ADMIN_PAGE_PERMISSIONS,
        )
        catalogues = list(
            apps.get_model("courses", "CourseIndexPage").objects.order_by("pk")
        )
        _set_page_permissions(
            apps,
            group=instructors,
            pages=catalogues,
            actions=INSTRUCTOR_CATALOGUE_PAGE_PERMISSIONS,
        )
        _set_page_permissions(apps, group=trainees, pages=[], actions=())

        root_collection = _root_collection(apps)
        _set_collection_permissions(
            apps,
            group=admins,
            collection=root_collection,
            permissions=ADMIN_COLLECTION_PERMISSIONS,
        )
        _set_collection_permissions(
            apps,
            group=instructors,
            collection=root_collection,
            permissions=INSTRUCTOR_COLLECTION_PERMISSIONS,
        )
        _set_collection_permissions(
            apps, group=trainees, collection=None, permissions=()
        )
    return {
        group.name: group.permissions.count()
        + group.page_permissions.count()
        + group.collection_permissions.count()
        for group in (admins, instructors, trainees)
    }


def page_permission(apps, action: str):
    """The Permission row of a Wagtail page action ("add" -> add_page)."""
    return apps.get_model("auth", "Permission").objects.get(
        content_type__app_label="wagtailcore", codename=f"{action}_page"
    )


def _has_models(apps, app_label: str) -> bool:
    try:
        return bool(list(apps.get_app_config(app_label).get_models()))
    except LookupError:
        return False


def _permissions(apps, pairs) -> list:
    permission_model = apps.get_model("auth", "Permission")
    found = []
    for app_label, codename in pairs:
        permission = permission_model.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is None and (
            not _has_models(apps, app_label) or apps is not global_apps
        ):
            # A data migration's state, before the migration that creates the
            # app's tables or this model: the re-sync after every migration
            # (academy_site/apps.py) grants it.
            continue
        if permission is None:
            raise LookupError(
                f"Permission {app_label}.{codename} does not exist; run migrate."
            )
        found.append(permission)
    return found


def _root_page(apps):
    # The root of the tree, as Wagtail's own Editors and Moderators groups:
    # it covers the site's home page and everything under it.
    return apps.get_model("wagtailcore", "Page").objects.filter(depth=1).first()


def _root_collection(apps):
    return apps.get_model("wagtailcore", "Collection").objects.filter(depth=1).first()


def _set_page_permissions(apps, *, group, pages, actions) -> None:
    """Exactly these page permissions for the group: missing ones are added,
    others removed."""
    model = apps.get_model("wagtailcore", "GroupPagePermission")
    wanted = {
        (page.pk, permission.pk)
        for page in pages
        for permission in (page_permission(apps, action) for action in actions)
    }
    existing = {
        (row.page_id, row.permission_id): row.pk
        for row in model.objects.filter(group=group)
    }
    model.objects.filter(
        pk__in=[pk for key, pk in existing.items() if key not in wanted]
    ).delete()
    model.objects.bulk_create(
        model(group=group, page_id=page_id, permission_id=permission_id)
        for page_id, permission_id in wanted - set(existing)
    )


def _set_collection_permissions(apps, *, group, collection, permissions) -> None:
    model = apps.get_model("wagtailcore", "GroupCollectionPermission")
    wanted = (
        {(collection.pk, p.pk) for p in _permissions(apps, permissions)}
        if collection is not None
        else set()
    )
    existing = {
        (row.collection_id, row.permission_id): row.pk
        for row in model.objects.filter(group=group)
    }
    model.objects.filter(
        pk__in=[pk for key, pk in existing.items() if key not in wanted]
    ).delete()
    model.objects.bulk_create(
        model(group=group, collection_id=collection_id, permission_id=permission_id)
        for collection_id, permission_id in wanted - set(existing)
    )
