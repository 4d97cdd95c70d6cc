"""Forms of the Enrolments listing's bulk actions."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RejectionForm(forms.Form):
    """The reason for a bulk rejection, typed once for the whole batch. Each
    trainee reads it in the rejection e-mail and in My learning."""

    reason = forms.CharField(
        label=_("Reason for the rejection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to every trainee rejected here, so write it to them."),
    )
