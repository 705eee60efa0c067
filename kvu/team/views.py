"""Views of the team: the leaders' team page and the public set-password page of an invitation."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kvu.access import get_municipality_for_user
from kvu.models import Membership
from kvu.ratelimit import ratelimit
from kvu.team import links, services
from kvu.team.forms import AcceptForm, InviteForm, RoleForm
from kvu.team.models import TeamInvitation

MEMBERS_PER_PAGE = 50


def _get_member(request, municipality_pk, pk):
    municipality = get_municipality_for_user(request.user, municipality_pk, leader=True)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "municipality"),
        pk=pk,
        municipality=municipality,
    )
    return municipality, membership


def _get_invitation(request, municipality_pk, pk):
    municipality = get_municipality_for_user(request.user, municipality_pk, leader=True)
    invitation = get_object_or_404(TeamInvitation, pk=pk, municipality=municipality)
    return municipality, invitation


def _refusal(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def team(request, municipality_pk, *, invite_form=None):
    """The municipality's members and open invitations, for its leaders (and staff)."""
    municipality = get_municipality_for_user(request.user, municipality_pk, leader=True)
    members = Membership.objects.filter(municipality=municipality).select_related("user")
    members = members.order_by("user__last_name", "user__first_name", "user__username", "pk")
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "membership": membership,
            "role_form": RoleForm(
                initial={"role": membership.role}, auto_id=f"id_member_{membership.pk}_%s"
            ),
        }
        for membership in page
    ]
    invitations = (
        TeamInvitation.objects.pending()
        .filter(municipality=municipality)
        .select_related("invited_by")
        .order_by("-created_at", "-pk")[:100]
    )
    return render(
        request,
        "kvu/team/team.html",
        {
            "municipality": municipality,
            "page": page,
            "rows": rows,
            "invitations": invitations,
            "invite_form": invite_form or InviteForm(),
        },
    )


@require_POST
def team_invite(request, municipality_pk):
    municipality = get_municipality_for_user(request.user, municipality_pk, leader=True)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            outcome = services.invite(
                municipality=municipality, invited_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            values = {"name": form.cleaned_data["name"], "email": form.cleaned_data["email"]}
            if outcome == services.ADDED:
                text = _(
                    "%(name)s already had an account and has been added to the team; "
                    "we let them know by e-mail."
                )
            else:
                text = _("An invitation has been sent to %(email)s.")
            messages.success(request, text % values)
            return redirect("team", municipality.pk)
    return team(request, municipality.pk, invite_form=form)


@require_POST
def team_member_role(request, municipality_pk, pk):
    municipality, membership = _get_member(request, municipality_pk, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
        return redirect("team", municipality.pk)
    try:
        services.change_role(membership=membership, role=form.cleaned_data["role"])
    except ValidationError as error:
        _refusal(request, error)
        return redirect("team", municipality.pk)
    messages.success(
        request, _("The role of %(name)s has been changed.") % {"name": _name(membership.user)}
    )
    return _after_change(request, municipality)


@require_http_methods(["GET", "POST"])
def team_member_remove(request, municipality_pk, pk):
    """Ask, then take the member off the team; their account stays for other municipalities."""
    municipality, membership = _get_member(request, municipality_pk, pk)
    if request.method == "POST":
        try:
            services.remove(membership=membership)
        except ValidationError as error:
            _refusal(request, error)
            return redirect("team", municipality.pk)
        messages.success(
            request,
            _("%(name)s is no longer a member of the team.") % {"name": _name(membership.user)},
        )
        return _after_change(request, municipality)
    return render(
        request,
        "kvu/team/remove.html",
        {"municipality": municipality, "membership": membership},
    )


@require_POST
def team_invitation_resend(request, municipality_pk, pk):
    municipality, invitation = _get_invitation(request, municipality_pk, pk)
    try:
        services.resend(invitation=invitation)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(
            request,
            _("A new link has been sent to %(email)s; the previous one no longer works.")
            % {"email": invitation.email},
        )
    return redirect("team", municipality.pk)


@require_POST
def team_invitation_cancel(request, municipality_pk, pk):
    municipality, invitation = _get_invitation(request, municipality_pk, pk)
    try:
        services.cancel(invitation=invitation)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(
            request,
            _("The invitation of %(email)s has been cancelled.") % {"email": invitation.email},
        )
    return redirect("team", municipality.pk)


def _name(user):
    return user.get_full_name() or user.username


def _after_change(request, municipality):
    """Back to the team page, or to the dashboard when the user gave up their own leadership."""
    try:
        get_municipality_for_user(request.user, municipality.pk, leader=True)
    except (Http404, PermissionDenied):  # no longer a leader there
        return redirect("dashboard")
    return redirect("team", municipality.pk)


# Public: the invitation link, and the set-password page behind it


@login_not_required
@never_cache
@ratelimit(group="team-invitation-link", rate="30/m", methods=("GET",))
def team_invitation_start(request, token):
    """Exchange the link's token for a session, then continue on a URL without the token."""
    invitation = links.find(token)
    problem = links.problem_of(invitation)
    if problem is None:
        _account, problem = services.account_to_set_up(invitation)
    if problem is not None:
        return render(request, "kvu/team/link_problem.html", {"problem": problem})
    request.session.cycle_key()
    request.session[links.SESSION_KEY] = links.session_binding(invitation)
    return redirect("team_invitation_accept")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(group="team-invitation", rate="30/m", methods=("GET", "POST"))
def team_invitation_accept(request):
    binding = request.session.get(links.SESSION_KEY)
    invitation = links.from_session(binding)
    problem = links.problem_of(invitation)
    if problem is not None:
        return render(request, "kvu/team/link_problem.html", {"problem": problem})
    account, problem = services.account_to_set_up(invitation)
    if problem is not None:
        return render(request, "kvu/team/link_problem.html", {"problem": problem})
    form = AcceptForm(account, request.POST or None) if account is not None else None
    if request.method == "POST" and (form is None or form.is_valid()):
        password = form.cleaned_data["new_password1"] if form is not None else None
        user, outcome = services.accept(binding=binding, password=password)
        if user is None:  # used or cancelled while the form was open
            return render(request, "kvu/team/link_problem.html", {"problem": outcome})
        request.session.pop(links.SESSION_KEY, None)
        if not outcome:  # an account that could log in already: it logs in as always
            messages.success(request, _("You have joined the team. Log in as usual."))
            return redirect(reverse("login"))
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your password has been set and you are logged in."))
        return redirect("dashboard")
    return render(request, "kvu/team/accept.html", {"invitation": invitation, "form": form})
