from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from academy_site.transliteration import has_cyrillic
from courses.locales import in_active_language


class Topic(models.Model):
    """A subject area used to group and filter the catalogue.

    Edited in Snippets > Topics; shown as filter options on the catalogue and as
    tags on course cards.
    """

    name = models.CharField(_("name (English)"), max_length=80, unique=True)
    name_sr_latn = models.CharField(
        _("name in Serbian (Latin)"), max_length=80, blank=True
    )
    name_sr = models.CharField(
        _("name in Serbian (Cyrillic)"),
        max_length=80,
        blank=True,
        help_text=_("Empty: the Serbian Latin name, in Cyrillic letters."),
    )
    slug = models.SlugField(max_length=80, unique=True, allow_unicode=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("name_sr_latn"),
        FieldPanel("name_sr"),
        FieldPanel("slug"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        if has_cyrillic(self.name_sr_latn):
            raise ValidationError(
                {"name_sr_latn": _("Type the Serbian Latin name in Latin letters.")}
            )

    @property
    def names(self) -> list[str]:
        """Every name it has, for search."""
        return [name for name in (self.name, self.name_sr_latn, self.name_sr) if name]

    @property
    def shown_name(self) -> str:
        """The name in the active language; the Cyrillic site gets the
        Latin name transliterated when it has no Cyrillic one."""
        return in_active_language(
            {"en": self.name, "sr-latn": self.name_sr_latn, "sr": self.name_sr}
        )


def validate_latin_term(value: str) -> None:
    if value != value.strip() or not any(char.isalpha() for char in value):
        raise ValidationError(
            _("Type the term itself, with a letter and no space around it.")
        )
    if has_cyrillic(value):
        raise ValidationError(
            _("Type the term in Latin letters: it is what Cyrillic pages keep.")
        )


class LatinTerm(models.Model):
    """A name that Cyrillic pages keep in Latin ("GitHub Actions", "Odoo"),
    beside the built-in list (academy_site/transliteration.py: TECH_TERMS),
    with its Serbian case endings ("Odooa").

    Edited in Snippets > Scheduling > Terms kept in Latin by academy admins and
    instructors; read through courses.locales.latin_terms() wherever a page
    is shown in the other script (titles, course and module text, e-mails and
    certificates).
    """

    term = models.CharField(
        max_length=60,
        unique=True,
        validators=[validate_latin_term],
        help_text=_(
            'As written, e.g. "GitHub Actions": case matters, whole words only.'
        ),
    )

    panels = [FieldPanel("term")]

    class Meta:
        ordering = ["term"]
        verbose_name = _("term kept in Latin")
        verbose_name_plural = _("terms kept in Latin")

    def __str__(self):
        return self.term


class Instructor(index.Indexed, models.Model):
    """A person who teaches courses and runs.

    Edited in Snippets > Instructors; shown on course pages. The optional user
    account is what later gives an instructor access to their runs' registers and
    gradebooks. No contact details are shown publicly.
    """

    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    organisation = models.CharField(max_length=150, blank=True)
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="instructor",
        help_text=_("The account this instructor logs in with."),
    )

    panels = [
        FieldPanel("full_name"),
        FieldPanel("job_title"),
        FieldPanel("organisation"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("user"),
    ]
    search_fields = [
        index.SearchField("full_name"),
        index.AutocompleteField("full_name"),
        index.SearchField("organisation"),
    ]

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name
