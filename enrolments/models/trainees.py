from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TraineeProfile(models.Model):
    """What the academy knows about a trainee beyond their login.

    `full_name` is printed on certificates exactly as typed: diacritics (Đorđe)
    and Cyrillic (Ђорђе) are kept.
    """

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        SERBIAN_LATIN = "sr-latn", "Srpski (latinica)"
        SERBIAN_CYRILLIC = "sr", "Српски (ћирилица)"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trainee"
    )
    full_name = models.CharField(
        max_length=150, help_text=_("Exactly as it must appear on certificates.")
    )
    organisation = models.ForeignKey(
        "enrolments.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainees",
    )
    preferred_language = models.CharField(
        max_length=7, choices=Language.choices, default=Language.SERBIAN_LATIN
    )
    meeting_reminders = models.BooleanField(
        _("meeting reminders"),
        default=True,
        help_text=_("An e-mail the day before each meeting of their runs."),
    )
    meeting_reminders_soon = models.BooleanField(
        _("reminders two hours before"),
        default=False,
        help_text=_("Another e-mail two hours before each meeting."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    erased_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When an admin erased this trainee's personal data."),
    )

    class Meta:
        ordering = ["full_name"]
        permissions = [
            ("erase_traineeprofile", _("Can erase a trainee's personal data"))
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(full_name=""),
                name="trainee_full_name_required",
                violation_error_message=_("A trainee needs a full name."),
            )
        ]

    def __str__(self):
        return self.full_name
