"""Views of the signed-document engine: the leader's pages of each kind of document (the
declaration of intent, the covenant), and the public signing and verification pages.

Every leader view takes the document's `kind` from its URL (partners/declaration/urls.py
`document_urls`) and redirects to that kind's pages.
"""

import hashlib
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kvu.access import get_project_for_user
from kvu.pdf import pdf_response
from kvu.ratelimit import ratelimit
from kvu.security import client_ip
from partners.declaration import selectors, services
from partners.declaration.emails import COMPARE_QUERY
from partners.declaration.forms import (
    DeclarationForm,
    DeclineForm,
    DepartureForm,
    InviteForm,
    SignForm,
    VerificationCheckForm,
    VerificationCodeForm,
    normalise_code,
)
from partners.declaration.kinds import KINDS
from partners.declaration.signing import (
    SESSION_KEY,
    LinkProblem,
    answer_superseded,
    answered_link_reopens,
    resolve_token,
    session_binding,
    session_problem,
)
from partners.models import (
    Concern,
    Decision,
    Declaration,
    DocumentKind,
    Invitation,
    InvitationStatus,
    IssuedPdf,
    Participation,
    ReminderRun,
    Signature,
)

logger = logging.getLogger("partners.declaration")


# ---------------------------------------------------------------------------------------------
# Access helpers: every view of this module reaches declarations through these.


def get_declaration_for_user(user, project_pk, *, write=False, kind=DocumentKind.DECLARATION):
    """(project, newest version of the kind or None); 404 for outsiders, 403 for a viewer's
    change."""
    project = get_project_for_user(user, project_pk, write=write)
    return project, Declaration.objects.current_for(project, kind)


