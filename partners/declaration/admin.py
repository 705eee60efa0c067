"""Admin of the signed-document engine: read-only evidence for site administrators."""

from django.contrib import admin

from partners.models import (
    Declaration,
    Departure,
    Invitation,
    InvitationEvent,
    IssuedPdf,
    ReminderRun,
    Signature,
)


class ReadOnlyMixin:
    """Evidence is never edited by hand: every field read-only, nothing added or deleted."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InvitationEventInline(ReadOnlyMixin, admin.TabularInline):
    model = InvitationEvent
    extra = 0
    fields = ["at", "kind", "actor", "ip_address", "user_agent", "note"]


@admin.register(Declaration)
class DeclarationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "project", "kind", "version", "frozen_at", "verification_code"]
    list_filter = ["kind"]
    list_select_related = ["project"]
    search_fields = ["title", "project__name", "verification_code"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["participation", "declaration", "person", "status", "sent_at", "opened_at"]
    list_select_related = ["participation__organisation", "participation__project", "declaration"]
    list_filter = ["status"]
    inlines = [InvitationEventInline]


@admin.register(Signature)
class SignatureAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["organisation_name", "signer_name", "decision", "answered_at", "declaration"]
    list_select_related = ["declaration"]
    list_filter = ["decision"]


@admin.register(IssuedPdf)
class IssuedPdfAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["declaration", "sha256", "signature_count", "created_at"]
    list_select_related = ["declaration"]


@admin.register(ReminderRun)
class ReminderRunAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "reminded", "retried"]


@admin.register(Departure)
class DepartureAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["participation", "document", "left_on", "recorded_by"]
    list_select_related = ["participation__organisation", "document", "recorded_by"]
