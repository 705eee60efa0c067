"""Admin for site administrators: municipalities, who works where, projects and invitations."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kvu.models import Membership, Municipality, Project
from kvu.team import services as team_services
from kvu.team.models import TeamInvitation

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


class UserInviteForm(forms.ModelForm):
    """A new account by name and e-mail, without a password: the person sets it through the
    invitation link (kvu/team), so no administrator ever passes a password on by hand."""

    municipality = forms.ModelChoiceField(
        Municipality.objects.order_by("name"),
        label=_("Municipality"),
        required=False,
        help_text=_("Optional: the municipality the person works for."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", "---------"), *Membership.Role.choices],
        required=False,
        help_text=_("Their role in that municipality."),
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "email"):  # Meta.fields grows in the admin
            self.fields[name].required = True

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if len(email) > TeamInvitation._meta.get_field("email").max_length:
            raise ValidationError(_("This address is too long for a user name."))
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _(
                    "An account with this address exists already: give it a membership "
                    "(on its page, or through the municipality's team page) instead."
                )
            )
        return email

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("municipality")) != bool(cleaned.get("role")):
            raise ValidationError(_("Choose both a municipality and a role, or neither."))
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=False)
        user.username = team_services.free_username(user.email)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


admin.site.unregister(User)


@admin.register(User)
class KvuUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    add_form = UserInviteForm
    add_form_template = None  # the ordinary change form: there are no password fields
    add_fieldsets = (
        (None, {"fields": ("first_name", "last_name", "email", "municipality", "role")}),
    )
    actions = ["send_invitation"]
    list_filter = [
        *UserAdmin.list_filter,
        "memberships__role",
        "memberships__municipality__province",
    ]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # the add form asks for the municipality

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            _invite(request, obj, form.cleaned_data.get("municipality"), form.cleaned_data["role"])

    @admin.action(description=_("Send a set-password invitation"))
    def send_invitation(self, request, queryset):
        """For accounts that cannot log in yet: a new link, replacing any earlier one."""
        for user in queryset.filter(is_staff=False):
            if user.has_usable_password() or not user.email:
                self.message_user(
                    request,
                    gettext("%(user)s already has a password or no e-mail address.")
                    % {"user": user},
                    messages.WARNING,
                )
                continue
            pending = TeamInvitation.objects.pending().filter(user=user).first()
            if pending is not None:
                team_services.resend(invitation=pending)
            elif not _invite(request, user, None, ""):
                continue
            sent = gettext("An invitation has been sent to %(email)s.")
            self.message_user(request, sent % {"email": user.email})


def _invite(request, user, municipality, role) -> bool:
    """The team's own invitation, as a leader sends it; a refusal is shown, not raised."""
    try:
        team_services.invite(
            municipality=municipality,
            email=user.email,
            name=user.get_full_name() or user.email,
            role=role or Membership.Role.VIEWER,
            invited_by=request.user,
            user=user,
        )
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
        return False
    return True


@admin.register(TeamInvitation)
class TeamInvitationAdmin(admin.ModelAdmin):
    """Invitations are made through the team page or the user form; here they are only read."""

    list_display = ["email", "name", "municipality", "role", "sent_at", "accepted_at"]
    list_filter = ["role", "municipality__province"]
    search_fields = ["email", "name", "municipality__name"]
    list_select_related = ["municipality"]
    readonly_fields = [
        "municipality",
        "email",
        "name",
        "role",
        "invited_by",
        "user",
        "expires_at",
        "sent_at",
        "accepted_at",
        "cancelled_at",
        "created_at",
    ]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False
