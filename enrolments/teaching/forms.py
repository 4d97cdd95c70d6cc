"""The register form: one radio group per trainee, named `mark-<enrolment id>`.

Rendered by templates/enrolments/teaching/register.html. A row left blank is
"not marked" and stays as it is. Anything the page could not have sent (a row
for a trainee who is not on the register, a name that is not an id, a status
outside the list) invalidates the whole form, so nothing is saved.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from enrolments.models import AttendanceRecord, Enrolment

FIELD_PREFIX = "mark-"
Status = AttendanceRecord.Status


def field_name(enrolment_id: int) -> str:
    return f"{FIELD_PREFIX}{enrolment_id}"


class RegisterForm(forms.Form):
    def __init__(
        self,
        *args,
        enrolments: list[Enrolment],
        records: dict[int, AttendanceRecord],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.enrolments = enrolments
        for enrolment in enrolments:
            record = records.get(enrolment.pk)
            self.fields[field_name(enrolment.pk)] = forms.ChoiceField(
                label=enrolment.trainee.full_name,
                choices=Status.choices,
                required=False,
                initial=record.status if record else None,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": _(
                        "“%(value)s” is not an attendance status: choose present, "
                        "late, excused or absent."
                    )
                },
            )

    def clean(self):
        cleaned = super().clean()
        for key in self.data:
            if not key.startswith(FIELD_PREFIX) or key in self.fields:
                continue
            if not key.removeprefix(FIELD_PREFIX).isdigit():
                raise ValidationError(
                    _(
                        "The register contained a row that is not a trainee. "
                        "Reload the page and try again."
                    ),
                    code="bad_row",
                )
            raise ValidationError(
                _(
                    "Some trainees are not on this meeting's register; "
                    "reload the page and try again."
                ),
                code="not_on_register",
            )
        return cleaned

    def marks(self) -> dict[int, str]:
        """{enrolment id: status} of the rows that have a mark."""
        return {
            enrolment.pk: self.cleaned_data[field_name(enrolment.pk)]
            for enrolment in self.enrolments
            if self.cleaned_data.get(field_name(enrolment.pk))
        }
