"""Admin of the outreach models, for site administrators."""

from django.contrib import admin

from partners.inbox.models import InboundMessage, LoggingAddress
from partners.models import (
    Agreement,
    ContactMoment,
    Organisation,
    Participation,
    Person,
    StageChange,
)


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0
    fields = ["name", "function", "email", "phone"]


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    fields = ["changed_at", "from_stage", "to_stage", "changed_by", "note"]
    readonly_fields = ["changed_at"]
    raw_id_fields = ["changed_by"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "kvk_number", "city", "is_active"]
    list_filter = ["kind", "is_active", "municipality"]
    search_fields = ["name", "kvk_number", "city", "email"]
    list_select_related = ["municipality"]
    inlines = [PersonInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "function", "organisation", "email", "phone"]
    list_filter = ["organisation__municipality"]
    search_fields = ["name", "email", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "project", "stage", "role", "influence", "interest_level"]
    list_filter = ["stage", "role", "project__municipality"]
    search_fields = ["organisation__name", "project__name"]
    list_select_related = ["organisation", "project"]
    autocomplete_fields = ["organisation", "main_contact"]
    inlines = [StageChangeInline]


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["participation", "from_stage", "to_stage", "changed_by", "changed_at"]
    list_filter = ["to_stage"]
    search_fields = ["participation__organisation__name"]
    list_select_related = ["participation__organisation", "participation__project", "changed_by"]
    raw_id_fields = ["participation", "changed_by"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["text", "project", "date", "about_double_role", "recorded_by"]
    list_filter = ["about_double_role", "project__municipality"]
    search_fields = ["text", "project__name"]
    list_select_related = ["project", "recorded_by"]
    filter_horizontal = ["participations"]
    date_hierarchy = "date"


@admin.register(ContactMoment)
class ContactMomentAdmin(admin.ModelAdmin):
    list_display = [
        "participation",
        "occurred_at",
        "channel",
        "direction",
        "follow_up_on",
        "follow_up_done",
    ]
    list_filter = ["channel", "direction", "follow_up_done"]
    search_fields = ["participation__organisation__name", "summary", "outcome"]
    list_select_related = ["participation__organisation", "participation__project"]
    raw_id_fields = ["participation", "recorded_by"]
    filter_horizontal = ["persons"]
    date_hierarchy = "occurred_at"


@admin.register(LoggingAddress)
class LoggingAddressAdmin(admin.ModelAdmin):
    """Read-only: a leader or editor replaces an address on the contact log."""

    list_display = ["project", "created_by", "created_at"]
    list_select_related = ["project", "created_by"]
    search_fields = ["project__name"]
    readonly_fields = ["project", "secret", "created_by", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    """Read-only: messages are assigned or discarded in the project's inbox."""

    list_display = ["subject", "project", "sender", "sent_at", "status", "reason"]
    list_filter = ["status", "reason"]
    list_select_related = ["project"]
    search_fields = ["subject", "sender", "project__name"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
