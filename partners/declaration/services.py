"""Writes of the signed-document engine: drafting, versions, invitations, answers, accessions,
departures and the PDF, for every kind of document (the declaration of intent, the covenant)."""

import difflib
import logging
import re
from datetime import UTC
from zoneinfo import ZoneInfo

import segno
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kvu.concurrency import last_change
from kvu.pdf import render_pdf
from partners.concerns.services import record_decline_reason
from partners.declaration import selectors
from partners.declaration.kinds import KINDS
from partners.declaration.parties import parties_not_signed
from partners.declaration.signing import (
    invitation_problem,
    link_lifetime,
    revoke_tokens,
    session_problem,
)
from partners.models import (
    Concern,
    Decision,
    Declaration,
    Departure,
    DocumentKind,
    EventKind,
    Invitation,
    InvitationEvent,
    InvitationStatus,
    IssuedPdf,
    KvuRole,
    Participation,
    Person,
    ReminderRun,
    Signature,
    Stage,
    sha256_hex,
)
from partners.services import move_stage

logger = logging.getLogger("partners.declaration")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class DeclarationError(Exception):
    """A refused change; the message is shown to the user."""


# ---------------------------------------------------------------------------------------------
# Drafting and versions


def default_texts(project) -> dict[str, str]:
    """A first draft with the parts CCV recommends, filled from the project's participations."""
    participations = list(
        project.participations.exclude(stage=Stage.DECLINED).select_related(
            "organisation", "main_contact"
        )
    )
    party_lines, contribution_lines = [], []
    for participation in participations:
        contact = participation.main_contact
        if contact:
            representative = f"{contact.name}, {contact.function}" if contact.function else contact
            party_lines.append(
                _("- %(organisation)s, represented by %(representative)s")
                % {"organisation": participation.organisation, "representative": representative}
            )
        else:
            party_lines.append(f"- {participation.organisation}")
        contribution_lines.append(
            _(
                "- %(organisation)s takes part in the working group, shares knowledge and "
                "information and helps carry out the agreed measures."
            )
            % {"organisation": participation.organisation}
        )
    area = project.nightlife_area
    return {
        "title": _("Declaration of intent Quality Mark Safe Nightlife %(area)s") % {"area": area},
        "parties": "\n".join(party_lines)
        or _("- Municipality of %(name)s") % {"name": project.municipality},
        "goal": _(
            "The parties want to make and keep %(area)s a safe and attractive nightlife area: "
            "less violence and nuisance, better cooperation between hospitality businesses, door "
            "staff, police and municipality, and clear agreements about enforcement. To that end "
            "they start a Quality Mark Safe Nightlife (KVU) following the method of the Centre "
            "for Crime Prevention and Safety (CCV)."
        )
        % {"area": area},
        "vision": _(
            "Safe nightlife is a shared responsibility. No party can achieve it alone: only by "
            "working together, sharing information openly and trusting each other can the "
            "parties tackle the problems in the area. The municipality leads the process; every "
            "party brings in its own knowledge and interests."
        ),
        "contributions": "\n".join(contribution_lines)
        or _("- Every party takes part in the working group."),
        "duration": _(
            "This declaration applies from the date of signing until the covenant is signed, "
            "and at most two years. In that time the parties carry out a safety analysis and "
            "draw up a plan of action together. This declaration is not legally binding; it "
            "records the parties' intention to work together."
        ),
        "closing": _(
            "Signed online by the representatives of the parties, each on behalf of their "
            "organisation. The signatures and the evidence are listed at the end of this "
            "document."
        ),
    }


@transaction.atomic
def create_document(
    *, project, kind, user, texts: dict, valid_from=None, valid_until=None
) -> Declaration:
    """Start the project's document of this kind from the given texts (only when it has none
    yet; otherwise its newest version is returned unchanged).

    `texts` has the kind's text fields (partners/declaration/kinds.py); a part left out is
    empty. The first draft of each kind is written by the app that knows its content: the
    declaration's below (default_texts), the covenant's from the plan of approach (plans/).
    """
    existing = Declaration.objects.current_for(project, kind)
    if existing is not None:
        return existing
    fields = KINDS[kind].text_fields
    unknown = set(texts) - set(fields)
    if unknown:
        raise ValueError(f"not parts of a {kind}: {sorted(unknown)}")
    language = translation.get_language() or settings.LANGUAGE_CODE
    return Declaration.objects.create(
        project=project,
        kind=kind,
        version=1,
        language=language[:2],
        created_by=user,
        valid_from=valid_from,
        valid_until=valid_until,
        **{field: texts.get(field, "") for field in fields},
    )


def create_declaration(*, project, user) -> Declaration:
    """Start the project's declaration of intent from the template."""
    return create_document(
        project=project, kind=DocumentKind.DECLARATION, user=user, texts=default_texts(project)
    )


