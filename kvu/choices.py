"""get_FOO_display() without rebuilding the choices dictionary on every call.

Django builds `dict(make_hashable(field.flatchoices))` each time; hashing the lazy labels
translates every one of them, so a board of 140 cards spent a tenth of its time there. The labels
stay lazy here and are translated only when shown, in the language of the request.
"""

from django.forms.models import ModelChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


class ChoiceLabelsMixin:
    """Put before models.Model in the bases of a model with choices fields."""

    def _get_FIELD_display(self, field):
        labels = field.__dict__.get("_kvu_choice_labels")
        if labels is None:
            labels = {make_hashable(value): label for value, label in field.flatchoices}
            field._kvu_choice_labels = labels
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


def use_column_choices(field, label_lookup: str) -> None:
    """Let a ModelChoiceField read its options as (pk, label_lookup) rows: no model instances.

    For long option lists (every partner of a project); validation still uses the queryset.
    """

    class ColumnChoiceIterator(ModelChoiceIterator):
        def __iter__(self):
            if self.field.empty_label is not None:
                yield ("", self.field.empty_label)
            yield from self.queryset.values_list("pk", label_lookup)

    field.iterator = ColumnChoiceIterator
    field.widget.choices = field.choices  # the widget took its choices when the queryset was set
