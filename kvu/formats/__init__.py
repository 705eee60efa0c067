"""Date formats for people, once for the whole site (FORMAT_MODULE_PATH): Dutch and English.

Templates and Python name a format instead of spelling one out:

    {{ day|date }}                          2 december 2026        DATE_FORMAT
    {{ day|date:"SHORT_DATE_FORMAT" }}      2 dec. 2026            short
    {{ at|date:"SHORT_DATETIME_FORMAT" }}   2 dec. 2026 14:30      short, with the time
    {{ at|date:"DATETIME_FORMAT" }}         2 december 2026 14:30
    {{ day|date:"MONTH_DAY_FORMAT" }}       ma 14 dec.             a day in a list of days

Machines keep ISO 8601 (CSV, iCalendar, the value of a date input), never these formats.

The short formats use Django's `N` (the abbreviated month "with a dot"). Django's own Dutch
catalogue renders it without the dot ("dec"); the Dutch abbreviations ("dec.", "mrt.", and "mei"
in full) are our catalogue's translations of Django's own msgids (context "abbrev. month"),
which LOCALE_PATHS puts before Django's. They are named here so that `make messages`
keeps them in locale/nl.
"""

from django.utils.translation import pgettext_lazy

MONTHS_ABBREVIATED = (
    pgettext_lazy("abbrev. month", "Jan."),
    pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"),
    pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"),
    pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"),
    pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."),
    pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."),
    pgettext_lazy("abbrev. month", "Dec."),
)