def _freeze(declaration: Declaration) -> None:
    if declaration.is_frozen:
        return
    text = declaration.canonical_text()
    declaration.frozen_text = text
    declaration.text_sha256 = sha256_hex(text)
    declaration.frozen_at = timezone.now()
    declaration.save(update_fields=["frozen_text", "text_sha256", "frozen_at", "updated_at"])


def edit_version(declaration: Declaration) -> str:
    """What a text form remembers of the version it was opened on: the row and its last save."""
    return f"{declaration.pk}-{declaration.updated_at.isoformat()}"


class DeclarationChanged(DeclarationError):
    """The text was changed (or sent) by someone else after the form was opened."""


def _lock_newest(project_id, kind) -> Declaration:
    """The newest version of the project's document of this kind, locked. Every new version is
    made holding this lock, so once the row is ours and nothing newer exists, nothing newer can
    appear until we commit."""
    while True:
        newest = Declaration.objects.current_for(project_id, kind)
        locked = Declaration.objects.select_for_update().get(pk=newest.pk)
        newer = Declaration.objects.filter(
            project_id=project_id, kind=kind, version__gt=locked.version
        )
        if not newer.exists():
            return locked


@transaction.atomic
def save_declaration_text(
    *,
    declaration: Declaration,
    texts: dict[str, str],
    user,
    opened: str = "",
    term: tuple | None = None,
) -> Declaration:
    """Save the texts; a frozen version is never changed: a new version is made instead.

    `opened` is `edit_version()` of the version the form was opened on: a save over a change
    made since then is refused. Saves wait for each other on the newest version's row lock, so
    concurrent saves of a sent text make one new version, not one each: the later ones change
    that new draft (or are refused, when they say what they were opened on).

    Open invitations of the old version are withdrawn (with a notice to the invitee); its
    signatures stay with the old version, valid for exactly the text that was signed.

    `term` is (valid_from, valid_until) of a kind with a term; it belongs to the version, so a
    changed term of a sent version makes a new version too.
    """
    newest = _lock_newest(declaration.project_id, declaration.kind)
    if opened and opened != edit_version(newest):
        when = dateformat.format(timezone.localtime(newest.updated_at), "j F Y, H:i")
        raise DeclarationChanged(
            _(
                "%(who)s changed the declaration on %(when)s (version %(version)s) after you "
                "opened it. Your changes have not been saved; below is your text, so you can "
                "compare it with the newest version and save again."
            )
            % {
                "who": last_change(newest, default_user=newest.created_by)[0],
                "when": when,
                "version": newest.version,
            }
        )
    declaration = newest
    fields = declaration.text_fields
    valid_from, valid_until = term or (declaration.valid_from, declaration.valid_until)
    if not declaration.is_frozen:
        for field in fields:
            setattr(declaration, field, texts[field])
        declaration.valid_from, declaration.valid_until = valid_from, valid_until
        declaration.save()
        return declaration
    # Unchanged is what would be signed: a browser sends CRLF line ends and trailing spaces the
    # stored text does not have, and saving without a change must not withdraw anyone's link.
    candidate = Declaration(
        kind=declaration.kind,
        language=declaration.language,
        valid_from=valid_from,
        valid_until=valid_until,
        **{field: texts[field] for field in fields},
    )
    if candidate.canonical_text() == declaration.frozen_text:
        return declaration
    new = Declaration.objects.create(
        project_id=declaration.project_id,
        kind=declaration.kind,
        version=declaration.version + 1,
        language=declaration.language,
        created_by=user,
        valid_from=valid_from,
        valid_until=valid_until,
        **{field: texts[field] for field in fields},
    )
    from partners.declaration import tasks

    for invitation in (
        declaration.invitations.select_for_update()
        .filter(status=InvitationStatus.OPEN)
        .order_by("pk")
    ):
        invitation.status = InvitationStatus.WITHDRAWN
        invitation.save(update_fields=["status", "updated_at"])
        revoke_tokens(invitation)
        _event(invitation, EventKind.WITHDRAWN, actor=user, note=f"v{new.version}")
        if invitation.sent_at:
            tasks.send_withdrawal_notice.enqueue(invitation.pk, WITHDRAWN_NEW_VERSION)
    return new


# ---------------------------------------------------------------------------------------------
# Invitations


def _event(invitation, kind, *, actor=None, ip=None, user_agent="", note="", at=None):
    return InvitationEvent.objects.create(
        invitation=invitation,
        kind=kind,
        actor=actor,
        ip_address=ip,
        user_agent=(user_agent or "")[:300],
        note=note[:300],
        at=at or timezone.now(),
    )


LIVE = (InvitationStatus.OPEN, InvitationStatus.SIGNED, InvitationStatus.DECLINED)

# Why an invitee is told that their link no longer applies (templates/emails/declaration_withdrawn).
WITHDRAWN_NEW_VERSION, WITHDRAWN_REVOKED, WITHDRAWN_REPLACED = "new_version", "revoked", "replaced"


def normalise_email(email: str) -> str:
    return (email or "").strip()


