"""Forms of the certificates admin: a template's background upload, revoking,
reissuing, and picking the trainees of a run to issue for."""

from django import forms
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from certificates import pdf
from certificates.models import CertificateTemplate, Kind
from certificates.services.errors import CertificateError
from certificates.services.templates import REFUSED_CANNOT_BE_ACTIVE, template_save
from enrolments.names import full_name_clean


class CertificateTemplateForm(WagtailAdminModelForm):
    """The template editor (Certificates > Templates). Only what can be told
    without opening the file is checked here, its name and size; the PDF itself
    is parsed by a worker after saving (certificates/services/backgrounds.py).

    "Active" is the admin's wish: a template whose new background is still
    being checked becomes active when the check passes, so the box stays
    ticked for one that awaits its check. Saving goes through
    services/templates.py: template_save.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.activate_when_valid:
            self.initial["is_active"] = True

    def clean(self):
        cleaned = super().clean()
        refused = (
            self.instance.pk
            and self.instance.background_status
            == CertificateTemplate.BackgroundStatus.INVALID
        )
        if cleaned.get("is_active") and refused and not self._background_changed():
            self.add_error("is_active", REFUSED_CANNOT_BE_ACTIVE)
        return cleaned

    def _background_changed(self) -> bool:
        return "background" in self.changed_data

    def save(self, commit=True):
        template = super().save(commit=False)
        if not commit:
            return template
        try:
            return template_save(
                template=template,
                wants_active=bool(self.cleaned_data.get("is_active")),
                background_changed=self._background_changed(),
            )
        except CertificateError as error:
            # clean() refuses the same; a refusal in between is a conflict.
            raise forms.ValidationError(error.message) from error

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


class TemplateChoiceField(forms.ModelChoiceField):
    """An active template of one kind, named with its language and audience."""

    default_error_messages = {
        "invalid_choice": gettext_lazy(
            "That template is no longer active; choose another."
        ),
    }

    def label_from_instance(self, template):
        return (
            f"{template.name} ({template.get_language_display()}, "
            f"{template.get_audience_display().lower()})"
        )


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
    eligible ones), which of the two buttons was pressed, the template of
    each kind (or each trainee's own), and whether the admin confirmed after
    reading the summary of what will be issued."""

    SELECTED, ALL = "selected", "all"
    EACH_TRAINEES_OWN = gettext_lazy(
        "Each trainee's: the active template for their language and membership"
    )

    enrolments = forms.ModelMultipleChoiceField(queryset=None, required=False)
    scope = forms.ChoiceField(
        choices=[
            (SELECTED, gettext_lazy("Selected")),
            (ALL, gettext_lazy("All eligible")),
        ]
    )
    template_completion = TemplateChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("Template for completion certificates"),
        empty_label=EACH_TRAINEES_OWN,
    )
    template_attendance = TemplateChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("Template for attendance certificates"),
        empty_label=EACH_TRAINEES_OWN,
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, eligible, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolments"].queryset = eligible
        active = CertificateTemplate.objects.filter(is_active=True)
        for kind in Kind.values:
            self.fields[f"template_{kind}"].queryset = active.filter(kind=kind)

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

    def templates(self) -> dict[str, CertificateTemplate]:
        """The template chosen for each kind; a kind left to each trainee's
        own is absent."""
        return {
            kind: self.cleaned_data[f"template_{kind}"]
            for kind in Kind.values
            if self.cleaned_data.get(f"template_{kind}")
        }

    def confirmed(self) -> bool:
        return bool(self.cleaned_data.get("confirm"))
