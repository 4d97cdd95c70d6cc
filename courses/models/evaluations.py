from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import StreamField
from wagtail.models import TranslatableMixin

from courses.blocks import EvaluationQuestionsBlock


class EvaluationForm(TranslatableMixin, models.Model):
    """A reusable course evaluation: what trainees are asked when a run ends.

    Edited in Snippets > Courses > Evaluation forms and translated there like
    the course pages (Translate, wagtail.contrib.simple_translation). A course
    names its form (CoursePage.evaluation_form), or gets the academy's default.
    When a run's evaluation opens, enrolments freezes the form with all its
    translations for that run (enrolments/services/evaluations.py), so editing
    a form later changes only runs whose evaluation has not opened yet.
    """

    title = models.CharField(max_length=200)
    intro = models.TextField(
        blank=True,
        help_text=_("Shown above the questions, e.g. how long it takes."),
    )
    anonymous = models.BooleanField(
        default=True,
        help_text=_(
            "Keep answers without the trainee's name: only that they answered "
            "is recorded. Untick to collect named answers; trainees are told "
            "before they answer."
        ),
    )
    is_default = models.BooleanField(
        _("the academy's default"),
        default=False,
        help_text=_("Used by every course that names no form of its own."),
    )
    questions = StreamField(EvaluationQuestionsBlock(), use_json_field=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("anonymous"), FieldPanel("is_default")]),
        FieldPanel("questions"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("evaluation form")
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["locale"],
                condition=Q(is_default=True),
                name="one_default_evaluation_form_per_locale",
                violation_error_message=_(
                    "Another form is the academy's default already: untick it "
                    "there first."
                ),
            ),
        ]

    def __str__(self):
        return self.title
