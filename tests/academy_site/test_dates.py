"""Dates as each language writes them: Serbian puts the month in the genitive
after a day ("25. decembra 2026."), in both scripts, on pages, in e-mails and
on certificates (academy_site/formats/); English keeps the European order."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format

from tests.factories import CoursePageFactory, CourseRunFactory

GENITIVE_LATIN = [
    "januara", "februara", "marta", "aprila", "maja", "juna",
    "jula", "avgusta", "septembra", "oktobra", "novembra", "decembra",
]  # fmt: skip
GENITIVE_CYRILLIC = [
    "јануара", "фебруара", "марта", "априла", "маја", "јуна",
    "јула", "августа", "септембра", "октобра", "новембра", "децембра",
]  # fmt: skip


@pytest.mark.parametrize("month", range(1, 13))
def test_serbian_dates_put_the_month_in_the_genitive(month):
    day = dt.date(2026, month, 25)
    with translation.override("sr-latn"):
        assert date_format(day) == f"25. {GENITIVE_LATIN[month - 1]} 2026."
        assert date_format(day, "MONTH_DAY_FORMAT") == (
            f"25. {GENITIVE_LATIN[month - 1]}"
        )
    with translation.override("sr"):
        assert date_format(day) == f"25. {GENITIVE_CYRILLIC[month - 1]} 2026."


def test_english_dates_keep_the_european_order_and_the_plain_month_name():
    with translation.override("en"):
        assert date_format(dt.date(2026, 12, 25)) == "25 December 2026"
        assert date_format(dt.datetime(2026, 3, 1, 9, 30), "DATETIME_FORMAT") == (
            "1 March 2026, 09:30"
        )


def test_a_month_without_a_day_stays_in_the_nominative():
    """ "decembar 2026." names the month itself: no genitive there."""
    with translation.override("sr-latn"):
        assert date_format(dt.date(2026, 12, 1), "YEAR_MONTH_FORMAT") == (
            "decembar 2026."
        )


def test_a_run_card_says_enrol_by_with_the_genitive(catalogue, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 4, 12, 0), tick=False)
    course = CoursePageFactory(parent=catalogue, title="Osnove sajber bezbednosti")
    run = CourseRunFactory(
        course=course,
        starts_on=dt.date(2027, 1, 11),
        ends_on=dt.date(2027, 1, 13),
        enrolment_closes_on=dt.date(2026, 12, 25),
    )
    with translation.override("sr-latn"):
        card = render_to_string("includes/run_availability.html", {"run": run})
    assert "25. decembra 2026." in card
    assert "11. januara – 13. januara 2027." in card
    with translation.override("sr"):
        card = render_to_string("includes/run_availability.html", {"run": run})
    assert "25. децембра 2026." in card
