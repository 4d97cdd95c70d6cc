"""`manage.py load_demo_academy`: fill an empty site with a realistic academy.

`make run` calls this after `migrate` on every start, so it must be safe to run
again: every object is looked up by its natural key (slug, PIB, username,
(course, starts_on) for runs, (run, date, start_time) for meetings) and only
created when missing. Nothing that exists is overwritten: an editor's changes
and a user's password survive a re-run. Pages are published, and the home page
republished, only when this command created or changed them, so a second run on
the same day writes nothing at all.

The content lives in academy_site/demo_data.py; runs and meetings are written
through courses/services.py, the same validated path the rest of the code uses.
Enrolments, registers, module progress, quiz attempts, submissions and grades
go through the enrolments services too, so seats, the waitlist, outcomes and
e-mails (queued for Celery when the transaction commits) come out as they do
in real use. Those are looked up by their natural keys as well: (trainee, run)
or (trainee, self-paced course), (meeting, enrolment), (enrolment, module),
(enrolment, quiz or assignment block id).

It lives in the project package because it loads every app's data.
"""

import datetime as dt
import logging
from collections import Counter, defaultdict
from contextlib import contextmanager
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from academy_site import demo_data
from academy_site.roles import (
    ACADEMY_ADMIN,
    INSTRUCTOR,
    TRAINEE,
    grant_role,
    roles_sync,
)
from certificates.models import Certificate, CertificateTemplate
from certificates.selectors import KIND_FOR_OUTCOME
from certificates.services.issuing import certificate_request
from certificates.services.lifecycle import certificate_reissue, certificate_revoke
from certificates.services.rendering import certificate_generate
from courses.locales import default_locale
from courses.models import (
    CourseIndexPage,
    CoursePage,
    CourseRun,
    Instructor,
    Meeting,
    ModulePage,
    Topic,
)
from courses.services import course_run_create, course_teams_sync, meeting_add
from enrolments.access import STUDYING_STATUSES
from enrolments.errors import EnrolmentError
from enrolments.models import (
    AssignmentSubmission,
    AttendanceRecord,
    Enrolment,
    MembershipPeriod,
    ModuleProgress,
    Organisation,
    QuizAttempt,
    TraineeProfile,
)
from enrolments.services import (
    enrolment_approve,
    enrolment_cancel,
    enrolment_create,
    enrolment_reject,
)
from enrolments.services.assignments import (
    assignment_of,
    submission_grade,
    submission_submit,
)
from enrolments.services.attendance import register_enrolments, register_save
from enrolments.services.progress import module_mark_done
from enrolments.services.quizzes import quiz_attempt_start, quiz_attempt_submit
from enrolments.validators import validate_pib
from home.models import AcademySettings, HomeFeaturedCourse, HomePage

SITE_URL = "http://127.0.0.1:8000/"
ADMIN_PATH = "/admin/"
# Local times for what the demo dates by day only: assignment deadlines, and
# enrolments back-dated into a run's enrolment window.
DEADLINE_TIME = dt.time(23, 59)
ENROLLED_AT_TIME = dt.time(10, 0)
Status = Enrolment.Status


class Command(BaseCommand):
    help = (
        "Load the demo academy: settings, catalogue, courses with modules, runs "
        "with meetings, organisations, instructors and trainees. Safe to run "
        "again: only what is missing is created."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="Print nothing except errors.",
        )

    def handle(self, *args, **options):
        quiet = options["quiet"] or options["verbosity"] == 0
        loader = DemoAcademyLoader(today=timezone.localdate())
        try:
            with _info_logging(enabled=options["verbosity"] > 1), transaction.atomic():
                loader.load()
        except ValidationError as exc:
            # Everything is rolled back; say which demo value was refused.
            raise CommandError(
                "The demo data was refused, nothing was loaded: "
                + "; ".join(exc.messages)
            ) from exc
        except EnrolmentError as exc:
            raise CommandError(
                f"A service refused the demo data, nothing was loaded: {exc.message}"
            ) from exc
        if not quiet:
            self.stdout.write(loader.summary())


