"""Forms of the certificates admin: a template's background upload, revoking,
reissuing, and picking the trainees of a run to issue for."""

from django import forms
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from certificates import pdf
from certificates.models import Kind
from enrolments.names import full_name_clean


class CertificateTemplateForm(WagtailAdminModelForm):
    """The template editor (Certificates > Templates). Only what can be told
    without opening the file is checked here, its name and size; the PDF itself
    is parsed by a worker after saving (certificates/services/backgrounds.py).
    """

    def clean_background(self):
        upload = self.cleaned_data.get("background")
        if upload and "background" in self.changed_data:
            FileExtensionValidator(["pdf"])(upload)
            if upload.size > pdf.MAX_BACKGROUND_BYTES:
                raise forms.ValidationError(
                    _("The background must be smaller than %(size)s.")
                    % {"size": filesizeformat(pdf.MAX_BACKGROUND_BYTES)}
                )
        return upload


class RevokeForm(forms.Form):
    """Shown on a certificate's Revoke page; the reason is kept with it."""

    reason = forms.CharField(
        label=gettext_lazy("Reason for revoking"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Kept with the certificate for the academy's records."),
    )


class ReissueForm(forms.Form):
    """Shown on a certificate's Reissue page: the name the new certificate
    carries, the trainee's current profile name unless corrected here."""

    full_name = forms.CharField(
        label=gettext_lazy("Name on the new certificate"),
        max_length=150,
        help_text=gettext_lazy(
            "Exactly as it must appear, with diacritics or in Cyrillic."
        ),
    )

    # Offered with the kind the outcome earns now (a completion certificate
    # whose outcome fell to attendance is reissued as attendance); left empty,
    # the new certificate keeps the old one's kind.
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of the new certificate"),
        choices=Kind.choices,
        required=False,
    )

    def clean_full_name(self):
        return full_name_clean(self.cleaned_data["full_name"])


class KeepForm(forms.Form):
    """ "Keep as issued" on a certificate's Review page: the admin decides
    the certificate still stands and says why, for the record."""

    note = forms.CharField(
        label=gettext_lazy("Why the certificate stands"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Kept with the review in the certificate's history."),
    )


class IssueForm(forms.Form):
    """The run's Issue certificates page: the trainees picked (or all
    eligible ones) and which of the two buttons was pressed."""

    SELECTED, ALL = "selected", "all"

    enrolments = forms.ModelMultipleChoiceField(queryset=None, required=False)
    scope = forms.ChoiceField(
        choices=[
            (SELECTED, gettext_lazy("Selected")),
            (ALL, gettext_lazy("All eligible")),
        ]
    )

    def __init__(self, *args, eligible, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolments"].queryset = eligible

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == self.SELECTED and not cleaned.get("enrolments"):
            raise forms.ValidationError(
                _("Pick at least one trainee, or issue for all eligible.")
            )
        return cleaned

    def enrolment_ids(self) -> list[int] | None:
        """What certificates_issue_for_run takes: ids, or None for all."""
        if self.cleaned_data["scope"] == self.ALL:
            return None
        return [enrolment.pk for enrolment in self.cleaned_data["enrolments"]]
