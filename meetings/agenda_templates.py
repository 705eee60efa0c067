"""Agenda templates per kind of meeting, after CCV's advice for the preparatory phase."""

from django.utils.translation import gettext_lazy as _

from meetings.models import MeetingKind

# (title, minutes). The introductory talk and the entrepreneurs' presentation follow CCV's page
# on making contact (KVU-DOMAIN.md): results elsewhere and the added value for the municipality;
# experiences elsewhere, what a KVU asks and gives, the double role, questions.
AGENDA_TEMPLATES = {
    MeetingKind.INTRO_TALK: [
        (_("Welcome and introductions"), 10),
        (_("What a KVU is: the Quality Mark Safe Nightlife method"), 10),
        (_("Results of KVU projects elsewhere"), 20),
        (_("The added value of a KVU for this municipality"), 20),
        (_("Roles of the mayor, the municipality and the police"), 15),
        (_("Next steps: approaching the partners"), 10),
        (_("Any other business and close"), 5),
    ],
    MeetingKind.ENTREPRENEURS: [
        (_("Welcome and introductions"), 10),
        (_("Experiences with KVU projects elsewhere"), 20),
        (_("What a KVU asks of entrepreneurs and what it gives them"), 20),
        (_("The municipality's double role: enforcer and partner"), 15),
        (_("Questions and concerns"), 20),
        (_("Next steps: your interests and the declaration of intent"), 10),
    ],
    MeetingKind.WORKING_GROUP: [
        (_("Opening and minutes of the previous meeting"), 10),
        (_("Progress of the action items"), 15),
        (_("Safety analysis: figures, walk-through and surveys"), 30),
        (_("Measures and agreements"), 25),
        (_("Planning and next meeting"), 10),
        (_("Any other business and close"), 5),
    ],
    MeetingKind.OTHER: [
        (_("Opening"), 5),
        (_("Any other business and close"), 5),
    ],
}

DEFAULT_TITLES = {
    MeetingKind.INTRO_TALK: _("Introductory talk on the KVU with mayor and police"),
    MeetingKind.ENTREPRENEURS: _("KVU presentation to hospitality entrepreneurs"),
    MeetingKind.WORKING_GROUP: _("KVU working group meeting"),
    MeetingKind.OTHER: _("KVU meeting"),
}


def agenda_template(kind: str) -> list[tuple[str, int]]:
    """The template's items as plain strings in the active language (Dutch for Dutch users)."""
    return [(str(title), minutes) for title, minutes in AGENDA_TEMPLATES.get(kind, [])]