def get_declaration_version_for_user(user, project_pk, version, *, kind=DocumentKind.DECLARATION):
    project = get_project_for_user(user, project_pk)
    try:
        return project, Declaration.objects.get(project=project, kind=kind, version=version)
    except (Declaration.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_invitation_for_user(user, project_pk, pk, *, write=False, kind=DocumentKind.DECLARATION):
    project = get_project_for_user(user, project_pk, write=write)
    try:
        invitation = Invitation.objects.select_related(
            "declaration", "participation__organisation"
        ).get(pk=pk, declaration__project=project, declaration__kind=kind)
    except (Invitation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return project, invitation


# ---------------------------------------------------------------------------------------------
# The project leader's pages


# As the contact log: 25 rows, each with its history and its buttons, make a page that is read
# at a glance and served fast with hundreds of invitations.
INVITATION_PAGE_SIZE = 25


def declaration_detail(request, pk, kind=DocumentKind.DECLARATION):
    """Status page: the current version, who signed or declined, who has not opened the link."""
    project, declaration = get_declaration_for_user(request.user, pk, kind=kind)
    spec = KINDS[kind]
    # Who takes part (the covenant's appendix) at a glance, of the version in force: a renewal
    # being drafted or sent does not end it. The PDF's appendix lists everyone.
    in_force = selectors.version_in_force(project, kind) if spec.has_appendix else None
    return render(
        request,
        "partners/declaration/detail.html",
        {
            "project": project,
            "declaration": declaration,
            "kind": spec,
            "status": _declaration_status(request, project, declaration),
            # Who takes part (the covenant's appendix) at a glance: the counts and the latest
            # who joined or left; the PDF's appendix lists everyone.
            "participants": (
                selectors.participants_summary(in_force) if in_force is not None else None
            ),
            "in_force": in_force,
        },
    )


def _declaration_status(request, project, declaration) -> dict:
    context = {}
    if declaration is not None:
        older = (
            Declaration.objects.filter(
                project=project, kind=declaration.kind, version__lt=declaration.version
            )
            .prefetch_related(
                Prefetch(
                    "signatures",
                    queryset=Signature.objects.filter(decision=Decision.SIGNED).order_by(
                        "answered_at"
                    ),
                )
            )
            .order_by("-version")
        )
        open_concerns = (
            Concern.objects.filter(participation=OuterRef("participation_id"))
            .still_open()
            .values("participation")
            .annotate(count=Count("pk"))
            .values("count")
        )
        invitations = services.invitations_with_events(declaration).annotate(
            # A declined invitation with a newer one of the same partner was followed up.
            superseded=Exists(
                Invitation.objects.filter(
                    declaration_id=OuterRef("declaration_id"),
                    participation_id=OuterRef("participation_id"),
                    status__in=services.LIVE,
                    pk__gt=OuterRef("pk"),
                )
            ),
            open_concerns=Coalesce(Subquery(open_concerns, output_field=IntegerField()), Value(0)),
        )
        page = Paginator(invitations, INVITATION_PAGE_SIZE)
        context.update(
            page=page.get_page(request.GET.get("page")),
            last_reminder_run=ReminderRun.objects.order_by("-at").first(),
            has_previous=declaration.version > 1,
            progress=services.role_progress(declaration),
            older_versions=older,
            uninvited=Participation.objects.filter(project=project)
            .exclude(invitations__declaration=declaration)
            .count(),
            # Invited after the round's result went out: they have not answered yet.
            waiting=declaration.invitations.filter(status=InvitationStatus.OPEN).count()
            if declaration.result_sent_at
            else 0,
        )
    return context


@require_POST
def declaration_create(request, pk, kind=DocumentKind.DECLARATION):
    """The declaration's first draft from its template (the covenant's is made in plans/)."""
    project, declaration = get_declaration_for_user(request.user, pk, write=True, kind=kind)
    if declaration is None:
        services.create_declaration(project=project, user=request.user)
        messages.success(request, _("A draft has been made from the template. Adjust it to fit."))
    return redirect(KINDS[kind].url_name("edit"), pk=project.pk)


@require_http_methods(["GET", "POST"])
def declaration_edit(request, pk, kind=DocumentKind.DECLARATION):
    project, declaration = get_declaration_for_user(request.user, pk, write=True, kind=kind)
    spec = KINDS[kind]
    if declaration is None:
        return redirect(spec.url_name("detail"), pk=project.pk)
    form = DeclarationForm(request.POST or None, instance=declaration)
    if request.method == "POST" and form.is_valid():
        texts = {field: form.cleaned_data[field] for field in declaration.text_fields}
        term = (
            (form.cleaned_data["valid_from"], form.cleaned_data["valid_until"])
            if spec.has_term
            else None
        )
        # The form changed the instance in memory; the service reloads it from the database.
        try:
            saved = services.save_declaration_text(
                declaration=declaration,
                texts=texts,
                user=request.user,
                opened=form.cleaned_data["opened"],
                term=term,
            )
        except services.DeclarationChanged as changed:
            form.add_error(None, str(changed))
            # Shown again, the form carries the newest version: saving now overwrites on purpose.
            newest = Declaration.objects.current_for(project, kind)
            form.data = form.data.copy()
            form.data["opened"] = services.edit_version(newest)
            return render(
                request,
                "partners/declaration/edit.html",
                {"project": project, "declaration": newest, "form": form, "kind": spec},
                status=409,
            )
        if saved.pk != declaration.pk:
            messages.warning(
                request,
                _(
                    "The text was already sent, so version %(version)s has been made. Open "
                    "invitations of the previous version were withdrawn; send the new version."
                )
                % {"version": saved.version},
            )
        else:
            messages.success(request, _("The text has been saved."))
        return redirect(spec.url_name("detail"), pk=project.pk)
    return render(
        request,
        "partners/declaration/edit.html",
        {"project": project, "declaration": declaration, "form": form, "kind": spec},
    )


def declaration_preview(request, pk, kind=DocumentKind.DECLARATION):
    """The document exactly as a signer will see it (without the signing form's effect)."""
    project, declaration = get_declaration_for_user(request.user, pk, kind=kind)
    if declaration is None:
        raise Http404
    return render(
        request,
        "partners/declaration/preview.html",
        {
            "project": project,
            "declaration": declaration,
            "kind": KINDS[kind],
            "blocks": services.text_blocks(declaration),
        },
    )


@require_http_methods(["GET", "POST"])
def declaration_invite(request, pk, kind=DocumentKind.DECLARATION):
    project, declaration = get_declaration_for_user(request.user, pk, write=True, kind=kind)
    spec = KINDS[kind]
    if declaration is None:
        return redirect(spec.url_name("detail"), pk=project.pk)
    form = InviteForm(request.POST or None, declaration=declaration)
    if request.method == "POST" and form.is_valid():
        participations = {
            p.organisation_id: p for p in Participation.objects.filter(project=project)
        }
        sent = 0
        for person in form.cleaned_data["persons"]:
            try:
                services.invite(
                    declaration=declaration,
                    participation=participations[person.organisation_id],
                    person=person,
                    user=request.user,
                )
                sent += 1
            except services.DeclarationError as error:
                messages.error(request, str(error))
        if sent:
            messages.success(
                request,
                ngettext(
                    "%(count)s invitation sent. The person receives a personal link by e-mail.",
                    "%(count)s invitations sent. Each person receives a personal link by e-mail.",
                    sent,
                )
                % {"count": sent},
            )
        return redirect(spec.url_name("detail"), pk=project.pk)
    return render(
        request,
        "partners/declaration/invite.html",
        {
            "project": project,
            "declaration": declaration,
            "form": form,
            "kind": spec,
            # Inviting now is joining a document in force (an accession).
            "joining": spec.allows_joining and declaration.in_force,
            # The term has started but the first round is still open: a partner invited now
            # signs as part of it, until every invitation is answered or revoked.
            "round_open": (
                declaration.invitations.filter(status=InvitationStatus.OPEN).count()
                if spec.allows_joining
                and declaration.is_frozen
                and declaration.result_sent_at is None
                and declaration.valid_from is not None
                and declaration.valid_from <= timezone.localdate()
                else 0
            ),
        },
    )


def declaration_pdf(request, pk, version, kind=DocumentKind.DECLARATION):
    project, declaration = get_declaration_version_for_user(request.user, pk, version, kind=kind)
    pdf = services.render_declaration_pdf(declaration, audience=services.MUNICIPALITY)
    slug = KINDS[kind].file_slug
    return pdf_response(pdf, f"{slug}-{project.pk}-v{declaration.version}.pdf")


def _invitation_action(request, pk, invitation_pk, action, done_message, kind):
    project, invitation = get_invitation_for_user(
        request.user, pk, invitation_pk, write=True, kind=kind
    )
    try:
        action(invitation=invitation, user=request.user)
    except services.DeclarationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, done_message % {"organisation": invitation.participation.organisation}
        )
    return redirect(KINDS[kind].url_name("detail"), pk=project.pk)


@require_POST
def invitation_revoke(request, pk, invitation_pk, kind=DocumentKind.DECLARATION):
    return _invitation_action(
        request,
        pk,
        invitation_pk,
        services.revoke_invitation,
        _("The invitation of %(organisation)s has been revoked; its link no longer works."),
        kind,
    )


@require_POST
def invitation_resend(request, pk, invitation_pk, kind=DocumentKind.DECLARATION):
    return _invitation_action(
        request,
        pk,
        invitation_pk,
        services.resend_invitation,
        _("A new link has been sent to %(organisation)s; the previous link no longer works."),
        kind,
    )


@require_POST
def invitation_reinvite(request, pk, invitation_pk, kind=DocumentKind.DECLARATION):
    return _invitation_action(
        request,
        pk,
        invitation_pk,
        services.reinvite_declined,
        _("%(organisation)s has been invited again for this version, with a new personal link."),
        kind,
    )


def declaration_compare(request, pk, version, kind=DocumentKind.DECLARATION):
    """What changed in this version compared with the one before: added and removed text."""
    project, declaration = get_declaration_version_for_user(request.user, pk, version, kind=kind)
    previous = services.previous_version(declaration)
    comparison = services.compare_versions(previous, declaration) if previous else None
    return render(
        request,
        "partners/declaration/compare.html",
        {
            "project": project,
            "declaration": declaration,
            "comparison": comparison,
            "kind": KINDS[kind],
        },
    )


@require_http_methods(["GET", "POST"])
def document_departure(request, pk, kind):
    """Record that a partner left a document in force (a business leaving the covenant)."""
    project = get_project_for_user(request.user, pk, write=True)
    spec = KINDS[kind]
    # A partner leaves the version in force, also while a renewal is being drafted.
    document = selectors.version_in_force(project, kind) if spec.allows_joining else None
    if document is None:
        raise Http404
    form = DepartureForm(request.POST or None, document=document)
    if request.method == "POST" and form.is_valid():
        participation = form.cleaned_data["participation"]
        try:
            services.record_departure(
                document=document,
                participation=participation,
                left_on=form.cleaned_data["left_on"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except services.DeclarationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The departure of %(organisation)s has been recorded.")
                % {"organisation": participation.organisation},
            )
            return redirect(spec.url_name("detail"), pk=project.pk)
    return render(
        request,
        "partners/declaration/departure.html",
        {"project": project, "declaration": document, "form": form, "kind": spec},
    )


@require_POST
def invitation_remind(request, pk, invitation_pk, kind=DocumentKind.DECLARATION):
    return _invitation_action(
        request,
        pk,
        invitation_pk,
        services.remind_invitation,
        _("A reminder has been sent to %(organisation)s."),
        kind,
    )


# ---------------------------------------------------------------------------------------------
# Public: signing through a personal link


def _request_evidence(request):
    return client_ip(request) or None, request.META.get("HTTP_USER_AGENT", "")[:300]


@login_not_required
@never_cache
@ratelimit(group="signing-link", rate="30/m", methods=("GET",))
def signing_start(request, token):
    """Exchange the token for a session, then continue on a URL without the token."""
    invitation, problem = resolve_token(token)
    # A used link shows the answer given with it (and the partner's copy of the PDF).
    reopened = problem == LinkProblem.ANSWERED and answered_link_reopens(invitation, token)
    if problem == LinkProblem.ANSWERED and not reopened:
        problem = LinkProblem.REVOKED
    if invitation is None or (problem and not reopened):
        return render(request, "partners/signing/problem.html", {"problem": problem or "unknown"})
    request.session.cycle_key()
    request.session[SESSION_KEY] = session_binding(token)
    if not reopened:
        ip, user_agent = _request_evidence(request)
        services.record_opened(invitation=invitation, ip=ip, user_agent=user_agent)
    if "?" + request.GET.urlencode() == COMPARE_QUERY:
        return redirect("signing_compare")
    return redirect("signing_page")


def _session_invitation(request):
    binding = request.session.get(SESSION_KEY)
    if not isinstance(binding, dict) or not isinstance(binding.get("invitation"), int):
        return None, None
    invitation = (
        Invitation.objects.select_related(
            "declaration__project__municipality", "participation__organisation", "person"
        )
        .filter(pk=binding["invitation"])
        .first()
    )
    return invitation, binding


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(group="signing-answer", rate="30/m")
def signing_page(request):
    invitation, binding = _session_invitation(request)
    if invitation is None:
        return render(request, "partners/signing/problem.html", {"problem": "unknown"})
    declaration = invitation.declaration
    organisation = invitation.participation.organisation.name
    problem = session_problem(invitation, binding)
    if problem == LinkProblem.ANSWERED and answer_superseded(invitation):
        problem = LinkProblem.REVOKED
    answer = getattr(invitation, "signature", None) if problem == LinkProblem.ANSWERED else None
    if problem and not answer:
        return render(request, "partners/signing/problem.html", {"problem": problem})
    initial = {"signer_name": invitation.person.name, "text_sha256": declaration.text_sha256}
    words = {"kind": declaration.kind_spec, "joining": invitation.accession}
    sign_form = SignForm(
        initial={**initial, "signer_function": invitation.person.function},
        organisation_name=organisation,
        **words,
    )
    decline_form = DeclineForm(initial=initial, prefix="decline")
    if request.method == "POST" and not answer:
        action = request.POST.get("action")
        if action == "sign":
            sign_form = SignForm(request.POST, organisation_name=organisation, **words)
            form, decision = sign_form, Decision.SIGNED
        else:
            decline_form = DeclineForm(request.POST, prefix="decline")
            form, decision = decline_form, Decision.DECLINED
        if form.is_valid():
            ip, user_agent = _request_evidence(request)
            try:
                services.answer_invitation(
                    invitation_id=invitation.pk,
                    decision=decision,
                    signer_name=form.cleaned_data["signer_name"],
                    signer_function=form.cleaned_data.get("signer_function", ""),
                    decline_reason=form.cleaned_data.get("decline_reason", ""),
                    text_sha256=form.cleaned_data["text_sha256"],
                    ip=ip,
                    user_agent=user_agent,
                    binding=binding,
                )
            except services.AnswerRefused as refused:
                if refused.problem != "answered":
                    return render(
                        request, "partners/signing/problem.html", {"problem": refused.problem}
                    )
            return redirect("signing_page")
    return render(
        request,
        "partners/signing/sign.html",
        {
            "invitation": invitation,
            "declaration": declaration,
            "kind": declaration.kind_spec,
            "project": declaration.project,
            "organisation": organisation,
            "blocks": services.text_blocks(declaration),
            "answer": answer,
            "has_previous": services.previous_version(declaration) is not None,
            "sign_form": sign_form,
            "decline_form": decline_form,
            "show_decline": request.method == "POST" and request.POST.get("action") == "decline",
        },
    )


def _session_answer_or_open(request):
    """(invitation, problem page or None) for the pages beside the signing page."""
    invitation, binding = _session_invitation(request)
    if invitation is None:
        return None, render(request, "partners/signing/problem.html", {"problem": "unknown"})
    problem = session_problem(invitation, binding)
    if problem == LinkProblem.ANSWERED and answer_superseded(invitation):
        problem = LinkProblem.REVOKED
    if problem and problem != LinkProblem.ANSWERED:
        return None, render(request, "partners/signing/problem.html", {"problem": problem})
    return invitation, None


@login_not_required
@never_cache
@ratelimit(group="signing-answer", rate="30/m", methods=("GET",))
def signing_compare(request):
    """The partner's view of what changed since the previous version, through their link."""
    invitation, refused = _session_answer_or_open(request)
    if refused:
        return refused
    declaration = invitation.declaration
    previous = services.previous_version(declaration)
    if previous is None:
        return redirect("signing_page")
    return render(
        request,
        "partners/signing/compare.html",
        {
            "project": declaration.project,
            "invitation": invitation,
            "kind": declaration.kind_spec,
            "comparison": services.compare_versions(previous, declaration),
        },
    )


@login_not_required
@never_cache
@ratelimit(group="signing-pdf", rate="10/m", methods=("GET",))
def signing_pdf(request):
    """The partner's copy of the PDF, for a partner who signed: names and times, no one's
    evidence. A partner who declined (or has not answered) sees only their own answer."""
    invitation, refused = _session_answer_or_open(request)
    if refused:
        return refused
    if invitation.status != InvitationStatus.SIGNED:
        return redirect("signing_page")
    declaration = invitation.declaration
    pdf = services.render_declaration_pdf(
        declaration, language=declaration.language, audience=services.PARTNER
    )
    return pdf_response(pdf, f"{declaration.kind_spec.file_slug}-v{declaration.version}.pdf")


# ---------------------------------------------------------------------------------------------
# Public: verification


@login_not_required
@ratelimit(group="verification", rate="20/m", methods=("GET", "POST"))
def verification_form(request):
    form = VerificationCodeForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("verification_detail", code=form.cleaned_data["code"])
    return render(request, "partners/signing/verification_form.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
@ratelimit(group="verification", rate="20/m", methods=("GET", "POST"))
def verification_detail(request, code):
    declaration = (
        Declaration.objects.select_related("project__municipality")
        .filter(verification_code=normalise_code(code), frozen_at__isnull=False)
        .first()
    )
    if declaration is None:
        form = VerificationCodeForm(initial={"code": code})
        return render(
            request,
            "partners/signing/verification_form.html",
            {"form": form, "not_found": True},
            status=404,
        )
    departures = {d.participation_id: d for d in declaration.departures.all()}
    signatures = list(
        declaration.signatures.filter(decision=Decision.SIGNED).order_by("answered_at", "pk")
    )
    for signature in signatures:
        # A partner that left the covenant during its term: its signature stays valid evidence.
        signature.departure = departures.get(signature.participation_id)
    posted = request.method == "POST"
    check_form = VerificationCheckForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    result = None
    if posted and check_form.is_valid():
        upload = check_form.cleaned_data.get("pdf")
        if upload:
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            fingerprint = digest.hexdigest()
        else:
            fingerprint = check_form.cleaned_data["sha256"]
        issued = IssuedPdf.objects.filter(declaration=declaration, sha256=fingerprint).first()
        result = {
            "fingerprint": fingerprint,
            "issued": issued,
            "is_text": fingerprint == declaration.text_sha256,
        }
    return render(
        request,
        "partners/signing/verification_detail.html",
        {
            "declaration": declaration,
            "kind": declaration.kind_spec,
            "project": declaration.project,
            "signatures": signatures,
            "check_form": check_form,
            "result": result,
            "verify_url": reverse("verification_detail", args=[declaration.verification_code]),
        },
    )
