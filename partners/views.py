"""Views of the outreach pages: partner board and list, participation, contact log, CSV."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Count, F, Max, ProtectedError, Q, RestrictedError, Window
from django.db.models.functions import RowNumber
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kvu.access import get_project_for_user
from kvu.concurrency import save_locked
from kvu.http import safe_next
from partners import csv_io, services
from partners.access import (
    get_agreement_for_user,
    get_contact_moment_for_user,
    get_csv_import_for_user,
    get_participation_for_user,
    get_person_for_user,
)
from partners.concerns import selectors as concern_selectors
from partners.filters import ContactMomentFilter, ParticipationFilter
from partners.forms import (
    AddParticipationForm,
    AgreementEditForm,
    AgreementForm,
    ContactMomentEditForm,
    ContactMomentForm,
    ImportForm,
    NewPartnerForm,
    OrganisationForm,
    ParticipationForm,
    PersonForm,
    StageForm,
)
from partners.inbox.selectors import address_with_waiting
from partners.models import (
    Agreement,
    ContactMoment,
    CsvImportStatus,
    Participation,
    Stage,
    StageChange,
)

TIMELINE_LENGTH = 20
LOG_PAGE_SIZE = 25
PARTNER_PAGE_SIZE = 50
# A column shows this many cards; the partner list shows the rest. Keeps the board readable and
# its page fast with hundreds of partners (300 cards took 0.4 s to render).
BOARD_CARDS_PER_STAGE = 8  # a column shows the first ones; the list shows them all


def _partners(project):
    """The project's participations with their organisation and main contact."""
    return Participation.objects.filter(project=project).select_related(
        "organisation", "main_contact"
    )


def _with_contact_figures(participations) -> list:
    """Adds open_follow_ups, overdue_follow_ups and last_contact to each, in one query.

    Counted over the contacts of these partners only (a page or a board), not over every
    contact of the project before paging.
    """
    participations = list(participations)
    today = timezone.localdate()
    rows = (
        ContactMoment.objects.filter(participation_id__in=[p.pk for p in participations])
        .order_by()
        .values("participation_id")
        .annotate(
            open=Count("pk", filter=Q(follow_up_on__isnull=False, follow_up_done=False)),
            overdue=Count("pk", filter=Q(follow_up_on__lt=today, follow_up_done=False)),
            last=Max("occurred_at"),
        )
    )
    figures = {row["participation_id"]: row for row in rows}
    for participation in participations:
        row = figures.get(participation.pk, {})
        participation.open_follow_ups = row.get("open", 0)
        participation.overdue_follow_ups = row.get("overdue", 0)
        participation.last_contact = row.get("last")
    return participations


def partner_board(request, project_pk):
    project = get_project_for_user(request.user, project_pk)
    return render(
        request,
        "partners/board.html",
        {
            "project": project,
            "columns": _board_columns(project),
            # Labels translated once for the move form of every card, and the page's own address.
            "stages": [(value, capfirst(str(label))) for value, label in Stage.choices],
            "board_path": request.get_full_path(),
            "card_limit": BOARD_CARDS_PER_STAGE,
        },
    )


def _board_columns(project) -> list:
    totals = dict(
        Participation.objects.filter(project=project)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # The first cards of every stage in one query: a row number per stage, filtered in SQL.
    participations = _with_contact_figures(
        _partners(project)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("stage"),
                order_by=[F("organisation__name").asc(), F("pk").asc()],
            )
        )
        .filter(rank__lte=BOARD_CARDS_PER_STAGE)
        .order_by("organisation__name", "pk")
    )
    columns = []
    for value, label in Stage.choices:
        cards = [p for p in participations if p.stage == value]
        total = totals.get(value, 0)
        columns.append(
            {
                "stage": value,
                "label": label,
                "cards": cards,
                "total": total,
                "hidden": total - len(cards),
            }
        )
    return columns


def _listing_page(request, template, project, listing, **extra):
    """A filtered, paged list; `listing(request, project)` gives its filter and page."""
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        template,
        {
            "project": project,
            "listing": listing(request, project),
            "query": query.urlencode(),
            **extra,
        },
    )


