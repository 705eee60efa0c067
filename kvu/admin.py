"""Admin for site administrators: municipalities, who works where, and projects."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count

from kvu.models import Membership, Municipality, Project

User = get_user_model()


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user", "municipality"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code", "province", "member_count", "project_count"]
    list_filter = ["province"]
    search_fields = ["name", "cbs_code"]
    ordering = ["name"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_count=Count("memberships", distinct=True),
                project_count=Count("projects", distinct=True),
            )
        )

    @admin.display(description=Membership._meta.verbose_name_plural, ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    @admin.display(description=Project._meta.verbose_name_plural, ordering="project_count")
    def project_count(self, obj):
        return obj.project_count


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "municipality", "role", "created_at"]
    list_filter = ["role", "municipality__province"]
    search_fields = ["user__username", "user__email", "user__last_name", "municipality__name"]
    autocomplete_fields = ["user", "municipality"]
    list_select_related = ["user", "municipality"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "nightlife_area", "ccv_step", "project_leader"]
    list_filter = ["ccv_step", "municipality__province"]
    search_fields = ["name", "nightlife_area", "municipality__name", "municipality__cbs_code"]
    autocomplete_fields = ["municipality", "project_leader"]
    list_select_related = ["municipality", "project_leader"]
    date_hierarchy = "created_at"


admin.site.unregister(User)


@admin.register(User)
class KvuUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_filter = [
        *UserAdmin.list_filter,
        "memberships__role",
        "memberships__municipality__province",
    ]