class DemoAcademyLoader:
    """Creates what is missing of the demo academy, counting what it created.

    Kept separate from the Command so the steps read top to bottom and each
    can be followed on its own; `load()` must run inside a transaction.
    """

    def __init__(self, *, today: dt.date):
        self.today = today
        self.created: Counter[str] = Counter()
        self.admin = None
        self.topics: dict[str, Topic] = {}
        self.instructors: dict[str, Instructor] = {}
        self.courses: dict[str, CoursePage] = {}
        self.modules: dict[tuple[str, str], ModulePage] = {}
        self.runs: dict[tuple[str, int], CourseRun] = {}
        self.organisations: dict[str, Organisation] = {}
        self.trainees: dict[str, TraineeProfile] = {}
        # (spec, enrolment) for every enrolment of demo_data.ENROLMENTS that
        # exists, made now or earlier; the later steps work on these.
        self.enrolments: list[tuple[dict, Enrolment]] = []
        self.teacher = None
        # What was left out, and why; printed with the summary.
        self.skipped: list[str] = []

    # --- Orchestration --------------------------------------------------------

    def load(self) -> None:
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise CommandError("There is no default Wagtail site; run migrate first.")
        home = site.root_page.specific
        if not isinstance(home, HomePage):
            raise CommandError(
                f"The default site's root page is a {type(home).__name__}, not the "
                "academy's HomePage; run migrate on a fresh database first."
            )

        self.load_settings(site)
        self.load_accounts()
        self.load_topics()
        self.load_instructors()
        catalogue = self.load_catalogue(home)
        self.load_courses(catalogue)
        self.load_featured_courses(home)
        self.load_translations(home)
        self.load_runs()
        self.load_roles()
        self.load_organisations()
        self.load_trainees()
        self.load_enrolments()
        self.load_attendance()
        self.load_learning_activity()
        self.load_certificates()

    # --- Site -----------------------------------------------------------------

    def load_settings(self, site: Site) -> None:
        """Fill in the academy's contact details, keeping any an editor set."""
        academy = AcademySettings.for_site(site)
        changed = False
        for field, value in demo_data.ACADEMY_SETTINGS.items():
            if not getattr(academy, field):
                setattr(academy, field, value)
                changed = True
        if changed:
            academy.full_clean()
            academy.save()
            self.created["settings"] += 1

    # --- Accounts ---------------------------------------------------------------

    def load_accounts(self) -> None:
        """The superuser, the academy office's account (an Academy admin, not
        a superuser) and the instructors' Wagtail-admin accounts, each in its
        role's group (academy_site/roles.py)."""
        self.admin = self._user(
            username=demo_data.ADMIN["username"],
            email=demo_data.ADMIN["email"],
            password=demo_data.ADMIN["password"],
            full_name=f"{demo_data.ADMIN['first_name']} {demo_data.ADMIN['last_name']}",
            is_staff=True,
            is_superuser=True,
            kind="admin",
        )
        office = self._user(
            username=demo_data.OFFICE["username"],
            email=demo_data.OFFICE["email"],
            password=demo_data.OFFICE["password"],
            full_name=(
                f"{demo_data.OFFICE['first_name']} {demo_data.OFFICE['last_name']}"
            ),
            is_staff=True,
            kind="academy admin",
        )
        grant_role(user=office, role=ACADEMY_ADMIN)
        for spec in demo_data.INSTRUCTORS:
            if not spec["login"]:
                continue
            user = self._user(
                username=spec["login"],
                email=spec["login"],
                password=demo_data.INSTRUCTOR_PASSWORD,
                full_name=spec["full_name"],
                is_staff=True,
                kind="instructor account",
            )
            grant_role(user=user, role=INSTRUCTOR)

    def load_roles(self) -> None:
        """Instructors may add courses under the catalogue, and each course's
        team may edit it: both follow the pages and runs made above (pages
        made here bypass the admin's hooks that keep them in step)."""
        roles_sync()
        course_teams_sync()

    def _user(
        self,
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
        self.created[kind] += 1
        return user

    # --- Taxonomy ---------------------------------------------------------------

    def load_topics(self) -> None:
        for spec in demo_data.TOPICS:
            topic = Topic.objects.filter(slug=spec["slug"]).first()
            if topic is None:
                topic = Topic(slug=spec["slug"], name=spec["name"])
                topic.full_clean()
                topic.save()
                self.created["topic"] += 1
            self.topics[spec["slug"]] = topic

    def load_instructors(self) -> None:
        """Instructors by full name (they have no other natural key), linked to
        their account when they have one."""
        user_model = get_user_model()
        for spec in demo_data.INSTRUCTORS:
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
                self.created["instructor"] += 1
            self.instructors[spec["full_name"]] = instructor

    # --- Pages ------------------------------------------------------------------

    def load_catalogue(self, home: HomePage) -> CourseIndexPage:
        spec = demo_data.CATALOGUE
        return self._child_page(
            parent=home,
            model=CourseIndexPage,
            slug=spec["slug"],
            build=lambda: CourseIndexPage(title=spec["title"], intro=spec["intro"]),
            kind="catalogue page",
        )

    def load_translations(self, home: HomePage) -> None:
        """Serbian Latin translations of the English pages, as an editor makes
        them with Translate; the rest of the site falls back to the original
        (courses/locales.py)."""
        locale = Locale.objects.get(language_code="sr-latn")
        for slug, fields in demo_data.SERBIAN_LATIN_TRANSLATIONS.items():
            page = (
                home
                if slug == "home"
                else Page.objects.filter(slug=slug, locale=home.locale).first()
            )
            if page is None or page.get_translation_or_none(locale) is not None:
                continue
            copy = page.specific.copy_for_translation(locale, copy_parents=True)
            for name, value in fields.items():
                setattr(copy, name, value)
            copy.save_revision().publish()

    def load_courses(self, catalogue: CourseIndexPage) -> None:
        for spec in demo_data.COURSES:
            course = self._child_page(
                parent=catalogue,
                model=CoursePage,
                slug=spec["slug"],
                build=lambda spec=spec: self._build_course(spec),
                kind="course page",
            )
            self.courses[spec["slug"]] = course
            for module_spec in spec["modules"]:
                module = self._child_page(
                    parent=course,
                    model=ModulePage,
                    slug=module_spec["slug"],
                    build=lambda module_spec=module_spec: ModulePage(
                        title=module_spec["title"],
                        summary=module_spec["summary"],
                        estimated_minutes=module_spec["estimated_minutes"],
                        is_required=module_spec.get("is_required", True),
                        body=self._stream(
                            ModulePage,
                            module_spec["body"] + self._assessments(module_spec),
                        ),
                    ),
                    kind="module page",
                )
                self._add_missing_assessments(module, module_spec)
                self.modules[(spec["slug"], module_spec["slug"])] = module

    def _assessments(self, module_spec: dict) -> list[dict]:
        """The module's quiz and assignment blocks in the StreamField's JSON
        form, an assignment's deadline turned from days into a date and time."""
        blocks = []
        for spec in module_spec.get("assessments", []):
            value = dict(spec["value"])
            if "deadline_in_days" in spec:
                due = self.today + dt.timedelta(days=spec["deadline_in_days"])
                value["deadline"] = timezone.make_aware(
                    dt.datetime.combine(due, DEADLINE_TIME)
                )
            blocks.append({"type": spec["type"], "id": spec["id"], "value": value})
        return blocks

    def _add_missing_assessments(self, module: ModulePage, module_spec: dict) -> None:
        """Append the demo's quizzes and assignments that a module page made by
        an earlier version of this command lacks, found by block id, and
        publish that as a new revision; a page that has them is not touched.

        A page with unpublished changes is left alone: publishing would either
        put an editor's unfinished draft live or bury it under this revision.
        """
        missing = [
            block
            for block in self._assessments(module_spec)
            if module.assessment_block(block["id"], block["type"]) is None
        ]
        if not missing:
            return
        if module.has_unpublished_changes:
            self.skipped.append(
                f'the quiz or assignment of "{module.title}": the page has '
                "unpublished changes"
            )
            return
        for child in self._stream(ModulePage, missing):
            module.body.append((child.block_type, child.value, child.id))
        module.save_revision(user=self.admin).publish(user=self.admin)
        self.created["quiz or assignment block"] += len(missing)

    def _build_course(self, spec: dict) -> CoursePage:
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
            attendance_threshold_percent=spec["attendance_threshold_percent"],
            pass_mark_percent=spec["pass_mark_percent"],
            body=self._stream(CoursePage, spec["body"]),
        )
        course.topics.set([self.topics[slug] for slug in spec["topics"]])
        course.instructors.set([self.instructors[name] for name in spec["instructors"]])
        return course

    def _child_page(self, *, parent: Page, model: type[Page], slug: str, build, kind):
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
        page.save_revision(user=self.admin).publish(user=self.admin)
        self.created[kind] += 1
        return page

    @staticmethod
    def _stream(model: type[Page], raw: list[dict]):
        """The body as a validated StreamValue, so a bad demo value (a video URL
        that cannot be embedded, an unknown block) stops the load instead of
        reaching a page. StreamBlock.to_python silently drops unknown block
        types, hence the explicit check."""
        stream_block = model._meta.get_field("body").stream_block
        unknown = {item["type"] for item in raw} - set(stream_block.child_blocks)
        if unknown:
            raise CommandError(f"Unknown block types in the demo data: {unknown}")
        return stream_block.clean(stream_block.to_python(raw))

    def load_featured_courses(self, home: HomePage) -> None:
        """Feature the demo's courses on the home page, unless an editor has
        already chosen some, and publish the home page with them."""
        if home.featured_courses.exists():
            return
        for order, slug in enumerate(demo_data.FEATURED_COURSES):
            home.featured_courses.add(
                HomeFeaturedCourse(course=self.courses[slug], sort_order=order)
            )
        # The featured rows are held in memory by modelcluster; publishing the
        # revision writes them, as the page editor does.
        home.save_revision(user=self.admin).publish(user=self.admin)
        self.created["featured course"] += len(demo_data.FEATURED_COURSES)

    # --- Runs -------------------------------------------------------------------

    def load_runs(self) -> None:
        for spec in demo_data.COURSES:
            course = self.courses[spec["slug"]]
            for run_spec in spec["runs"]:
                run = self._run(course=course, spec=spec, run_spec=run_spec)
                room = demo_data.LOCATIONS[run_spec["location"]]["room"]
                self._meetings(run=run, schedule=spec["schedule"], room=room)
                self._run_instructors(run, run_spec.get("also_taught_by", []))
                self.runs[(spec["slug"], run_spec["starts_in_days"])] = run

    def _run_instructors(self, run: CourseRun, names: list[str]) -> None:
        """Add the instructors who teach this run besides the course's own
        (the instructor demo login, so /teaching/ shows the runs with
        registers and grades) when a run made earlier lacks them."""
        current = set(run.instructors.values_list("pk", flat=True))
        missing = [
            self.instructors[name]
            for name in names
            if self.instructors[name].pk not in current
        ]
        if not missing:
            return
        # A ParentalManyToManyField keeps .add() in memory until save().
        run.instructors.add(*missing)
        run.save()
        self.created["run instructor"] += len(missing)

    def _run(self, *, course: CoursePage, spec: dict, run_spec: dict) -> CourseRun:
        starts_on = _monday_on_or_after(
            self.today + dt.timedelta(days=run_spec["starts_in_days"])
        )
        run = CourseRun.objects.filter(course=course, starts_on=starts_on).first()
        if run is not None:
            return run

        place = demo_data.LOCATIONS[run_spec["location"]]
        online_url = ""
        if course.format == CoursePage.Format.BLENDED:
            online_url = (
                f"{demo_data.ONLINE_MEETING_BASE}{course.slug}-{starts_on:%Y%m%d}"
            )
        last_day = max(session[0] for session in spec["schedule"])
        run = course_run_create(
            course=course,
            starts_on=starts_on,
            ends_on=starts_on + dt.timedelta(days=last_day),
            capacity=run_spec["capacity"],
            enrolment_opens_on=starts_on
            - dt.timedelta(days=demo_data.ENROLMENT_OPENS_DAYS_BEFORE),
            enrolment_closes_on=starts_on
            - dt.timedelta(days=demo_data.ENROLMENT_CLOSES_DAYS_BEFORE),
            location=place["address"],
            online_url=online_url,
            label=place["label"],
            instructors=[
                self.instructors[name]
                for name in dict.fromkeys(
                    spec["instructors"] + run_spec.get("also_taught_by", [])
                )
            ],
        )
        self.created["run"] += 1
        return run

    def _meetings(self, *, run: CourseRun, schedule: list[tuple], room: str) -> None:
        for day, start, minutes, where, title in schedule:
            date = run.starts_on + dt.timedelta(days=day)
            start_time = dt.time.fromisoformat(start)
            if Meeting.objects.filter(
                run=run, date=date, start_time=start_time
            ).exists():
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
            self.created["meeting"] += 1

    # --- Organisations and trainees ---------------------------------------------

    def load_organisations(self) -> None:
        """Organisations by PIB. Membership periods are added only to an
        organisation that has none: their dates follow the calendar year, and
        adding them again next year would stack overlapping periods."""
        for spec in demo_data.ORGANISATIONS:
            validate_pib(spec["pib"])
            organisation = Organisation.objects.filter(pib=spec["pib"]).first()
            if organisation is None:
                organisation = Organisation(
                    pib=spec["pib"],
                    name=spec["name"],
                    contact_name=spec["contact_name"],
                    contact_email=spec["contact_email"],
                    contact_phone=spec["contact_phone"],
                    address=spec["address"],
                )
                organisation.full_clean()
                organisation.save()
                self.created["organisation"] += 1
            if spec["membership"] and not organisation.membership_periods.exists():
                for period in spec["membership"]:
                    membership = MembershipPeriod(
                        organisation=organisation,
                        starts_on=self._year_relative(period["starts"]),
                        ends_on=(
                            self._year_relative(period["ends"])
                            if period["ends"]
                            else None
                        ),
                    )
                    membership.full_clean()
                    membership.save()
                    self.created["membership period"] += 1
            self.organisations[spec["pib"]] = organisation

    def _year_relative(self, when: tuple[int, int, int]) -> dt.date:
        years, month, day = when
        return dt.date(self.today.year + years, month, day)

    def load_trainees(self) -> None:
        for spec in demo_data.TRAINEES:
            user = self._user(
                username=spec["email"],
                email=spec["email"],
                password=demo_data.TRAINEE_PASSWORD,
                full_name=spec["full_name"],
                kind="trainee account",
            )
            grant_role(user=user, role=TRAINEE)
            profile = TraineeProfile.objects.filter(user=user).first()
            if profile is not None:
                self.trainees[spec["email"]] = profile
                continue
            profile = TraineeProfile(
                user=user,
                full_name=spec["full_name"],
                organisation=(
                    self.organisations[spec["organisation"]]
                    if spec["organisation"]
                    else None
                ),
                preferred_language=spec["language"],
            )
            profile.full_clean()
            profile.save()
            self.created["trainee profile"] += 1
            self.trainees[spec["email"]] = profile

    # --- Enrolments ---------------------------------------------------------------

    def load_enrolments(self) -> None:
        """Enrol the demo trainees, in the order of demo_data.ENROLMENTS.

        An enrolment of that trainee in that run (or self-paced course), in
        whatever status, is kept as it is: a trainee who cancelled in the demo
        stays cancelled. Only a new one is taken to the status the data asks
        for, through the same services a trainee and an admin use.
        """
        # Marks registers and grades; the admin stands in for an instructor
        # left without an account (it belonged to someone else).
        self.teacher = (
            self.instructors[demo_data.TEACHING_INSTRUCTOR].user or self.admin
        )
        for spec in demo_data.ENROLMENTS:
            course = self.courses[spec["course"]]
            run = (
                self.runs[(spec["course"], spec["run"])]
                if spec["run"] is not None
                else None
            )
            trainee = self.trainees[spec["trainee"]]
            enrolment = (
                Enrolment.objects.filter(trainee=trainee, course=course, run=run)
                .order_by("-created_at", "-pk")
                .first()
            )
            if enrolment is None:
                enrolment = self._enrol(
                    trainee=trainee, course=course, run=run, spec=spec
                )
            if enrolment is not None:
                self.enrolments.append((spec, enrolment))

    def _enrol(
        self,
        *,
        trainee: TraineeProfile,
        course: CoursePage,
        run: CourseRun | None,
        spec: dict,
    ) -> Enrolment | None:
        """A new enrolment made by enrolment_create and taken to the status
        the data asks for, or None (noted) when an editor has unpublished the
        course or the run's enrolment window has not opened.

        enrolment_create refuses a run whose enrolment window has closed, as it
        must for a trainee. The demo's ended and running runs need trainees
        who enrolled in time, so for those the service is asked to apply its
        rules as of the window's last day (`on=`: the member price and the
        seats of that day), and the enrolment's timestamps, which the service
        sets to now, are then moved back to that day. Without that, attendance
        would ignore every meeting before the enrolment (enrolments/rules/
        attendance.py counts meetings from `seat_since`).
        """
        if not course.live:
            self.skipped.append(
                f"{trainee}'s enrolment in {course.title}: the course is not live"
            )
            return None
        on = self.today
        if run is not None and not run.is_open_for_enrolment(on):
            if on <= run.enrolment_closes:
                self.skipped.append(
                    f"{trainee}'s enrolment in {run}: enrolment has not opened"
                )
                return None
            on = run.enrolment_closes
        enrolment = enrolment_create(
            trainee=trainee, run=run, course=None if run else course, on=on
        )
        self.created["enrolment"] += 1
        enrolment = self._take_to_status(enrolment, spec)
        if on != self.today:
            self._back_date(enrolment, on)
        return enrolment

    def _back_date(self, enrolment: Enrolment, on: dt.date) -> None:
        """Date the enrolment, its seat and any decision to `on` (see _enrol).
        A queryset update, because created_at is set on insert and no service
        changes these fields."""
        when = timezone.make_aware(dt.datetime.combine(on, ENROLLED_AT_TIME))
        changes = {"created_at": when}
        if enrolment.seat_since is not None:
            changes["seat_since"] = when
        if enrolment.decided_at is not None:
            changes["decided_at"] = when
        Enrolment.objects.filter(pk=enrolment.pk).update(**changes)
        for field, value in changes.items():
            setattr(enrolment, field, value)

    def _take_to_status(self, enrolment: Enrolment, spec: dict) -> Enrolment:
        """Approve, reject or cancel a new enrolment as the data says, the way
        the admin (approve, reject) and the trainee (cancel) would."""
        wanted = spec["status"]
        if wanted == Status.CONFIRMED and enrolment.status == Status.PENDING:
            enrolment = enrolment_approve(enrolment=enrolment, by=self.admin)
        elif wanted == Status.REJECTED:
            enrolment = enrolment_reject(
                enrolment=enrolment, by=self.admin, reason=spec["reason"]
            )
        elif wanted == Status.CANCELLED:
            enrolment = enrolment_cancel(enrolment=enrolment, on=self.today)
        if enrolment.status != wanted:
            # A run that was already full, or whose capacity an editor changed:
            # the services decided otherwise, and the demo goes on with that.
            self.skipped.append(
                f"{enrolment}: {enrolment.get_status_display().lower()}, "
                f"not {Status(wanted).label.lower()}"
            )
        return enrolment

    # --- Attendance ---------------------------------------------------------------

    def load_attendance(self) -> None:
        """Mark, through the instructor's register, every meeting held before
        today for the enrolments whose data gives an attendance pattern.

        Only marks that are missing are written, so a re-run on a later day
        adds the meetings held since and changes no mark anyone set. Meetings
        of today are left for the instructor, which also keeps two runs on one
        day identical.
        """
        patterns = defaultdict(dict)  # run id -> {enrolment id: pattern}
        for spec, enrolment in self.enrolments:
            if enrolment.run_id and spec.get("attendance"):
                patterns[enrolment.run_id][enrolment.pk] = spec["attendance"]
        for run_id, by_enrolment in patterns.items():
            meetings = Meeting.objects.filter(
                run_id=run_id, date__lt=self.today
            ).order_by("date", "start_time")
            for number, meeting in enumerate(meetings):
                on_register = set(
                    register_enrolments(meeting).values_list("pk", flat=True)
                )
                marked = set(
                    AttendanceRecord.objects.filter(meeting=meeting).values_list(
                        "enrolment_id", flat=True
                    )
                )
                marks = {
                    enrolment_id: pattern[number % len(pattern)]
                    for enrolment_id, pattern in by_enrolment.items()
                    if enrolment_id in on_register and enrolment_id not in marked
                }
                if marks:
                    register_save(meeting=meeting, marks=marks, by=self.teacher)
                    self.created["attendance mark"] += len(marks)

    # --- Learning activity --------------------------------------------------------

    def load_learning_activity(self) -> None:
        """Modules done, quiz attempts, submissions and grades, each made once
        (looked up by enrolment and module or block id) and only while the
        enrolment lets the trainee study."""
        for spec, enrolment in self.enrolments:
            if enrolment.status not in STUDYING_STATUSES:
                continue
            course = spec["course"]
            for slug in spec.get("modules_done", []):
                self._module_done(enrolment, self.modules[(course, slug)])
            for quiz in spec.get("quizzes", []):
                self._quiz_attempt(
                    enrolment, self.modules[(course, quiz["module"])], quiz
                )
            for work in spec.get("submissions", []):
                self._submission(
                    enrolment, self.modules[(course, work["module"])], work
                )

    def _module_done(self, enrolment: Enrolment, module: ModulePage) -> None:
        if ModuleProgress.objects.filter(enrolment=enrolment, module=module).exists():
            return
        module_mark_done(enrolment=enrolment, module=module)
        self.created["module done"] += 1

    def _quiz_attempt(self, enrolment: Enrolment, module: ModulePage, quiz: dict):
        """One attempt, started and submitted at once, answering `correct`
        questions right (all when None) with the answers read from the quiz
        the attempt copied from the block."""
        quiz_id = quiz["quiz"]
        if enrolment.status != Status.CONFIRMED:
            return  # Only a confirmed trainee may start an attempt.
        if QuizAttempt.objects.filter(enrolment=enrolment, quiz_id=quiz_id).exists():
            return
        if module.assessment_block(quiz_id, "quiz") is None:
            self.skipped.append(f'quiz {quiz_id}: not on "{module.title}"')
            return
        attempt = quiz_attempt_start(
            enrolment=enrolment, module=module, quiz_id=quiz_id
        )
        quiz_attempt_submit(
            attempt=attempt,
            answers=_quiz_answers(attempt.questions, correct=quiz["correct"]),
        )
        self.created["quiz attempt"] += 1

    def _submission(self, enrolment: Enrolment, module: ModulePage, work: dict):
        """Hand in the text (unless handed in already), then grade it as the
        teaching instructor when the data gives a grade and nobody has yet."""
        assignment_id = work["assignment"]
        submission = AssignmentSubmission.objects.filter(
            enrolment=enrolment, assignment_id=assignment_id
        ).first()
        if submission is None:
            assignment = assignment_of(module, assignment_id)
            if assignment is None or assignment.is_past_deadline():
                # The deadline is set when the block is added; a later run of
                # the demo does not move an editor's deadline to hand work in.
                self.skipped.append(
                    f"{enrolment.trainee}'s work for {assignment_id}: the "
                    "assignment is missing or past its deadline"
                )
                return
            submission = submission_submit(
                enrolment=enrolment,
                module=module,
                assignment_id=assignment_id,
                text_html=work["text"],
            )
            self.created["submission"] += 1
        grade = work.get("grade")
        if grade and submission.graded_at is None:
            submission_grade(
                submission=submission,
                by=self.teacher,
                score=grade["score"],
                feedback_html=grade["feedback"],
            )
            self.created["grade"] += 1

    # --- Certificates -------------------------------------------------------

    def load_certificates(self) -> None:
        """Templates in every language, and a certificate for every enrolment
        that earned one: rendered here through the task's own service so the
        demo shows issued certificates at once (the render task dispatched on
        commit then finds them issued and does nothing). One is reissued with a
        corrected name and one revoked, so every state can be seen."""
        for (
            kind,
            audience,
            language,
            name,
            heading,
            statement,
        ) in demo_data.CERTIFICATE_TEMPLATES:
            signatory, title = demo_data.SIGNATORY[language]
            _, created = CertificateTemplate.objects.get_or_create(
                kind=kind,
                audience=audience,
                language=language,
                name=name,
                defaults={
                    "heading": heading,
                    "statement": statement,
                    "signatory_1_name": signatory,
                    "signatory_1_title": title,
                },
            )
            self.created["certificate template"] += created
        earned = list(
            Enrolment.objects.exclude(outcome="none")
            .exclude(status__in=["cancelled", "rejected"])
            .select_related("trainee")
            .order_by("pk")
        )
        if not earned:
            return
        first_completion = next((e for e in earned if e.outcome == "completion"), None)
        for enrolment in earned:
            kind = KIND_FOR_OUTCOME[enrolment.outcome]
            if Certificate.objects.filter(enrolment=enrolment, kind=kind).exists():
                continue
            misspelt = enrolment == first_completion
            certificate = certificate_request(
                enrolment=enrolment,
                kind=kind,
                by=self.admin,
                full_name=demo_data.MISSPELT_NAME if misspelt else None,
            )
            certificate_generate(certificate_id=certificate.pk)
            self.created["certificate"] += 1
            if misspelt:
                certificate.refresh_from_db()
                corrected = certificate_reissue(certificate=certificate, by=self.admin)
                certificate_generate(certificate_id=corrected.pk)
                self.created["certificate"] += 1
        if not Certificate.objects.filter(status=Certificate.Status.REVOKED).exists():
            # Keep a Cyrillic certificate valid: the demo shows both scripts.
            last = next(
                (
                    certificate
                    for certificate in Certificate.objects.filter(
                        status=Certificate.Status.ISSUED, kind="attendance"
                    ).order_by("-pk")
                    if not any(
                        "\u0400" <= ch <= "\u04ff" for ch in certificate.full_name
                    )
                ),
                None,
            )
            if last:
                certificate_revoke(
                    certificate=last, by=self.admin, reason=demo_data.REVOCATION_REASON
                )

    # --- Report -----------------------------------------------------------------

    def summary(self) -> str:
        """What the database now holds, what this run added, and how to log in."""
        today = self.today
        runs = CourseRun.objects.all()
        created_total = sum(self.created.values())
        if created_total:
            created = ", ".join(
                f"{count} {kind}"
                for kind, count in sorted(self.created.items())
                if count
            )
        else:
            created = "nothing, the demo academy was already complete"
        lines = [
            "Demo academy loaded.",
            f"  Created now: {created}.",
            "  In the database:",
            f"    pages: {originals(CourseIndexPage).count()} catalogue, "
            f"{originals(CoursePage).count()} courses, "
            f"{originals(ModulePage).count()} modules, "
            f"{Page.objects.exclude(locale=default_locale()).count()} translated "
            "pages (Serbian Latin)",
            f"    topics: {Topic.objects.count()}, "
            f"instructors: {Instructor.objects.count()}",
            f"    runs: {runs.count()} "
            f"({runs.filter(ends_on__lt=today).count()} ended, "
            f"{runs.filter(starts_on__lte=today, ends_on__gte=today).count()} "
            f"in progress, {runs.filter(starts_on__gt=today).count()} upcoming), "
            f"meetings: {Meeting.objects.count()}",
            f"    organisations: {Organisation.objects.count()} "
            f"({Organisation.objects.members_on(today).count()} members today), "
            f"membership periods: {MembershipPeriod.objects.count()}",
            f"    users: {get_user_model().objects.count()} "
            f"({get_user_model().objects.filter(is_superuser=True).count()} admin, "
            f"{Instructor.objects.filter(user__isnull=False).count()} instructors, "
            f"{TraineeProfile.objects.count()} trainees)",
            *_activity_lines(),
        ]
        if self.skipped:
            lines.append("  Left out:")
            lines += [f"    {reason}" for reason in self.skipped]
        lines += [
            "",
            f"Site:  {SITE_URL}",
            f"Admin: {SITE_URL.rstrip('/')}{ADMIN_PATH}",
            "",
            "Demo logins (username / password):",
        ]
        lines += [
            f"  {role + ':':<12}{username} / {password}"
            for role, username, password in demo_data.DEMO_LOGINS
        ]
        return "\n".join(lines)


