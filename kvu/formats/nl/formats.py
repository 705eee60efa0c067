"""Dutch date formats for people (see kvu/formats/__init__.py); the rest is Django's."""

DATE_FORMAT = "j F Y"  # 2 december 2026
DATETIME_FORMAT = "j F Y H:i"  # 2 december 2026 14:30
SHORT_DATE_FORMAT = "j N Y"  # 2 dec. 2026
SHORT_DATETIME_FORMAT = "j N Y H:i"  # 2 dec. 2026 14:30
MONTH_DAY_FORMAT = "D j N"  # ma 14 dec.
YEAR_MONTH_FORMAT = "F Y"  # december 2026
TIME_FORMAT = "H:i"  # 14:30
