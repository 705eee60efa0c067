"""get_FOO_display() through ChoiceLabelsMixin: the label in the active language, every call."""

from django.utils import translation

from partners.models import Organisation, Participation


def test_label_follows_the_active_language():
    organisation = Organisation(name="Café De Hoek", kind="police")
    with translation.override("nl"):
        dutch = organisation.get_kind_display()
    with translation.override("en"):
        english = organisation.get_kind_display()
    with translation.override("nl"):
        again = organisation.get_kind_display()
    assert (dutch, english, again) == ("politie", "police", "politie")


def test_each_value_gets_its_own_label_and_an_unknown_value_shows_as_is():
    with translation.override("en"):
        assert Participation(stage="approached").get_stage_display() == "approached"
        assert Participation(stage="not_approached").get_stage_display() == "not yet approached"
        assert Participation(stage="no-such-stage").get_stage_display() == "no-such-stage"
