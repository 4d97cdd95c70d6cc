"""Month names in the genitive, for Serbian dates.

Serbian writes the month in the genitive when a day precedes it ("25. decembra
2026.", "25. децембра 2026."). Django's Serbian catalogue translates both of
its month-name forms in the nominative, so the academy's Serbian formats
(academy_site/formats/sr*/formats.py) print dates with "E", the alternative
month name, and the academy's catalogue (locale/, which Django reads before its
own) translates that form into the genitive. The names are marked here so that
makemessages keeps them in the catalogue.
"""

from django.utils.translation import pgettext_lazy

GENITIVE_MONTHS = [
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
]
