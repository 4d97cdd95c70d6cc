"""Factories for the suite. Pages are created under their parent with
`add_child` and published, the way an editor would."""

import datetime as dt
import io
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model

from courses.models import (
    CourseIndexPage,
    CoursePage,
    CourseRun,
    Instructor,
    Meeting,
    ModulePage,
    Topic,
)
from enrolments.models import Enrolment, MembershipPeriod, Organisation, TraineeProfile
from home.models import HomePage


def today() -> dt.date:
    return timezone.localdate()


class PageFactory(factory.django.DjangoModelFactory):
    """Creates a page as the child of `parent` and publishes it."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, publish=True, **kwargs):
        m2m = {k: kwargs.pop(k) for k in ("topics", "instructors") if k in kwargs}
        page = model_class(*args, **kwargs)
        for name, values in m2m.items():
            getattr(page, name).set(values)
        parent.add_child(instance=page)
        if publish:
            page.save_revision().publish()
        else:
            page.unpublish() if page.live else None
        page.refresh_from_db()
        return page


def home_page() -> HomePage:
    return HomePage.objects.get(depth=2)


class CourseIndexPageFactory(PageFactory):
    class Meta:
        model = CourseIndexPage

    title = "Courses"
    slug = "courses"
    parent = factory.LazyFunction(home_page)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class InstructorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instructor

    full_name = factory.Sequence(lambda n: f"Milica Đorđević {n}")
    job_title = "Senior engineer"


class CoursePageFactory(PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = "A practical course."
    level = CoursePage.Level.BEGINNER
    language = CoursePage.Language.SERBIAN
    format = CoursePage.Format.IN_PERSON
    duration_hours = Decimal("16")
    price_member = Decimal("18000")
    price_non_member = Decimal("30000")


class ModulePageFactory(PageFactory):
    class Meta:
        model = ModulePage

    title = factory.Sequence(lambda n: f"Module {n}")
    slug = factory.Sequence(lambda n: f"module-{n}")
    estimated_minutes = 45


class CourseRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseRun

    course = None
    starts_on = factory.LazyFunction(lambda: today() + dt.timedelta(days=14))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + dt.timedelta(days=2))
    capacity = 20
    location = "Bulevar oslobođenja 1, Novi Sad"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    run = None
    date = factory.LazyAttribute(lambda o: o.run.starts_on)
    start_time = dt.time(9, 0)
    duration_minutes = 180


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Firma {n} d.o.o.")
    pib = factory.Sequence(lambda n: valid_pib(10000000 + n))


class MembershipPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipPeriod

    organisation = factory.SubFactory(OrganisationFactory)
    starts_on = factory.LazyFunction(lambda: today() - dt.timedelta(days=365))
    ends_on = None


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}@example.rs")
    email = factory.LazyAttribute(lambda o: o.username)
    password = factory.django.Password("correct-horse-battery-2026")


class TraineeProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TraineeProfile

    user = factory.SubFactory(UserFactory)
    full_name = "Đorđe Petrović"
    # English, so e-mails and pages of most tests read as their assertions;
    # tests of Serbian ask for it (the model's default is Serbian Latin).
    preferred_language = "en"

    @classmethod
    def _create(cls, model_class, *args, organisation=None, confirmed=True, **kwargs):
        """`organisation` is claimed through the membership service, and the
        claim confirmed by an admin unless `confirmed=False` (pending)."""
        from enrolments.services.membership import (
            membership_claim,
            membership_confirm,
        )

        profile = super()._create(model_class, *args, **kwargs)
        if organisation is not None:
            claim = membership_claim(trainee=profile, organisation=organisation)
            if confirmed:
                membership_confirm(claim=claim, by=None)
            profile.refresh_from_db()
        return profile


def valid_pib(first_eight: int) -> str:
    """A PIB with a correct ISO 7064 MOD 11,10 check digit."""
    from enrolments.validators import pib_checksum_ok

    stem = f"{first_eight:08d}"
    return next(stem + str(d) for d in range(10) if pib_checksum_ok(stem + str(d)))


def make_image(title: str = "Photo", size=(800, 450), color=(11, 79, 108)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title,
        file=ImageFile(buffer, name=f"{title.lower().replace(' ', '-')}.png"),
    )


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """A confirmed enrolment with an outcome; pass `run` (its course follows)
    or `course` for a self-paced one."""

    class Meta:
        model = Enrolment

    trainee = factory.SubFactory(TraineeProfileFactory)
    run = None
    course = factory.LazyAttribute(lambda o: o.run.course)
    status = Enrolment.Status.CONFIRMED
    is_member = False
    price = Decimal("30000")
    outcome = "completion"