def originals(model):
    """Pages in the default locale: what the demo writes; translations are
    counted apart."""
    return model.objects.filter(locale=default_locale())


def _activity_lines() -> list[str]:
    """The summary's lines on enrolments and what trainees did."""
    statuses = Counter(Enrolment.objects.values_list("status", flat=True))
    outcomes = Counter(Enrolment.objects.values_list("outcome", flat=True))
    attempts = QuizAttempt.objects.filter(submitted_at__isnull=False)
    submissions = AssignmentSubmission.objects.all()
    graded = submissions.filter(graded_at__isnull=False).count()
    by_status = ", ".join(
        f"{statuses[status]} {status.label.lower()}"
        for status in Status
        if statuses[status]
    )
    return [
        f"    enrolments: {sum(statuses.values())}"
        + (f" ({by_status})" if by_status else "")
        + f"; earned: {outcomes['attendance']} attendance, "
        f"{outcomes['completion']} completion",
        "    certificates: "
        + ", ".join(
            f"{count} {status}"
            for status, count in sorted(
                Counter(Certificate.objects.values_list("status", flat=True)).items()
            )
        ),
        f"    attendance marks: {AttendanceRecord.objects.count()}, "
        f"modules done: {ModuleProgress.objects.count()}",
        f"    quiz attempts: {attempts.count()} "
        f"({attempts.filter(passed=True).count()} passed), "
        f"submissions: {submissions.count()} "
        f"({graded} graded, {submissions.count() - graded} to grade)",
    ]


