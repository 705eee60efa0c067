"""Django's own interface strings that its Dutch catalogue lacks; ours takes precedence."""

from django.utils.translation import gettext_noop

# New in Django 6.1 (BLANK_CHOICE_LABEL) and not yet in Django's nl catalogue.
gettext_noop("- Select an option -")
