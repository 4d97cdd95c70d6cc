"""Choosing a row by its id in a query string (?course=, ?run=,
?organisation=): any text a visitor types is answered with the form's
"choose from the list" message, never a server error.

Django's ModelChoiceField turns a word into that message, but passes a number
of any size to the database. SQLite refuses an integer beyond 64 bits
("Python int too large to convert to SQLite INTEGER", an OverflowError the
field does not catch); Django guards its own integer lookups against that,
but not a page's id, which is a one-to-one link to wagtailcore's Page. So the
fields here check that an id is a whole number the database can hold before
asking it. Reports and admin filters use IdChoiceFilter instead of
django-filter's ModelChoiceFilter.
"""

import django_filters
import django_filters.fields
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# A signed 64-bit integer: the widest id SQLite and PostgreSQL store.
ID_MIN = -(2**63)
ID_MAX = 2**63 - 1


# The messages of the academy's filters by course, run and organisation.
CHOOSE_COURSE = {"invalid_choice": _("Choose a course from the list.")}
CHOOSE_RUN = {"invalid_choice": _("Choose a run from the list.")}
CHOOSE_ORGANISATION = {"invalid_choice": _("Choose an organisation from the list.")}


def is_storable_integer(value) -> bool:
    """Whether `value` (text from a query string) is a whole number that fits
    a 64-bit database integer."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return False
    return ID_MIN <= number <= ID_MAX


def _key_is_integer(queryset, to_field_name: str | None) -> bool:
    meta = queryset.model._meta
    field = meta.get_field(to_field_name) if to_field_name else meta.pk
    while field.is_relation:
        field = field.target_field
    return isinstance(field, models.IntegerField)


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that answers an id no database could hold with its
    `invalid_choice` message instead of a database error."""

    def to_python(self, value):
        if (
            value not in self.empty_values
            and _key_is_integer(self.queryset, self.to_field_name)
            and not is_storable_integer(value)
        ):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The same check for each id of a multiple choice."""

    def _check_values(self, value):
        if _key_is_integer(self.queryset, self.to_field_name):
            for each in value:
                if not is_storable_integer(each):
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": each},
                    )
        return super()._check_values(value)


class _FilterIdChoiceField(django_filters.fields.ModelChoiceField, IdChoiceField):
    """django-filter's field (its "null" choice, its option iterator) with
    the check of IdChoiceField after its own."""


class _FilterIdMultipleChoiceField(
    django_filters.fields.ModelMultipleChoiceField, IdMultipleChoiceField
):
    pass


class IdChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _FilterIdChoiceField


class IdMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = _FilterIdMultipleChoiceField