def _quiz_answers(questions: list[dict], *, correct: int | None) -> dict:
    """Answers to a quiz snapshot (QuizAttempt.questions) in the form
    quiz_attempt_submit takes: the first `correct` questions right (all when
    None), the others wrong, the way a trainee who guessed would answer."""
    answers = {}
    for number, question in enumerate(questions):
        right = correct is None or number < correct
        if question["type"] in ("single_choice", "multiple_choice"):
            chosen = [o["id"] for o in question["options"] if o["correct"] == right]
            answers[question["id"]] = (
                chosen[0] if question["type"] == "single_choice" else chosen
            )
        elif question["type"] == "true_false":
            answers[question["id"]] = (
                question["answer"] if right else not question["answer"]
            )
        else:
            answer = Decimal(question["answer"])
            if not right:
                answer += Decimal(question["tolerance"]) + 1
            answers[question["id"]] = str(answer)
    return answers


@contextmanager
def _info_logging(*, enabled: bool):
    """Hold back INFO log records while loading unless -v 2 or more is given.

    Wagtail logs every page it creates and publishes, and the task backend every
    search-index and reference-index update: hundreds of lines that would bury
    the summary (and break --quiet). Warnings and errors still get through.
    """
    if enabled:
        yield
        return
    previous = logging.root.manager.disable
    logging.disable(max(previous, logging.INFO))
    try:
        yield
    finally:
        logging.disable(previous)


def _monday_on_or_after(day: dt.date) -> dt.date:
    """Runs start on a Monday, so weekday sessions fall on working days."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)
