"""django-filter filter set of the project's concerns list."""

import django_filters
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from partners.models import CONCERN_STATUSES_OPEN, Concern, ConcernKind, ConcernStatus

STILL_OPEN = "still_open"


class ConcernFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=capfirst(_("status")),
        choices=[(STILL_OPEN, _("open or being addressed")), *ConcernStatus.choices],
        method="filter_status",
        empty_label=_("all statuses"),
    )
    kind = django_filters.ChoiceFilter(
        label=capfirst(_("kind of concern")),
        choices=ConcernKind.choices,
        empty_label=_("all kinds"),
    )
    partner = django_filters.CharFilter(
        label=capfirst(_("partner")),
        field_name="participation__organisation__name",
        lookup_expr="icontains",
        max_length=100,
    )

    class Meta:
        model = Concern
        fields = ["status", "kind", "partner"]

    def filter_status(self, queryset, name, value):
        if value == STILL_OPEN:
            return queryset.filter(status__in=CONCERN_STATUSES_OPEN)
        return queryset.filter(status=value)