def partner_list(request, project_pk):
    project = get_project_for_user(request.user, project_pk)
    return _listing_page(request, "partners/list.html", project, _partner_listing)


def _partner_listing(request, project) -> dict:
    filterset = ParticipationFilter(
        request.GET or None, queryset=_partners(project).order_by("organisation__name")
    )
    page = Paginator(filterset.qs, PARTNER_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _with_contact_figures(page.object_list)
    return {"filter": filterset, "page": page}


def partner_grid(request, project_pk):
    project = get_project_for_user(request.user, project_pk)
    participations = Participation.objects.filter(project=project).select_related("organisation")
    # 3 counts as high on the 1-5 scale, so the middle of the scale lands in a quadrant too.
    # In reading order of the classic grid: high influence on top, high interest on the right.
    quadrants = {
        "satisfied": {"label": _("Keep satisfied"), "hint": _("high influence, low interest")},
        "manage": {"label": _("Manage closely"), "hint": _("high influence, high interest")},
        "monitor": {"label": _("Monitor"), "hint": _("low influence, low interest")},
        "informed": {"label": _("Keep informed"), "hint": _("low influence, high interest")},
    }
    for quadrant in quadrants.values():
        quadrant["partners"] = []
    unscored = []
    for participation in participations.order_by(
        "-influence", "-interest_level", "organisation__name"
    ):
        if participation.influence is None or participation.interest_level is None:
            unscored.append(participation)
            continue
        high_influence = participation.influence >= 3
        high_interest = participation.interest_level >= 3
        key = (
            ("manage" if high_interest else "satisfied")
            if high_influence
            else ("informed" if high_interest else "monitor")
        )
        quadrants[key]["partners"].append(participation)
    return render(
        request,
        "partners/grid.html",
        {"project": project, "quadrants": quadrants, "unscored": unscored},
    )


@require_http_methods(["GET", "POST"])
def participation_add(request, project_pk):
    project = get_project_for_user(request.user, project_pk, write=True)
    which = request.POST.get("which") if request.method == "POST" else None
    existing_form = AddParticipationForm(
        request.POST if which == "existing" else None, project=project, prefix="existing"
    )
    new_form = NewPartnerForm(
        request.POST if which == "new" else None, municipality=project.municipality, prefix="new"
    )
    if which == "existing" and existing_form.is_valid():
        data = existing_form.cleaned_data
        try:
            participation = services.add_participation(
                project=project,
                organisation=data["organisation"],
                user=request.user,
                role=data["role"],
                stage=data["stage"],
            )
        except IntegrityError:
            existing_form.add_error(
                "organisation", _("This organisation already takes part in this project.")
            )
        else:
            messages.success(
                request,
                _("%(name)s has been added to the partners.") % {"name": data["organisation"]},
            )
            return redirect(participation)
    if which == "new" and new_form.is_valid():
        data = new_form.cleaned_data
        try:
            participation = services.create_organisation_with_participation(
                project=project,
                organisation=new_form.instance,
                user=request.user,
                role=data["role"],
                stage=data["stage"],
            )
        except IntegrityError:
            new_form.add_error(
                "kvk_number",
                _("This municipality already has an organisation with this KvK number."),
            )
        else:
            messages.success(
                request, _("%(name)s has been added to the partners.") % {"name": new_form.instance}
            )
            return redirect(participation)
    return render(
        request,
        "partners/participation_add.html",
        {"project": project, "existing_form": existing_form, "new_form": new_form},
    )


def _render_detail(request, project, participation, *, contact_form=None):
    """The partner's page; `contact_form` is a refused contact, shown with its messages."""
    persons = list(participation.organisation.persons.all())
    minute = timezone.localtime().replace(second=0, microsecond=0)
    form = contact_form or ContactMomentForm(
        participation=participation, prefix="contact", initial={"occurred_at": minute}
    )
    # The persons of the page serve as the choices: no second query for the checkboxes.
    form.fields["persons"].choices = [(p.pk, str(p)) for p in persons]

    agreements = (
        Agreement.objects.filter(participations=participation)
        .select_related("recorded_by")
        .order_by("-date", "-pk")
    )
    history = StageChange.objects.filter(participation=participation).select_related("changed_by")
    return render(
        request,
        "partners/participation_detail.html",
        {
            "project": project,
            "participation": participation,
            "organisation": participation.organisation,
            "persons": persons,
            "timeline": _timeline(participation),
            "agreements": agreements,
            "history": history,
            "contact_form": form,
            "contact_refused": contact_form is not None,
            "stage_form": StageForm(initial={"stage": participation.stage}),
            "concerns": concern_selectors.for_participation_page(participation),
            "today": timezone.localdate(),
        },
    )


def _timeline(participation) -> dict:
    moments = list(
        participation.contact_moments.select_related("recorded_by")
        .prefetch_related("persons")
        .order_by("-occurred_at", "-pk")[: TIMELINE_LENGTH + 1]
    )
    return {"moments": moments[:TIMELINE_LENGTH], "more": len(moments) > TIMELINE_LENGTH}


def _form_page(request, project, participation, form, heading, **extra):
    """A page with one form about a partner (its own details, an agreement, a person)."""
    return render(
        request,
        "partners/form_page.html",
        {
            "project": project,
            "participation": participation,
            "form": form,
            "heading": heading,
            **extra,
        },
    )


def _refused(request):
    messages.error(request, _("Nothing has been saved; correct the fields with a message."))


def participation_detail(request, project_pk, pk):
    project, participation = get_participation_for_user(request.user, project_pk, pk)
    return _render_detail(request, project, participation)


@require_http_methods(["GET", "POST"])
def participation_edit(request, project_pk, pk):
    project, participation = get_participation_for_user(request.user, project_pk, pk, write=True)
    form = ParticipationForm(request.POST or None, instance=participation)
    if request.method == "POST" and save_locked(form):
        messages.success(request, _("The partner's details have been saved."))
        return redirect(participation)
    return _form_page(request, project, participation, form, _("Edit partner"))


@require_POST
def participation_stage(request, project_pk, pk):
    _project, participation = get_participation_for_user(request.user, project_pk, pk, write=True)
    form = StageForm(request.POST)
    fallback = participation.get_absolute_url()
    if not form.is_valid():
        messages.error(request, _("Choose one of the stages; nothing has been changed."))
        return redirect(safe_next(request, fallback))
    if services.move_stage(
        participation=participation,
        to_stage=form.cleaned_data["stage"],
        user=request.user,
        note=form.cleaned_data["note"],
    ):
        messages.success(
            request,
            _("%(name)s is now at stage “%(stage)s”.")
            % {"name": participation.organisation, "stage": participation.get_stage_display()},
        )
    else:
        messages.info(
            request,
            _("%(name)s is already at stage “%(stage)s”; nothing has been changed.")
            % {"name": participation.organisation, "stage": participation.get_stage_display()},
        )
    return redirect(safe_next(request, fallback))


@require_POST
def contact_create(request, project_pk, pk):
    project, participation = get_participation_for_user(request.user, project_pk, pk, write=True)
    form = ContactMomentForm(request.POST, participation=participation, prefix="contact")
    if not form.is_valid():
        _refused(request)
        return _render_detail(
            request,
            project,
            participation,
            contact_form=form,
        )
    data = form.cleaned_data
    services.log_contact(
        participation=participation,
        user=request.user,
        occurred_at=data["occurred_at"],
        channel=data["channel"],
        direction=data["direction"],
        summary=data["summary"],
        outcome=data["outcome"],
        follow_up_on=data["follow_up_on"],
        persons=list(data["persons"]),
    )
    messages.success(request, _("The contact has been added to the log."))
    return redirect(participation)


@require_http_methods(["GET", "POST"])
def agreement_create(request, project_pk, pk):
    """Its own page, as the meeting's subforms: the partner's page stays light."""
    project, participation = get_participation_for_user(request.user, project_pk, pk, write=True)
    form = AgreementForm(request.POST or None, prefix="agreement")
    if request.method == "POST":
        if form.is_valid():
            services.record_agreement(
                participation=participation, user=request.user, **form.cleaned_data
            )
            messages.success(request, _("The agreement has been recorded."))
            return redirect(participation)
        _refused(request)
    return _form_page(request, project, participation, form, _("Record an agreement"))


# --- corrections: a logged contact or a recorded agreement, edited or deleted ---


def _record_form_page(request, project, form, *, heading, back, what):
    """The edit page of one record (kvu/record_form.html); Cancel and Save return to `back`."""
    return render(
        request,
        "kvu/record_form.html",
        {"project": project, "form": form, "heading": heading, "back": back, "what": what},
    )


def _confirm_page(request, project, *, heading, what, lines, warning, submit, back):
    """The question before a delete (kvu/confirm.html): a GET shows it, its form POSTs."""
    return render(
        request,
        "kvu/confirm.html",
        {
            "project": project,
            "heading": heading,
            "what": what,
            "lines": lines,
            "warning": warning,
            "submit": submit,
            "back": back,
        },
    )


def _contact_lines(moment) -> list[tuple[str, str]]:
    when = date_format(timezone.localtime(moment.occurred_at), "j F Y H:i")
    return [
        (_("Partner"), str(moment.participation.organisation)),
        (_("Date and time"), when),
        (_("Channel"), moment.get_channel_display()),
        (_("What was discussed"), moment.summary),
    ]


@require_http_methods(["GET", "POST"])
def contact_edit(request, project_pk, pk):
    project = get_project_for_user(request.user, project_pk, write=True)
    moment = get_contact_moment_for_user(request.user, project, pk, write=True)
    participation = moment.participation
    back = safe_next(request, participation.get_absolute_url())
    form = ContactMomentEditForm(request.POST or None, instance=moment, participation=participation)
    if request.method == "POST":
        if save_locked(form):
            messages.success(request, _("The contact has been saved."))
            return redirect(back)
        _refused(request)
    return _record_form_page(
        request,
        project,
        form,
        heading=_("Edit contact"),
        back=back,
        what=participation.organisation.name,
    )


@require_http_methods(["GET", "POST"])
def contact_delete(request, project_pk, pk):
    project = get_project_for_user(request.user, project_pk, write=True)
    moment = get_contact_moment_for_user(request.user, project, pk, write=True)
    back = safe_next(request, moment.participation.get_absolute_url())
    if request.method == "POST":
        services.delete_contact_moment(contact_moment=moment)
        messages.success(request, _("The contact has been deleted from the log."))
        return redirect(back)
    return _confirm_page(
        request,
        project,
        heading=_("Delete this contact?"),
        what=moment.participation.organisation.name,
        lines=_contact_lines(moment),
        warning=_(
            "The contact disappears from the log and from the partner's timeline. The change "
            "log keeps what it said."
        ),
        submit=_("Delete contact"),
        back=back,
    )


def _agreement_fallback(agreement) -> str:
    """Where to return without a `next`: the first partner it was made with, or the board."""
    participation = agreement.participations.select_related("project").first()
    if participation is not None:
        return participation.get_absolute_url()
    return reverse("partner_board", args=[agreement.project_id])


@require_http_methods(["GET", "POST"])
def agreement_edit(request, project_pk, pk):
    project, agreement = get_agreement_for_user(request.user, project_pk, pk, write=True)
    back = safe_next(request, _agreement_fallback(agreement))
    form = AgreementEditForm(request.POST or None, instance=agreement)
    if request.method == "POST":
        if save_locked(form):
            messages.success(request, _("The agreement has been saved."))
            return redirect(back)
        _refused(request)
    return _record_form_page(
        request, project, form, heading=_("Edit agreement"), back=back, what=""
    )


@require_http_methods(["GET", "POST"])
def agreement_delete(request, project_pk, pk):
    project, agreement = get_agreement_for_user(request.user, project_pk, pk, write=True)
    back = safe_next(request, _agreement_fallback(agreement))
    if request.method == "POST":
        try:
            services.delete_agreement(agreement=agreement)
        except (ProtectedError, RestrictedError):
            # A decision that records something adopted (the plan of approach's version, in
            # plans/) is evidence: it stays. Nothing was deleted.
            messages.error(
                request,
                _(
                    "This agreement records the adoption of a version of the plan of approach "
                    "and stays as evidence: it has not been deleted."
                ),
            )
            return redirect(back)
        messages.success(request, _("The agreement has been deleted."))
        return redirect(back)
    partners = ", ".join(
        p.organisation.name for p in agreement.participations.select_related("organisation")
    )
    return _confirm_page(
        request,
        project,
        heading=_("Delete this agreement?"),
        what="",
        lines=[
            (_("Date"), date_format(agreement.date, "j F Y")),
            (_("Agreement"), agreement.text),
            (_("Partners"), partners or _("all partners")),
        ],
        warning=_(
            "The agreement disappears from the pages of its partners and meetings. The change "
            "log keeps what it said."
        ),
        submit=_("Delete agreement"),
        back=back,
    )


@require_http_methods(["GET", "POST"])
def person_create(request, project_pk, pk):
    project, participation = get_participation_for_user(request.user, project_pk, pk, write=True)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.organisation = participation.organisation
        person = form.save()
        if request.POST.get("make_main_contact") and participation.main_contact_id is None:
            participation.main_contact = person
            participation.save(update_fields=["main_contact", "updated_at"])
        messages.success(request, _("%(name)s has been added.") % {"name": person.name})
        return redirect(participation)
    return _form_page(
        request,
        project,
        participation,
        form,
        _("New contact person"),
        main_contact_choice=participation.main_contact_id is None,
    )


@require_http_methods(["GET", "POST"])
def person_edit(request, project_pk, pk, person_pk):
    project, participation = get_participation_for_user(request.user, project_pk, pk, write=True)
    person = get_person_for_user(request.user, project, person_pk, write=True)
    if person.organisation_id != participation.organisation_id:
        raise Http404
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and save_locked(form):
        messages.success(request, _("%(name)s has been saved.") % {"name": person.name})
        return redirect(participation)
    return _form_page(request, project, participation, form, _("Edit contact person"))


@require_http_methods(["GET", "POST"])
def organisation_edit(request, project_pk, pk):
    project, participation = get_participation_for_user(request.user, project_pk, pk, write=True)
    organisation = participation.organisation
    form = OrganisationForm(
        request.POST or None, instance=organisation, municipality=project.municipality
    )
    if request.method == "POST":
        try:
            if save_locked(form):
                messages.success(request, _("The organisation has been saved."))
                return redirect(participation)
        except IntegrityError:
            form.add_error(
                "kvk_number",
                _("This municipality already has an organisation with this KvK number."),
            )
    return _form_page(request, project, participation, form, _("Edit organisation"))


@require_POST
def organisation_set_active(request, project_pk, pk):
    _project, participation = get_participation_for_user(request.user, project_pk, pk, write=True)
    active = request.POST.get("active") == "1"
    services.set_organisation_active(organisation=participation.organisation, active=active)
    if active:
        messages.success(request, _("The organisation is active again."))
    else:
        messages.success(
            request,
            _("The organisation has been deactivated; its history is kept."),
        )
    return redirect(participation)


def contact_log(request, project_pk):
    project = get_project_for_user(request.user, project_pk)
    return _listing_page(
        request,
        "partners/contact_log.html",
        project,
        _log_listing,
        today=timezone.localdate(),
        logging_address=address_with_waiting(project),
    )


def _log_listing(request, project) -> dict:
    filterset = ContactMomentFilter(
        request.GET or None,
        queryset=ContactMoment.objects.of_project(project).order_by("-occurred_at", "-pk"),
        project=project,
    )
    # Page over the ids first: sorting thousands of narrow rows is cheap, sorting them joined
    # to partner, organisation and user was not. Then the page's 25 contacts in full.
    ids = filterset.qs.values_list("pk", flat=True)
    page = Paginator(ids, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    moments = ContactMoment.objects.filter(pk__in=list(page.object_list)).select_related(
        "participation__organisation", "recorded_by"
    )
    by_pk = {m.pk: m for m in moments.prefetch_related("persons")}
    page.object_list = [by_pk[pk] for pk in page.object_list]
    return {"filter": filterset, "page": page}


def contact_log_export(request, project_pk):
    project = get_project_for_user(request.user, project_pk)
    filterset = ContactMomentFilter(
        request.GET or None,
        queryset=csv_io.contact_moments_for_export(project),
        project=project,
    )
    return csv_io.export_contact_log(project, filterset.qs)


@require_POST
def follow_up_done(request, project_pk, pk):
    project = get_project_for_user(request.user, project_pk, write=True)
    moment = get_contact_moment_for_user(request.user, project, pk, write=True)
    services.mark_follow_up_done(contact_moment=moment)
    messages.success(
        request,
        _("The follow-up with %(name)s is marked as done.")
        % {"name": moment.participation.organisation},
    )
    return redirect(safe_next(request, reverse("contact_log", args=[project.pk])))


def partner_export(request, project_pk):
    project = get_project_for_user(request.user, project_pk)
    return csv_io.export_partners(project)


@require_http_methods(["GET", "POST"])
def partner_import(request, project_pk):
    project = get_project_for_user(request.user, project_pk, write=True)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    plan = rows = None
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["content"]
        if request.POST.get("confirm"):
            # Checked again and saved by a background task: a large file takes longer than a
            # request may.
            csv_import = csv_io.start_import(project=project, content=content, user=request.user)
            return redirect("partner_import_progress", project_pk=project.pk, pk=csv_import.pk)
        rows = csv_io.count_rows(content)
        if rows <= csv_io.PREVIEW_MAX_ROWS:
            plan = csv_io.plan_import(project=project, content=content)
        form = ImportForm(initial={"content": content})
    return render(
        request,
        "partners/import.html",
        {
            "project": project,
            "form": form,
            "plan": plan,
            "rows_without_preview": rows if plan is None else None,
            "messages_per_row": [csv_io.row_message(row) for row in plan.faulty_rows]
            if plan
            else [],
        },
    )


def _import_progress_text(csv_import) -> str:
    if csv_import.status == CsvImportStatus.QUEUED:
        return _("The import is waiting to start.")
    if csv_import.status == CsvImportStatus.CHECKING:
        return _("Checking rows: %(done)s of %(total)s; rows with problems so far: %(errors)s.") % {
            "done": csv_import.rows_done,
            "total": csv_import.rows_total,
            "errors": csv_import.errors_so_far,
        }
    if csv_import.status == CsvImportStatus.SAVING:
        return _("All %(total)s rows are correct; saving them.") % {"total": csv_import.rows_total}
    if csv_import.status == CsvImportStatus.DONE:
        return (
            _(
                "Import done: %(created)s new organisations, %(updated)s updated, "
                "%(added)s added to the project, %(persons)s contact persons saved."
            )
            % csv_import.counts
        )
    return _("The file cannot be imported; nothing has been saved.")


def partner_import_progress(request, project_pk, pk):
    project, csv_import = get_csv_import_for_user(request.user, project_pk, pk)
    return render(
        request,
        "partners/import_progress.html",
        {
            "project": project,
            "csv_import": csv_import,
            "progress_text": _import_progress_text(csv_import),
        },
    )


def partner_import_status(request, project_pk, pk):
    """The import's progress as JSON, polled by static/js/import-progress.js."""
    _project, csv_import = get_csv_import_for_user(request.user, project_pk, pk)
    return JsonResponse(
        {
            "status": csv_import.status,
            "finished": csv_import.is_finished,
            "rows_total": csv_import.rows_total,
            "rows_done": csv_import.rows_done,
            "errors_so_far": csv_import.errors_so_far,
            "counts": csv_import.counts,
            "text": _import_progress_text(csv_import),
        }
    )