def _email_taken(declaration, email, *, participation_id):
    """The live invitation of another partner of this version sent to the same address."""
    return (
        Invitation.objects.filter(
            declaration=declaration, status__in=LIVE, email__iexact=normalise_email(email)
        )
        .exclude(participation_id=participation_id)
        .select_related("participation__organisation")
        .order_by("pk")
        .first()
    )


def _refuse_taken_email(declaration, email, *, participation_id):
    taken = _email_taken(declaration, email, participation_id=participation_id)
    if taken is not None:
        raise DeclarationError(
            _(
                "%(email)s has already been invited for this version, for %(organisation)s. "
                "One address can sign only once per version."
            )
            % {"email": normalise_email(email), "organisation": taken.participation.organisation}
        )


def current_invitation(declaration_id, participation_id):
    """The partner's current invitation for a version: the newest open, signed or declined one.

    A partner that declined and was invited again has an older declined invitation beside it.
    """
    return (
        Invitation.objects.filter(
            declaration_id=declaration_id, participation_id=participation_id, status__in=LIVE
        )
        .order_by("-pk")
        .first()
    )


def open_concern_count(participation_id) -> int:
    return Concern.objects.filter(participation_id=participation_id).still_open().count()


@transaction.atomic
def invite(
    *, declaration: Declaration, participation: Participation, person: Person, user
) -> Invitation:
    """Invite a participation's representative; freezes the text on the first invitation.

    Inviting the person who already holds a valid invitation changes nothing, so a repeated or
    concurrent request is answered as if it was made once. A new signatory gets an invitation
    of their own: the previous one keeps its person and is revoked, so the evidence always says
    who was invited. The declaration's row lock serialises all of this per version (and with
    `save_declaration_text`, which takes the same lock before it makes a new version).
    """
    if participation.project_id != declaration.project_id:
        raise DeclarationError(_("This partner does not take part in this project."))
    if person.organisation_id != participation.organisation_id:
        raise DeclarationError(_("This person does not work for this partner."))
    if not person.email:
        raise DeclarationError(_("%(name)s has no e-mail address.") % {"name": person.name})
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    latest = Declaration.objects.current_for(declaration.project_id, declaration.kind)
    if latest.pk != declaration.pk:
        raise DeclarationError(_("Only the newest version can be sent."))
    if declaration.kind_spec.has_term and not (declaration.valid_from and declaration.valid_until):
        raise DeclarationError(
            _("Set the term (first and last day) before sending: it belongs to what is signed.")
        )
    if declaration.valid_until and declaration.valid_until < timezone.localdate():
        raise DeclarationError(
            _("The term of this version has ended: no one can sign or join it any more.")
        )
    departed = Departure.objects.filter(document=declaration, participation=participation)
    if departed.exists():
        raise DeclarationError(
            _("%(organisation)s has left; it can join again with the next version.")
            % {"organisation": participation.organisation}
        )
    _freeze(declaration)
    # Ordered by pk: the default ordering joins the organisation, whose row would be locked too.
    invitations = (
        Invitation.objects.select_for_update()
        .filter(declaration=declaration, participation=participation)
        .order_by("pk")
    )
    invitation = invitations.filter(status__in=LIVE).order_by("-pk").first()
    if invitation and invitation.status == InvitationStatus.DECLINED:
        raise DeclarationError(
            _(
                "%(organisation)s declined this version. Once its concerns have been addressed, "
                "use “Invite again” on the status page."
            )
            % {"organisation": participation.organisation}
        )
    if invitation and invitation.status != InvitationStatus.OPEN:
        raise DeclarationError(
            _("%(organisation)s has already answered this version.")
            % {"organisation": participation.organisation}
        )
    _refuse_taken_email(declaration, person.email, participation_id=participation.pk)
    if invitation and invitation.person_id != person.pk:
        invitation.status = InvitationStatus.REVOKED
        invitation.save(update_fields=["status", "updated_at"])
        revoke_tokens(invitation)
        _event(invitation, EventKind.REVOKED, actor=user, note=_("Another signatory invited"))
        if invitation.sent_at and invitation.email.lower() != normalise_email(person.email).lower():
            from partners.declaration import tasks

            tasks.send_withdrawal_notice.enqueue(invitation.pk, WITHDRAWN_REPLACED)
        invitation = None
    if invitation is None:
        # A revoked invitation of this same person is reopened rather than duplicated.
        invitation = (
            invitations.filter(status=InvitationStatus.REVOKED, person=person)
            .order_by("-created_at", "-pk")
            .first()
        )
    elif invitation.email == normalise_email(person.email) and not invitation.is_expired:
        return invitation
    if invitation is None:
        invitation = Invitation(
            declaration=declaration,
            participation=participation,
            person=person,
            created_by=user,
            # A partner invited to a covenant in force joins it, signing the same text.
            accession=declaration.kind_spec.allows_joining and declaration.in_force,
        )
    else:
        revoke_tokens(invitation)
        # Reopened: this invitation has not gone out yet (its history keeps the earlier send),
        # so the send task and the retry sweep treat it as unsent.
        invitation.sent_at = None
    invitation.email = normalise_email(person.email)
    invitation.accession = declaration.kind_spec.allows_joining and declaration.in_force
    invitation.status = InvitationStatus.OPEN
    invitation.created_by = invitation.created_by or user
    invitation.expires_at = timezone.now() + link_lifetime()
    invitation.save()
    from partners.declaration import tasks

    tasks.send_invitation_email.enqueue(invitation.pk, EventKind.SENT.value)
    return invitation


