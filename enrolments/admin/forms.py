"""Forms of the Enrolments listing's bulk actions."""

from django import forms


class RejectionForm(forms.Form):
    """The reason for a bulk rejection, typed once for the whole batch. Each
    trainee reads it in the rejection e-mail and in My learning."""

    reason = forms.CharField(
        label="Reason for the rejection",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Sent to every trainee rejected here, so write it to them.",
    )
