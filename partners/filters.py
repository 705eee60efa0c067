"""django-filter filter sets of the partner list and the contact log."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from partners.models import Channel, KvuRole, OrganisationKind, Participation, Stage


def _sort_choices(fields):
    """Each sort field ascending and descending, with labels translated when shown."""
    choices = []
    for param, label in fields:
        choices += [(param, label), (f"-{param}", format_lazy(_("{} (descending)"), label))]
    return choices


class ParticipationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    stage = django_filters.ChoiceFilter(
        label=capfirst(_("outreach stage")), choices=Stage.choices, empty_label=_("all stages")
    )
    kind = django_filters.ChoiceFilter(
        label=capfirst(_("kind")),
        field_name="organisation__kind",
        choices=OrganisationKind.choices,
        empty_label=_("all kinds"),
    )
    role = django_filters.ChoiceFilter(
        label=capfirst(_("role in the KVU")), choices=KvuRole.choices, empty_label=_("all roles")
    )
    order = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("organisation__name", "name"),
            ("stage", "stage"),
            ("organisation__kind", "kind"),
            ("role", "role"),
            ("updated_at", "updated"),
        ),
        # Our own lazy labels: django-filter's "(descending)" labels are translated once, at
        # import, so the English page showed them in Dutch.
        choices=_sort_choices(
            [
                ("name", _("name")),
                ("stage", _("outreach stage")),
                ("kind", _("kind")),
                ("role", _("role in the KVU")),
                ("updated", _("last changed")),
            ]
        ),
        empty_label=_("default (by name)"),
    )

    class Meta:
        model = Participation
        fields = ["q", "stage", "kind", "role"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(organisation__name__icontains=value)
            | Q(organisation__persons__name__icontains=value)
            | Q(interests__icontains=value)
        ).distinct()


class ContactMomentFilter(django_filters.FilterSet):
    # A project has up to hundreds of partners: a name search rather than a long select. The
    # participation itself comes as a hidden value from the link on a partner's page.
    partner = django_filters.CharFilter(
        label=capfirst(_("partner")),
        field_name="participation__organisation__name",
        lookup_expr="icontains",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("part of the name")}),
    )
    participation = django_filters.ModelChoiceFilter(queryset=None, widget=forms.HiddenInput)
    channel = django_filters.ChoiceFilter(
        label=capfirst(_("channel")), choices=Channel.choices, empty_label=_("all channels")
    )
    recorded_by = django_filters.ModelChoiceFilter(
        label=capfirst(_("recorded by")), queryset=None, empty_label=_("everyone")
    )
    date_from = django_filters.DateFilter(
        label=capfirst(_("from date")),
        field_name="occurred_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=capfirst(_("up to and including")),
        field_name="occurred_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    open_follow_up = django_filters.BooleanFilter(
        label=capfirst(_("only open follow-ups")),
        method="filter_open",
        widget=forms.CheckboxInput,
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices limited to this project: another project's partner id is an invalid choice.
        participation = self.filters["participation"]
        participation.queryset = (
            Participation.objects.filter(project=project)
            .select_related("organisation")
            .order_by("organisation__name", "pk")
        )
        recorded_by = self.filters["recorded_by"]
        recorded_by.queryset = (
            get_user_model()
            .objects.filter(memberships__municipality_id=project.municipality_id)
            .order_by("first_name", "last_name")
        )
        fields = self.form.fields
        fields["recorded_by"].label_from_instance = lambda u: u.get_full_name() or u.username
        fields["participation"].label_from_instance = lambda p: p.organisation.name

    def filter_open(self, queryset, name, value):
        if value:
            return queryset.filter(follow_up_on__isnull=False, follow_up_done=False)
        return queryset