@transaction.atomic
def resend_invitation(*, invitation: Invitation, user) -> Invitation:
    """A new link (the old ones stop working) with a new expiry date; also reopens a revoked one."""
    declaration = Declaration.objects.select_for_update().get(pk=invitation.declaration_id)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status not in (InvitationStatus.OPEN, InvitationStatus.REVOKED):
        raise DeclarationError(_("This invitation can no longer be sent again."))
    latest = Declaration.objects.current_for(declaration.project_id, declaration.kind)
    if latest.pk != invitation.declaration_id:
        raise DeclarationError(_("Only the newest version can be sent."))
    current = current_invitation(invitation.declaration_id, invitation.participation_id)
    # A declined invitation older than this one is what this one re-invited; anything else live
    # is a newer invitation (another signatory, or an answer).
    if current is not None and current.pk != invitation.pk:
        if current.status != InvitationStatus.DECLINED or current.pk > invitation.pk:
            raise DeclarationError(
                _("This partner has been invited again, with another signatory.")
            )
        _refuse_open_concerns(invitation.participation_id)
    _refuse_taken_email(declaration, invitation.email, participation_id=invitation.participation_id)
    revoke_tokens(invitation)
    invitation.status = InvitationStatus.OPEN
    invitation.expires_at = timezone.now() + link_lifetime()
    invitation.save(update_fields=["status", "expires_at", "updated_at"])
    from partners.declaration import tasks

    tasks.send_invitation_email.enqueue(invitation.pk, EventKind.RESENT.value)
    return invitation


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, user) -> Invitation:
    """Withdraw an open invitation; the invitee is told that the link no longer applies.

    Revoking the last open invitation may complete the round (see `_finish_round`).
    """
    declaration = Declaration.objects.select_for_update().get(pk=invitation.declaration_id)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != InvitationStatus.OPEN:
        raise DeclarationError(_("Only an open invitation can be revoked."))
    invitation.status = InvitationStatus.REVOKED
    invitation.save(update_fields=["status", "updated_at"])
    revoke_tokens(invitation)
    _event(invitation, EventKind.REVOKED, actor=user)
    from partners.declaration import tasks

    if invitation.sent_at:
        tasks.send_withdrawal_notice.enqueue(invitation.pk, WITHDRAWN_REVOKED)
    if _finish_round(declaration):
        tasks.send_round_result.enqueue(declaration.pk)
    return invitation


def _refuse_open_concerns(participation_id) -> None:
    count = open_concern_count(participation_id)
    if count:
        raise DeclarationError(
            ngettext(
                "This partner still has %(count)s open concern. Resolve it, or record that it "
                "cannot be resolved, before inviting the partner again.",
                "This partner still has %(count)s open concerns. Resolve them, or record that "
                "they cannot be resolved, before inviting the partner again.",
                count,
            )
            % {"count": count}
        )


@transaction.atomic
def reinvite_declined(*, invitation: Invitation, user) -> Invitation:
    """Invite a partner that declined again, for the same version, once its concerns are settled.

    As with a new signatory, the re-invitation is a new Invitation row: the declined one keeps its
    answer and reason as evidence. The e-mail says that the partner declined earlier.
    """
    declaration = Declaration.objects.select_for_update().get(pk=invitation.declaration_id)
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("person", "participation__organisation")
        .get(pk=invitation.pk)
    )
    if invitation.status != InvitationStatus.DECLINED:
        raise DeclarationError(_("Only a partner that declined can be invited again."))
    latest = Declaration.objects.current_for(declaration.project_id, declaration.kind)
    if latest.pk != declaration.pk:
        raise DeclarationError(_("Only the newest version can be sent."))
    current = current_invitation(declaration.pk, invitation.participation_id)
    if current is not None and current.pk != invitation.pk:
        raise DeclarationError(
            _("%(organisation)s has already been invited again.")
            % {"organisation": invitation.participation.organisation}
        )
    _refuse_open_concerns(invitation.participation_id)
    person = invitation.person
    email = normalise_email(person.email) or invitation.email
    _refuse_taken_email(declaration, email, participation_id=invitation.participation_id)
    new = Invitation.objects.create(
        declaration=declaration,
        participation=invitation.participation,
        person=person,
        email=email,
        status=InvitationStatus.OPEN,
        created_by=user,
        accession=invitation.accession,
        expires_at=timezone.now() + link_lifetime(),
    )
    from partners.declaration import tasks

    tasks.send_invitation_email.enqueue(new.pk, EventKind.REINVITED.value)
    return new


