from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable, Page

from academy_site.transliteration import has_cyrillic
from courses.locales import FallbackRoutingMixin, in_active_language


class HomePage(FallbackRoutingMixin, Page):
    """The academy's front page: a hero, featured courses and upcoming runs.

    Edited in the page tree (the root's only child); rendered by
    templates/home/home_page.html.
    """

    # The same for every visitor in a language: cached whole for them
    # (academy_site/public_cache.py).
    public_cache = True

    hero_title = models.CharField(
        max_length=120, default="Learn with the Cluster Academy"
    )
    hero_text = models.TextField(
        blank=True,
        default=(
            "Practical ICT training for the staff of our member companies and for "
            "everyone who wants to grow their skills."
        ),
    )
    hero_cta_label = models.CharField(max_length=40, default="Browse courses")

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_cta_label"),
            ],
            heading=_("Hero"),
        ),
        InlinePanel(
            "featured_courses",
            heading=_("Featured courses"),
            label=_("Featured course"),
            max_num=6,
            help_text=_("Shown in this order. Empty: the newest courses are shown."),
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from home.selectors import featured_courses, upcoming_runs

        context = super().get_context(request, *args, **kwargs)
        context["featured_courses"] = featured_courses(home=self, request=request)
        context["upcoming_runs"] = upcoming_runs(request=request)
        return context


class HomeFeaturedCourse(Orderable):
    page = ParentalKey(
        HomePage, on_delete=models.CASCADE, related_name="featured_courses"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("course")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["page", "course"],
                name="home_featured_course_once",
                violation_error_message=_("This course is already featured."),
            )
        ]


@register_setting(icon="site")
class AcademySettings(BaseSiteSetting):
    """Site-wide contact details and footer, in Settings > Academy settings."""

    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    footer_text = models.CharField(
        max_length=255,
        blank=True,
        default="The training academy of the ICT cluster.",
        verbose_name=_("footer text (English)"),
    )
    footer_text_sr_latn = models.CharField(
        _("footer text in Serbian (Latin)"), max_length=255, blank=True
    )
    footer_text_sr = models.CharField(
        _("footer text in Serbian (Cyrillic)"),
        max_length=255,
        blank=True,
        help_text=_("Empty: the Serbian Latin text, in Cyrillic letters."),
    )

    panels = [
        FieldPanel("contact_email"),
        FieldPanel("contact_phone"),
        FieldPanel("address"),
        FieldPanel("footer_text"),
        FieldPanel("footer_text_sr_latn"),
        FieldPanel("footer_text_sr"),
    ]

    class Meta:
        verbose_name = _("academy settings")

    def clean(self):
        if has_cyrillic(self.footer_text_sr_latn):
            raise ValidationError(
                {
                    "footer_text_sr_latn": _(
                        "Type the Serbian Latin text in Latin letters."
                    )
                }
            )

    @property
    def footer_text_shown(self) -> str:
        """The footer's text in the active language (English when there is
        no Serbian one; the Cyrillic site transliterates the Latin one)."""
        return in_active_language(
            {
                "en": self.footer_text,
                "sr-latn": self.footer_text_sr_latn,
                "sr": self.footer_text_sr,
            }
        )
