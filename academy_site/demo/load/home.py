"""The home page and the site: the academy's contact details, the featured
courses, and the Serbian Latin translations of the English pages."""

from wagtail.models import Locale, Page, Site

from academy_site.demo.load.state import DemoLoad
from academy_site.demo.site import ACADEMY_SETTINGS, FEATURED_COURSES
from academy_site.demo.translations import SERBIAN_LATIN_TRANSLATIONS
from home.models import AcademySettings, HomeFeaturedCourse, HomePage


def settings_load(demo: DemoLoad, site: Site) -> None:
    """Fill in the academy's contact details, keeping any an editor set."""
    academy = AcademySettings.for_site(site)
    changed = False
    for field, value in ACADEMY_SETTINGS.items():
        if not getattr(academy, field):
            setattr(academy, field, value)
            changed = True
    if changed:
        academy.full_clean()
        academy.save()
        demo.created["settings"] += 1


def featured_courses_load(demo: DemoLoad, home: HomePage) -> None:
    """Feature the demo's courses on the home page, unless an editor has
    already chosen some, and publish the home page with them."""
    if home.featured_courses.exists():
        return
    for order, slug in enumerate(FEATURED_COURSES):
        home.featured_courses.add(
            HomeFeaturedCourse(course=demo.courses[slug], sort_order=order)
        )
    # The featured rows are held in memory by modelcluster; publishing the
    # revision writes them, as the page editor does.
    home.save_revision(user=demo.admin).publish(user=demo.admin)
    demo.created["featured course"] += len(FEATURED_COURSES)


def translations_load(demo: DemoLoad, home: HomePage) -> None:
    """Serbian Latin translations of the English pages, as an editor makes
    them with Translate; the rest of the site falls back to the original
    (courses/locales.py)."""
    locale = Locale.objects.get(language_code="sr-latn")
    for slug, fields in SERBIAN_LATIN_TRANSLATIONS.items():
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
