"""Every change of a municipality's team: inviting, accepting, roles and leaving.

Each is an ordinary model write under `transaction.atomic`, so the audit trail records it.
Changes that could leave a municipality without a leader lock its leaders' memberships first:
two leaders demoting each other at the same moment cannot both succeed.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kvu.models import Membership, Municipality
from kvu.team import links, tasks
from kvu.team.models import TeamInvitation

User = get_user_model()

INVITED = "invited"  # an e-mail with a set-password link went out
ADDED = "added"  # an existing account was given the membership and told so


def _account_for(email: str):
    """The one account that uses `email` (case-insensitive), None, or a refusal."""
    accounts = list(User.objects.filter(email__iexact=email).order_by("pk")[:2])
    if len(accounts) > 1:
        raise ValidationError(
            _("Several accounts use this e-mail address. Ask the administrator to sort this out.")
        )
    account = accounts[0] if accounts else None
    if account is not None and account.is_staff:
        raise ValidationError(
            _("This address belongs to an administrator, who can see every municipality already.")
        )
    if account is not None and not account.is_active:
        raise ValidationError(
            _("The account of this address has been blocked. Ask the administrator.")
        )
    return account


@transaction.atomic
def invite(
    *, municipality: Municipality | None, email: str, name: str, role: str, invited_by, user=None
) -> str:
    """Invite a colleague; returns INVITED or ADDED.

    An address whose account can log in gets the membership at once (no second account, and
    no link that could set someone else's password); any other address gets a link to set a
    password. `user` is an account just made by the administrator, without a password.
    """
    email = email.strip()
    account = user or _account_for(email)
    already = Membership.objects.filter(user=account, municipality=municipality)
    if municipality is not None and account is not None and already.exists():
        raise ValidationError(_("%(email)s is already a member of this team.") % {"email": email})
    if municipality is not None and account is not None and account.has_usable_password():
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    user=account, municipality=municipality, role=role
                )
        except IntegrityError:
            raise ValidationError(
                _("%(email)s is already a member of this team.") % {"email": email}
            ) from None
        tasks.send_added_notice.enqueue(membership.pk)
        return ADDED
    pending = TeamInvitation.objects.pending().filter(email__iexact=email)
    if pending.filter(municipality=municipality).exists():
        raise ValidationError(
            _("%(email)s has already been invited. Send the invitation again from the list.")
            % {"email": email}
        )
    try:
        with transaction.atomic():
            invitation = TeamInvitation.objects.create(
                municipality=municipality,
                email=email,
                name=name.strip(),
                role=role,
                invited_by=invited_by,
                user=account,
            )
    except IntegrityError:  # the same address invited at the same moment by another leader
        raise ValidationError(
            _("%(email)s has already been invited. Send the invitation again from the list.")
            % {"email": email}
        ) from None
    tasks.send_invitation.enqueue(invitation.pk)
    return INVITED


def _locked_pending(invitation_pk: int) -> TeamInvitation:
    invitation = TeamInvitation.objects.select_for_update().get(pk=invitation_pk)
    if invitation.accepted_at is not None or invitation.cancelled_at is not None:
        raise ValidationError(_("This invitation has already been accepted or cancelled."))
    return invitation


@transaction.atomic
def resend(*, invitation: TeamInvitation) -> None:
    """Send a new link (valid for the full period again); the previous link stops working."""
    _locked_pending(invitation.pk)
    tasks.send_invitation.enqueue(invitation.pk)


@transaction.atomic
def cancel(*, invitation: TeamInvitation) -> None:
    invitation = _locked_pending(invitation.pk)
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])


def _split_name(name: str) -> tuple[str, str]:
    first, _space, last = name.strip().partition(" ")
    return first[:150], last.strip()[:150]


def free_username(email: str) -> str:
    """The e-mail address as user name (what the colleague types to log in), made unique."""
    candidate = base = email.strip().lower()[:150]
    number = 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base[:140]}-{number}"
    return candidate


@transaction.atomic
def accept(*, binding: dict, password: str | None):
    """Use the link: set the password (a new account only) and join the team.

    Returns (user, password_was_set), or (None, problem) when the link cannot be used. An
    account that can already log in (made meanwhile through another municipality's invitation)
    keeps its password: it only gains the membership.
    """
    invitation = links.from_session(binding, for_update=True)
    problem = links.problem_of(invitation)
    if problem is not None:
        return None, problem
    account, problem = _account_at_acceptance(invitation)
    if problem is not None:
        return None, problem
    password_set = False
    if account is None and not password:  # the account the page showed has gone meanwhile
        return None, links.LinkProblem.UNKNOWN
    if account is None:
        first_name, last_name = _split_name(invitation.name)
        account = User(
            username=free_username(invitation.email),
            email=invitation.email,
            first_name=first_name,
            last_name=last_name,
        )
        account.set_password(password)
        account.save()
        password_set = True
    elif not account.has_usable_password():
        if not password:
            return None, links.LinkProblem.UNKNOWN
        account.set_password(password)
        account.save(update_fields=["password"])
        password_set = True
    if invitation.municipality_id is not None:
        Membership.objects.get_or_create(
            user=account,
            municipality_id=invitation.municipality_id,
            defaults={"role": invitation.role},
        )
    invitation.accepted_at = timezone.now()
    invitation.user = account
    invitation.save(update_fields=["accepted_at", "user"])
    return account, password_set


def _account_at_acceptance(invitation: TeamInvitation):
    """(the address's account or None, None), or (None, problem) when no link may touch it:
    an administrator's or a blocked account, or an address that several accounts share."""
    try:
        account = invitation.user or _account_for(invitation.email)
    except ValidationError:
        return None, links.LinkProblem.ACCOUNT
    if account is not None and (account.is_staff or not account.is_active):
        return None, links.LinkProblem.ACCOUNT
    return account, None


def account_to_set_up(invitation: TeamInvitation):
    """(account, problem): the account whose password the link sets (unsaved when it is still
    to be made), or None when the address has an account that can log in already (accepting
    only adds the team); or a problem that keeps the link from being used."""
    account, problem = _account_at_acceptance(invitation)
    if problem is not None:
        return None, problem
    if account is not None:
        return (None if account.has_usable_password() else account), None
    first_name, last_name = _split_name(invitation.name)
    new = User(
        username=invitation.email.lower(),
        email=invitation.email,
        first_name=first_name,
        last_name=last_name,
    )
    return new, None


def _locked_leaders(municipality_id: int) -> list[int]:
    """Lock the municipality's leader memberships; returns the pks of those that count as a
    leader who can work: an active account that is not an administrator's."""
    locked = list(
        Membership.objects.select_for_update()
        .filter(municipality_id=municipality_id, role=Membership.Role.LEADER)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return list(
        Membership.objects.filter(
            pk__in=locked, user__is_active=True, user__is_staff=False
        ).values_list("pk", flat=True)
    )


def _locked_member(pk: int) -> Membership:
    membership = (
        Membership.objects.select_for_update(of=("self",)).select_related("user").filter(pk=pk)
    ).first()
    if membership is None:  # taken off the team by another leader meanwhile
        raise ValidationError(_("This colleague is no longer a member of the team."))
    return membership


def _check_may_change(membership: Membership) -> None:
    if membership.user.is_staff:
        raise ValidationError(_("The role of an administrator is changed in the administration."))


@transaction.atomic
def change_role(*, membership: Membership, role: str) -> None:
    """Give a member another role; the last leader of the municipality stays a leader."""
    leaders = _locked_leaders(membership.municipality_id)
    membership = _locked_member(membership.pk)
    _check_may_change(membership)
    if membership.role == role:
        return
    if membership.pk in leaders and len(leaders) <= 1:
        raise ValidationError(
            _("The municipality needs at least one project leader: make someone else leader first.")
        )
    membership.role = role
    membership.save(update_fields=["role"])


@transaction.atomic
def remove(*, membership: Membership) -> None:
    """Take a member off the team (the membership is deleted; the account stays for others)."""
    leaders = _locked_leaders(membership.municipality_id)
    membership = _locked_member(membership.pk)
    _check_may_change(membership)
    if membership.pk in leaders and len(leaders) <= 1:
        raise ValidationError(
            _("The municipality needs at least one project leader: make someone else leader first.")
        )
    membership.delete()
