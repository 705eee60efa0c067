"""Input bounds shared by all apps: single-line text, sensible dates, ids the database can hold."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# Every character str.splitlines() breaks on: a title with one of them breaks e-mail headers,
# calendar lines and CSV rows.
no_line_breaks = RegexValidator(
    r"[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]",
    inverse_match=True,
    message=_("This field cannot contain a line break."),
    code="line_break",
)


class SingleLineCharField(models.CharField):
    """A CharField for a title, a name, a phone number: one line, refused otherwise everywhere
    (forms, the admin, CSV import), since all of them validate through the model field."""

    default_validators = [no_line_breaks]


EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


@deconstructible
class DateBoundsValidator:
    """Refuses dates (and datetimes) outside 2000-01-01..2100-12-31.

    A typo such as 0001-01-01 is no real date in this application, and near the edges of
    Python's calendar converting it to another time zone overflows.
    """

    code = "date_out_of_range"

    def __call__(self, value):
        day = value.date() if isinstance(value, datetime.datetime) else value
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            raise ValidationError(
                _("Enter a date between %(earliest)s and %(latest)s."),
                code=self.code,
                params={
                    "earliest": date_format(EARLIEST_DATE, "j F Y"),
                    "latest": date_format(LATEST_DATE, "j F Y"),
                },
            )

    def __eq__(self, other):
        return isinstance(other, DateBoundsValidator)


date_bounds = DateBoundsValidator()

# Ids are 64-bit integers; a larger one in a multiple choice made SQLite raise OverflowError
# (Django already refuses it in a single choice).
_ID_RANGE = range(-(2**63), 2**63)


def _out_of_id_range(value) -> bool:
    try:
        return int(str(value).strip()) not in _ID_RANGE
    except ValueError:
        return False  # not a number: Django's own check refuses it


class IdModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that answers "invalid choice" to ids no column can hold."""

    def clean(self, value):
        if isinstance(value, (list, tuple)):
            for item in value:
                if _out_of_id_range(item):
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": item},
                    )
        return super().clean(value)
