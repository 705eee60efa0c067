"""Admin of the meetings app: for the site administrator's support work."""

from django.contrib import admin

from meetings.models import ActionItem, AgendaItem, Attendee, CalendarFeed, Meeting


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0
    raw_id_fields = ["person", "user"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "kind", "date", "status"]
    list_filter = ["kind", "status", "project__municipality"]
    search_fields = ["title", "project__name"]
    raw_id_fields = ["project", "created_by"]
    filter_horizontal = ["agreements"]
    readonly_fields = ["uid", "sequence"]
    inlines = [AgendaItemInline, AttendeeInline]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["description", "meeting", "due_date", "status"]
    list_filter = ["status"]
    raw_id_fields = ["meeting", "owner_person", "owner_user"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["project", "created_at", "last_used_at"]
    readonly_fields = ["secret_hash"]