def reminded_today(invitation: Invitation, *, now=None) -> bool:
    last = invitation.last_reminded_at
    now = now or timezone.now()
    return last is not None and timezone.localdate(last) == timezone.localdate(now)


@transaction.atomic
def remind_invitation(*, invitation: Invitation, user=None) -> None:
    """A manual reminder: at most one a day to the same invitee (counting automatic ones).

    The time is recorded here, under the row lock, so two clicks (or two leaders) send one.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation_problem(invitation) is not None:
        raise DeclarationError(_("Only an open invitation can be reminded."))
    if reminded_today(invitation):
        when = dateformat.format(timezone.localtime(invitation.last_reminded_at), "H:i")
        raise DeclarationError(
            _(
                "A reminder was already sent today at %(time)s. Nothing has been sent; you can "
                "send the next one tomorrow."
            )
            % {"time": when}
        )
    invitation.last_reminded_at = timezone.now()
    invitation.save(update_fields=["last_reminded_at", "updated_at"])
    from partners.declaration import tasks

    tasks.send_invitation_email.enqueue(invitation.pk, EventKind.REMINDED.value)


def run_reminders(*, now=None) -> ReminderRun:
    """The automatic run (`manage.py send_reminders`, daily): due reminders and failed sends.

    The run itself is recorded, so the status page can show when the daily job last ran.
    """
    now = now or timezone.now()
    from partners.declaration import tasks

    reminded = retried = 0
    for invitation_id in due_reminders(now=now).values_list("pk", flat=True):
        tasks.send_invitation_email.enqueue(invitation_id, EventKind.REMINDED.value)
        reminded += 1
    for invitation_id in unsent_invitations(now=now).values_list("pk", flat=True):
        tasks.send_invitation_email.enqueue(invitation_id, EventKind.SENT.value)
        retried += 1
    return ReminderRun.objects.create(at=now, reminded=reminded, retried=retried)


def due_reminders(*, now=None):
    """Open, sent, unexpired invitations whose last e-mail is at least 7 days old."""
    now = now or timezone.now()
    due = now - settings.DECLARATION_REMINDER_INTERVAL
    return Invitation.objects.filter(
        status=InvitationStatus.OPEN, sent_at__isnull=False, expires_at__gt=now
    ).filter(Q(last_reminded_at__isnull=True, sent_at__lte=due) | Q(last_reminded_at__lte=due))


def unsent_invitations(*, now=None):
    """Open invitations whose first e-mail never went out (the send failed): to retry."""
    now = now or timezone.now()
    return Invitation.objects.filter(
        status=InvitationStatus.OPEN,
        sent_at__isnull=True,
        expires_at__gt=now,
        updated_at__lte=now - settings.DECLARATION_RETRY_AFTER,
    )


# ---------------------------------------------------------------------------------------------
# The signer's side


def record_opened(*, invitation: Invitation, ip: str | None, user_agent: str) -> None:
    """Log the first visit (later visits are not news)."""
    updated = Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
        opened_at=timezone.now()
    )
    if updated:
        _event(invitation, EventKind.OPENED, ip=ip, user_agent=user_agent)


class AnswerRefused(DeclarationError):
    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


def answer_invitation(
    *,
    invitation_id: int,
    decision: str,
    signer_name: str,
    signer_function: str = "",
    decline_reason: str = "",
    text_sha256: str,
    ip: str | None,
    user_agent: str,
    binding: dict | None = None,
) -> Signature:
    """Sign or decline. One answer per invitation, however many requests arrive at once.

    The row lock serialises concurrent requests; the unique constraint is the last line of
    defence. `text_sha256` is the hash of the text the signer was shown: if the declaration
    changed meanwhile, nothing is written. `binding` is the signing session's link (see
    signing.SESSION_KEY): it is checked under the same locks, so a new link, a revocation or a
    new signatory that commits first always stops the answer.
    """
    finished = False
    try:
        with transaction.atomic():
            # The version's row first (the order invite() and new versions lock in): answers to
            # one version wait for each other, so exactly one of them sees the round complete.
            declaration_id = (
                Invitation.objects.filter(pk=invitation_id)
                .values_list("declaration_id", flat=True)
                .first()
            )
            if declaration_id is None:
                raise AnswerRefused("unknown")
            locked = Declaration.objects.select_for_update().get(pk=declaration_id)
            invitation = (
                Invitation.objects.select_for_update()
                .select_related("declaration", "participation__organisation")
                .get(pk=invitation_id)
            )
            if binding is None:
                problem = invitation_problem(invitation)
            else:
                problem = session_problem(invitation, binding, for_update=True)
            if problem:
                raise AnswerRefused(problem)
            declaration = invitation.declaration
            if not declaration.is_frozen or text_sha256 != declaration.text_sha256:
                raise AnswerRefused("changed")
            now = timezone.now()
            signature = Signature.objects.create(
                invitation=invitation,
                declaration=declaration,
                participation=invitation.participation,
                decision=decision,
                signer_name=signer_name.strip(),
                signer_function=signer_function.strip(),
                organisation_name=invitation.participation.organisation.name,
                decline_reason=decline_reason.strip(),
                answered_at=now,
                ip_address=ip,
                user_agent=(user_agent or "")[:300],
                text_sha256=declaration.text_sha256,
            )
            invitation.status = (
                InvitationStatus.SIGNED
                if decision == Decision.SIGNED
                else InvitationStatus.DECLINED
            )
            invitation.save(update_fields=["status", "updated_at"])
            revoke_tokens(invitation)
            kind = EventKind.SIGNED if decision == Decision.SIGNED else EventKind.DECLINED
            _event(invitation, kind, ip=ip, user_agent=user_agent, at=now)
            if decision == Decision.SIGNED:
                if declaration.kind_spec.moves_stage:
                    move_to_signed(participation=invitation.participation)
            else:
                record_decline_reason(participation=invitation.participation, reason=decline_reason)
            finished = _finish_round(locked)
    except IntegrityError:
        raise AnswerRefused("answered") from None
    from partners.declaration import tasks

    if decision == Decision.SIGNED:
        tasks.send_signature_confirmation.enqueue(signature.pk)
    tasks.send_leader_notice.enqueue(signature.pk)
    if finished:
        tasks.send_round_result.enqueue(signature.declaration_id)
    return signature


def _finish_round(declaration: Declaration) -> bool:
    """Mark the round complete when every invited partner has answered; True the one time it is.

    The caller holds the version's row lock, so concurrent last answers see each other's commit
    in turn and only one of them marks it. Revoked and withdrawn invitations do not count; a
    partner invited again counts with its newest invitation. Once per version: a partner invited
    again after the result went out gets the usual confirmation, not a second round result.
    """
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.result_sent_at is not None or not declaration.is_frozen:
        return False
    live = Invitation.objects.filter(declaration=declaration, status__in=LIVE)
    if not live.exists() or live.filter(status=InvitationStatus.OPEN).exists():
        return False
    declaration.result_sent_at = timezone.now()
    # Not updated_at: that is the text's edit version, and the text did not change.
    declaration.save(update_fields=["result_sent_at"])
    return True


def round_answers(declaration):
    """The current answer of each partner of the version (a re-invited partner's newest one)."""
    invitations = (
        declaration.invitations.filter(
            status__in=[InvitationStatus.SIGNED, InvitationStatus.DECLINED]
        )
        .exclude(
            Exists(
                Invitation.objects.filter(
                    declaration_id=OuterRef("declaration_id"),
                    participation_id=OuterRef("participation_id"),
                    status__in=LIVE,
                    pk__gt=OuterRef("pk"),
                )
            )
        )
        .select_related("signature", "participation__organisation", "person")
        .order_by("participation__organisation__name", "pk")
    )
    return [invitation.signature for invitation in invitations]


def move_to_signed(*, participation: Participation) -> None:
    """The outreach stage follows the signature; recorded as a change made by the system."""
    move_stage(
        participation=participation,
        to_stage=Stage.SIGNED,
        user=None,
        note=_("Declaration of intent signed online"),
    )


@transaction.atomic
def record_departure(*, document: Declaration, participation, left_on, reason: str, user):
    """Record that a partner left a document in force during its term (a business leaving the
    covenant). Its signature stays as evidence of what it signed and when; from `left_on` it
    no longer takes part. Only a partner that signed this version can leave it, once."""
    document = Declaration.objects.select_for_update().get(pk=document.pk)
    if not document.kind_spec.allows_joining:
        raise DeclarationError(_("Partners cannot leave this document."))
    if participation.project_id != document.project_id:
        raise DeclarationError(_("This partner does not take part in this project."))
    signed = Signature.objects.filter(
        declaration=document, participation=participation, decision=Decision.SIGNED
    ).first()
    if signed is None:
        raise DeclarationError(
            _("%(organisation)s has not signed this version, so it cannot leave it.")
            % {"organisation": participation.organisation}
        )
    if left_on < timezone.localdate(signed.answered_at):
        raise DeclarationError(_("A partner cannot leave before the day it signed."))
    if document.valid_from and left_on < document.valid_from:
        raise DeclarationError(_("A partner cannot leave before the term has started."))
    if left_on > timezone.localdate():
        raise DeclarationError(
            _("A departure is recorded once it has happened: the day cannot lie in the future.")
        )
    if document.valid_until and left_on > document.valid_until:
        raise DeclarationError(_("The term had already ended on that day."))
    if Departure.objects.filter(document=document, participation=participation).exists():
        raise DeclarationError(
            _("%(organisation)s has already left.") % {"organisation": participation.organisation}
        )
    return Departure.objects.create(
        document=document,
        participation=participation,
        left_on=left_on,
        reason=reason.strip(),
        recorded_by=user,
    )


# ---------------------------------------------------------------------------------------------
# Reads shared by the status page, the panels and the PDF


def invitations_with_events(declaration):
    return (
        declaration.invitations.select_related("participation__organisation", "person", "signature")
        .prefetch_related(Prefetch("events", queryset=InvitationEvent.objects.order_by("at", "pk")))
        .order_by("participation__organisation__name")
    )


def role_progress(declaration) -> list[dict]:
    """Per KVU role: partners in the project, how many signed this version."""
    counts = (
        Participation.objects.filter(project_id=declaration.project_id)
        # A partner that declined counts only if it answered the declaration. Exists() keeps
        # this to the project's own partners (an exclude() across the relation scanned them all).
        .filter(
            ~Q(stage=Stage.DECLINED)
            | Exists(Signature.objects.filter(participation_id=OuterRef("pk")))
        )
        .values("role")
        .annotate(
            total=Count("pk", distinct=True),
            signed=Count(
                "signatures",
                filter=Q(
                    signatures__declaration=declaration,
                    signatures__decision=Decision.SIGNED,
                ),
                distinct=True,
            ),
        )
    )
    by_role = {row["role"]: row for row in counts}
    return [
        {
            "role": label,
            "signed": by_role.get(value, {}).get("signed", 0),
            "total": by_role.get(value, {}).get("total", 0),
        }
        for value, label in KvuRole.choices
    ]


def verification_url(declaration) -> str:
    return settings.SITE_URL + reverse("verification_detail", args=[declaration.verification_code])


def qr_svg(url: str) -> str:
    """The QR code as inline SVG: the PDF fetcher loads nothing but our own static files."""
    svg = segno.make(url, error="m").svg_inline(scale=3, border=2, omitsize=True)
    return mark_safe(svg)


MUNICIPALITY, PARTNER = "municipality", "partner"


def render_declaration_pdf(
    declaration: Declaration, *, language: str | None = None, audience: str = MUNICIPALITY
) -> bytes:
    """The PDF with text, parties, signature page and evidence page; its hash is recorded.

    The municipality's copy (`audience="municipality"`) carries the full evidence: addresses the
    links went to, IP addresses, browsers and every invitation's event log. A partner's copy
    (`audience="partner"`) shows of every answer only who gave it, for which organisation and
    when: the other signatories' contact details and devices are none of a partner's business.
    """
    if audience not in (MUNICIPALITY, PARTNER):
        raise ValueError(f"unknown audience {audience!r}")
    invitations = list(invitations_with_events(declaration))
    signatures = [
        inv.signature
        for inv in invitations
        if hasattr(inv, "signature") and inv.signature.decision == Decision.SIGNED
    ]
    signatures.sort(key=lambda s: (s.answered_at, s.pk))
    # An unsent draft can still change: it carries no verification code and is never recorded,
    # so the verification page can never certify it as issued.
    draft = declaration.frozen_at is None
    url = "" if draft else verification_url(declaration)
    blocks = text_blocks(declaration)
    with translation.override(language or translation.get_language()):
        context = {
            "declaration": declaration,
            "kind": declaration.kind_spec,
            "project": declaration.project,
            # The appendix of a covenant: who takes part, who joined later, who left.
            "participants": (
                selectors.participants(declaration)
                if declaration.kind_spec.has_appendix and not draft
                else []
            ),
            "blocks": blocks,
            "parties_block": _parties_block(blocks),
            "signatures": signatures,
            # The parties named in the text or invited that did not sign: kept apart from the
            # signatures, so that the PDF never suggests they take part (partners/declaration/
            # parties.py). The municipality's copy names them with their state; a partner's copy
            # says only that the signatories alone take part: whether another partner has not
            # answered yet is none of its business. A draft has no invitations yet.
            "not_signed": (
                parties_not_signed(declaration, invitations)
                if audience == MUNICIPALITY and not draft
                else []
            ),
            # The evidence of each answer (signed or declined). Open, revoked and withdrawn
            # invitations prove nothing here; their history is on the status page.
            "evidence": [
                evidence_text(inv, declaration, audience=audience)
                for inv in invitations
                if hasattr(inv, "signature")
            ],
            "audience": audience,
            "draft": draft,
            "verification_url": url,
            "qr": "" if draft else qr_svg(url),
            "generated_at": timezone.now(),
        }
        pdf = render_pdf("pdf/declaration.html", context, stamp="generated_at")
    if draft:
        return pdf
    # The same document asked again (nothing changed) is recorded once.
    IssuedPdf.objects.get_or_create(
        declaration=declaration,
        sha256=sha256_hex(pdf),
        defaults={"signature_count": len(signatures)},
    )
    return pdf


def evidence_text(invitation, declaration, *, audience: str = MUNICIPALITY) -> str:
    """One signatory's entry on the evidence page, as lines of plain text.

    Composed here rather than in the template: the PDF prints it as one text run per signatory
    (``white-space: pre-line``), which keeps a declaration with 100+ signatories fast to lay out.
    """

    def amsterdam(moment, fmt):
        return dateformat.format(timezone.localtime(moment, AMSTERDAM), fmt)

    def moment(signature):
        return "{} ({} UTC)".format(
            amsterdam(signature.answered_at, "j-n-Y H:i:s"),
            dateformat.format(signature.answered_at.astimezone(UTC), "H:i:s"),
        )

    organisation = invitation.participation.organisation.name
    if audience == PARTNER:
        signature = invitation.signature
        if signature.decision != Decision.SIGNED:
            return f"{organisation} – {_('Declined by')}: {signature.signer_name}"
        who = ", ".join(filter(None, [signature.signer_name, signature.signer_function]))
        parts = [f"{_('Signed as')}: {who}", moment(signature)]
        if signature.text_sha256 != declaration.text_sha256:
            parts.append(f"SHA-256: {signature.text_sha256}")
        return f"{organisation}\n" + " · ".join(parts)
    lines = [f"{organisation} – {invitation.person.name} <{invitation.email}>"]
    signature = getattr(invitation, "signature", None)
    if signature is not None:
        signed_as = _("Signed as") if signature.decision == Decision.SIGNED else _("Declined by")
        who = ", ".join(filter(None, [signature.signer_name, signature.signer_function]))
        parts = [
            f"{signed_as}: {who}",
            moment(signature),
            f"IP {signature.ip_address or '–'}",
            "{}: {}".format(_("Browser"), Truncator(signature.user_agent).chars(60) or "–"),
        ]
        if signature.text_sha256 != declaration.text_sha256:
            parts.append(f"SHA-256: {signature.text_sha256}")
        lines.append(" · ".join(parts))
    lines.append(
        " · ".join(
            "{} {}{}".format(
                amsterdam(event.at, "j-n-Y H:i"),
                event.get_kind_display(),
                f" (IP {event.ip_address})" if event.ip_address else "",
            )
            for event in invitation.events.all()
        )
    )
    return "\n".join(lines)


def text_blocks(declaration) -> list[dict]:
    """The signed text split into title, headings and paragraphs, for display.

    Rendered from the frozen text itself (not from the fields), so that what a signer reads and
    what the PDF prints is exactly the text whose hash is recorded.
    """
    text = declaration.signed_text()
    blocks = []
    for number, chunk in enumerate(text.strip("\n").split("\n\n")):
        if number == 0:
            kind = "title"
        elif "\n" not in chunk and HEADING.match(chunk):
            kind = "heading"
        else:
            kind = "paragraph"
        blocks.append({"kind": kind, "text": chunk})
    return blocks


HEADING = re.compile(r"^[0-9]{1,2}\. \S")


def _parties_block(blocks) -> int | None:
    """The index of the block under the first heading (section 1, the parties), if any."""
    for number, block in enumerate(blocks[:-1]):
        if block["kind"] == "heading":
            return number + 1 if blocks[number + 1]["kind"] == "paragraph" else None
    return None


# ---------------------------------------------------------------------------------------------
# Comparing two versions


def previous_version(declaration):
    """The version before this one (of the same kind), or None."""
    return (
        Declaration.objects.filter(
            project_id=declaration.project_id,
            kind=declaration.kind,
            version__lt=declaration.version,
        )
        .order_by("-version")
        .first()
    )


def _paragraphs(text: str) -> list[str]:
    return [chunk for chunk in text.strip("\n").split("\n\n") if chunk.strip()]


def _word_diff(old: str, new: str) -> list[tuple[str, str]]:
    old_words, new_words = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    segments = []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("equal", "".join(old_words[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(("del", "".join(old_words[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(("ins", "".join(new_words[j1:j2])))
    return [segment for segment in segments if segment[1]]


def compare_versions(old: Declaration, new: Declaration) -> dict:
    """What was added and removed between two versions' texts, paragraph by paragraph.

    difflib on the frozen texts (the draft's text for an unsent version): whole paragraphs that
    came or went are marked as such, a changed paragraph is compared word by word. Each paragraph
    is a list of (kind, text) with kind "equal", "ins" or "del", for <ins>/<del> in the page.
    """
    old_parts, new_parts = _paragraphs(old.signed_text()), _paragraphs(new.signed_text())
    paragraphs = []
    added = removed = 0
    matcher = difflib.SequenceMatcher(None, old_parts, new_parts, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            paragraphs += [
                {"change": "equal", "segments": [("equal", p)]} for p in old_parts[i1:i2]
            ]
            continue
        olds, news = old_parts[i1:i2], new_parts[j1:j2]
        if op == "replace" and len(olds) == len(news):
            for before, after in zip(olds, news, strict=True):
                paragraphs.append({"change": "changed", "segments": _word_diff(before, after)})
            added += len(news)
            removed += len(olds)
            continue
        paragraphs += [{"change": "removed", "segments": [("del", p)]} for p in olds]
        paragraphs += [{"change": "added", "segments": [("ins", p)]} for p in news]
        added += len(news)
        removed += len(olds)
    return {
        "old": old,
        "new": new,
        "paragraphs": paragraphs,
        "changed": added + removed > 0,
    }
