"""Views of the meetings app: list, detail with agenda, invitees, minutes, agreements, actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kvu.access import get_project_for_user
from kvu.concurrency import locked, save_locked
from kvu.http import refuse, safe_next
from kvu.pdf import pdf_response, render_pdf
from meetings import services
from meetings.access import (
    get_action_item_for_user,
    get_agenda_item_for_user,
    get_meeting_for_user,
)
from meetings.forms import (
    ActionItemEditForm,
    ActionItemForm,
    AgendaItemAddForm,
    AgendaItemForm,
    AgreementForm,
    AttendanceForm,
    InviteForm,
    MeetingForm,
)
from meetings.ics import feed_ics, meeting_ics
from meetings.models import (
    ActionItem,
    ActionItemStatus,
    Attendee,
    CalendarFeed,
    Meeting,
    MeetingStatus,
)
from partners.models import Agreement, Participation


def _subform_page(request, project, meeting, form, heading, submit, *, anchor):
    """A form of the meeting on a page of its own; Cancel returns to `anchor` on the meeting."""
    return render(
        request,
        "meetings/meeting_subform.html",
        {
            "project": project,
            "meeting": meeting,
            "form": form,
            "heading": heading,
            "submit": submit,
            "anchor": anchor,
        },
    )


def _back(meeting, anchor=""):
    return redirect(meeting.get_absolute_url() + (f"#{anchor}" if anchor else ""))


def meeting_list(request, project_pk):
    project = get_project_for_user(request.user, project_pk)
    meetings = (
        Meeting.objects.filter(project=project)
        .annotate(
            attendee_count=Count("attendees", distinct=True),
            present_count=Count(
                "attendees", filter=Q(attendees__attendance="present"), distinct=True
            ),
            open_actions=Count(
                "action_items",
                filter=Q(action_items__status=ActionItemStatus.OPEN),
                distinct=True,
            ),
        )
        .order_by("-date", "-start_time", "-pk")
    )
    today = timezone.localdate()
    upcoming = [m for m in meetings if m.date >= today and m.status == MeetingStatus.PLANNED]
    upcoming.reverse()
    others = [m for m in meetings if m not in upcoming]
    return render(
        request,
        "meetings/meeting_list.html",
        {"project": project, "upcoming": upcoming, "others": others},
    )


@require_http_methods(["GET", "POST"])
def meeting_create(request, project_pk):
    project = get_project_for_user(request.user, project_pk, write=True)
    form = MeetingForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        meeting = services.create_meeting(
            project=project,
            user=request.user,
            data=form.meeting_data(),
            copy_from=form.cleaned_data.get("copy_from"),
        )
        messages.success(request, _("The meeting has been planned."))
        return redirect(meeting.get_absolute_url())
    return render(request, "meetings/meeting_form.html", {"project": project, "form": form})


ATTENDEE_COLUMNS = (
    "meeting_id",
    "attendance",
    "invited_at",
    "person__name",
    "person__email",
    "person__organisation__name",
    "user__first_name",
    "user__last_name",
    "user__username",
    "user__email",
)


def _detail_context(request, project, meeting):
    meeting = (
        Meeting.objects.filter(pk=meeting.pk)
        .prefetch_related(
            "agenda_items",
            # Only what the page shows: a large meeting has a hundred invitees.
            Prefetch(
                "attendees",
                queryset=Attendee.objects.select_related("person__organisation", "user").only(
                    *ATTENDEE_COLUMNS
                ),
            ),
            Prefetch(
                "agreements",
                queryset=Agreement.objects.prefetch_related(
                    Prefetch(
                        "participations",
                        queryset=Participation.objects.select_related("organisation").only(
                            "organisation__name"
                        ),
                    )
                ),
            ),
            Prefetch(
                "action_items",
                queryset=ActionItem.objects.select_related("owner_person", "owner_user"),
            ),
        )
        .get()
    )
    meeting.project = project
    attendees = list(meeting.attendees.all())
    for attendee in attendees:
        attendee.meeting = meeting
    return {
        "project": project,
        "meeting": meeting,
        "agenda": services.timed_agenda(meeting),
        "agenda_overrun": services.agenda_overrun(meeting),
        "attendees": attendees,
        "not_invited": [a for a in attendees if not a.invited_at and a.email],
        "without_email": [a for a in attendees if not a.email],
        "today": timezone.localdate(),
    }


def meeting_detail(request, project_pk, pk):
    project, meeting = get_meeting_for_user(request.user, project_pk, pk)

    detail = _detail_context(request, project, meeting)
    if project.user_can_write:
        detail["agenda_form"] = AgendaItemAddForm(prefix="agenda")
    return render(
        request,
        "meetings/meeting_detail.html",
        {"project": project, "meeting": meeting, "detail": detail},
    )


@require_http_methods(["GET", "POST"])
def meeting_edit(request, project_pk, pk):
    project, meeting = get_meeting_for_user(request.user, project_pk, pk, write=True)
    form = MeetingForm(request.POST or None, instance=meeting, project=project)
    if request.method == "POST":
        with locked(meeting):
            if form.is_valid():
                sent = services.update_meeting(
                    meeting=form.instance, changed_fields=form.changed_data
                )
                if sent:
                    messages.success(
                        request,
                        _("The meeting has been saved; %(count)s invitees receive the change.")
                        % {"count": sent},
                    )
                else:
                    messages.success(request, _("The meeting has been saved."))
                return redirect(meeting.get_absolute_url())
    return render(
        request,
        "meetings/meeting_form.html",
        {"project": project, "meeting": meeting, "form": form},
    )


@require_http_methods(["GET", "POST"])
def meeting_cancel(request, project_pk, pk):
    """A GET asks first (who will hear of it); the POST cancels and sends the cancellations."""
    project, meeting = get_meeting_for_user(request.user, project_pk, pk, write=True)
    if meeting.status != MeetingStatus.PLANNED:
        messages.error(request, _("Only a planned meeting can be cancelled."))
        return _back(meeting)
    if request.method == "GET":
        recipients = len(services.cancellation_recipients(meeting))
        return render(
            request,
            "kvu/confirm.html",
            {
                "project": project,
                "heading": _("Cancel this meeting?"),
                "what": "",
                "lines": [
                    (_("Meeting"), meeting.title),
                    (_("Date"), date_format(meeting.date, "l j F Y")),
                    (
                        _("Time"),
                        meeting.time_span,
                    ),
                ],
                "warning": ngettext(
                    "%(count)s invitee receives an e-mail that the meeting is cancelled, with a "
                    "calendar file that removes it from their calendar. This cannot be undone.",
                    "%(count)s invitees receive an e-mail that the meeting is cancelled, with a "
                    "calendar file that removes it from their calendar. This cannot be undone.",
                    recipients,
                )
                % {"count": recipients},
                "submit": _("Cancel meeting and notify invitees"),
                "back": meeting.get_absolute_url(),
            },
        )
    sent = services.cancel_meeting(meeting=meeting)
    messages.success(
        request,
        _("The meeting has been cancelled; %(count)s invitees receive a cancellation.")
        % {"count": sent},
    )
    return _back(meeting)


# --- agenda ---


@require_POST
def agenda_add(request, project_pk, pk):
    _project, meeting = get_meeting_for_user(request.user, project_pk, pk, write=True)
    form = AgendaItemAddForm(request.POST, prefix="agenda")
    if form.is_valid():
        services.add_agenda_item(meeting=meeting, **form.cleaned_data)
        messages.success(request, _("The agenda item has been added."))
    else:
        refuse(request, form)
    return _back(meeting, "agenda")


@require_POST
def agenda_move(request, project_pk, meeting_pk, pk):
    _project, meeting, item = get_agenda_item_for_user(
        request.user, project_pk, meeting_pk, pk, write=True
    )
    if not services.move_agenda_item(item=item, direction=request.POST.get("direction", "")):
        messages.error(request, _("This agenda item cannot move further."))
    return _back(meeting, "agenda")


@require_POST
def agenda_delete(request, project_pk, meeting_pk, pk):
    _project, meeting, item = get_agenda_item_for_user(
        request.user, project_pk, meeting_pk, pk, write=True
    )
    item.delete()
    messages.success(request, _("The agenda item has been removed."))
    return _back(meeting, "agenda")


@require_http_methods(["GET", "POST"])
def agenda_item_edit(request, project_pk, meeting_pk, pk):
    project, meeting, item = get_agenda_item_for_user(
        request.user, project_pk, meeting_pk, pk, write=True
    )
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and save_locked(form):
        messages.success(request, _("The agenda item has been saved."))
        return _back(meeting, "agenda")
    return render(
        request,
        "meetings/agenda_item_form.html",
        {"project": project, "meeting": meeting, "item": item, "form": form},
    )


# --- invitees and attendance ---


@require_http_methods(["GET", "POST"])
def invite(request, project_pk, pk):
    """Its own page: the checklist of every contact person is long in a large project."""
    project, meeting = get_meeting_for_user(request.user, project_pk, pk, write=True)
    form = InviteForm(request.POST or None, meeting=meeting, prefix="invite")
    if request.method == "POST":
        if form.is_valid():
            try:
                added = services.invite(
                    meeting=meeting,
                    persons=form.cleaned_data["persons"],
                    users=form.cleaned_data["users"],
                )
            except services.MeetingError:
                messages.error(request, _("Nothing has been saved: someone was already invited."))
            else:
                messages.success(request, _("%(count)s invitees added.") % {"count": len(added)})
                return _back(meeting, "invitees")
        else:
            refuse(request, form)
    return _subform_page(
        request, project, meeting, form, _("Invite"), _("Add invitees"), anchor="invitees"
    )


@require_POST
def uninvite(request, project_pk, pk):
    """One form around the invitee table: the button pressed names the invitee (`attendee`)."""
    _project, meeting = get_meeting_for_user(request.user, project_pk, pk, write=True)
    chosen = request.POST.get("attendee", "")
    attendee = (
        meeting.attendees.select_related("person", "user").filter(pk=int(chosen)).first()
        if chosen.isascii() and chosen.isdigit() and len(chosen) < 19
        else None
    )
    if attendee is None:
        messages.error(request, _("Nothing has been changed: choose an invitee from the list."))
        return _back(meeting, "invitees")
    attendee.meeting = meeting
    services.uninvite(attendee=attendee)
    messages.success(request, _("%(name)s is no longer invited.") % {"name": attendee.name})
    return _back(meeting, "invitees")


@require_POST
def invitations_send(request, project_pk, pk):
    _project, meeting = get_meeting_for_user(request.user, project_pk, pk, write=True)
    try:
        sending = services.send_invitations(meeting=meeting)
    except services.MeetingError:
        messages.error(request, _("Invitations can only be sent for a planned meeting."))
        return _back(meeting, "invitees")
    if sending.failed:
        messages.error(
            request,
            _(
                "Invitations sent: %(sent)s. Failed: %(failed)s; those invitees remain marked as "
                "not yet sent, and sending the invitations again retries them."
            )
            % {"sent": sending.sent, "failed": sending.failed},
        )
    elif sending.queued:
        count = sending.queued + sending.sent
        messages.success(
            request,
            ngettext(
                "%(count)s invitation is being sent; the list of invitees shows when it has gone.",
                "%(count)s invitations are being sent; the list of invitees shows who has had one.",
                count,
            )
            % {"count": count},
        )
    elif sending.sent:
        messages.success(
            request, _("%(count)s invitations have been sent.") % {"count": sending.sent}
        )
    else:
        messages.info(request, _("Everyone with an e-mail address has already been invited."))
    return _back(meeting, "invitees")


@require_http_methods(["GET", "POST"])
def attendance(request, project_pk, pk):
    """Its own page: a meeting with many invitees gives a long form."""
    project, meeting = get_meeting_for_user(request.user, project_pk, pk, write=True)
    if meeting.date > timezone.localdate():
        messages.error(
            request, _("Attendance can be recorded from the day of the meeting; nothing was saved.")
        )
        return _back(meeting, "invitees")
    attendees = list(meeting.attendees.select_related("person__organisation", "user"))
    if not attendees:
        messages.info(request, _("Nobody has been invited yet."))
        return _back(meeting, "invitees")
    form = AttendanceForm(request.POST or None, attendees=attendees, prefix="attendance")
    if request.method == "POST":
        if form.is_valid():
            services.record_attendance(meeting=meeting, values=form.values())
            messages.success(request, _("The attendance has been saved."))
            return _back(meeting, "invitees")
        refuse(request, form)
    return _subform_page(
        request,
        project,
        meeting,
        form,
        _("Record attendance"),
        _("Save attendance"),
        anchor="invitees",
    )


# --- agreements and action items ---


@require_http_methods(["GET", "POST"])
def agreement_add(request, project_pk, pk):
    """Its own page: the checklist of every partner is long in a large project."""
    project, meeting = get_meeting_for_user(request.user, project_pk, pk, write=True)
    form = AgreementForm(request.POST or None, meeting=meeting, prefix="agreement")
    if request.method == "POST":
        if form.is_valid():
            services.record_agreement(meeting=meeting, user=request.user, **form.cleaned_data)
            messages.success(request, _("The agreement has been recorded."))
            return _back(meeting, "agreements")
        refuse(request, form)
    return _subform_page(
        request,
        project,
        meeting,
        form,
        _("Record an agreement"),
        _("Record agreement"),
        anchor="agreements",
    )


@require_http_methods(["GET", "POST"])
def action_add(request, project_pk, pk):
    """Its own page: the list of possible owners is long in a large project."""
    project, meeting = get_meeting_for_user(request.user, project_pk, pk, write=True)
    form = ActionItemForm(request.POST or None, meeting=meeting, prefix="action")
    if request.method == "POST":
        if form.is_valid():
            services.add_action_item(
                meeting=meeting,
                description=form.cleaned_data["description"],
                due_date=form.cleaned_data["due_date"],
                owner_person=form.instance.owner_person,
                owner_user=form.instance.owner_user,
            )
            messages.success(request, _("The action item has been added."))
            return _back(meeting, "actions")
        refuse(request, form)
    return _subform_page(
        request,
        project,
        meeting,
        form,
        _("Add an action item"),
        _("Add action item"),
        anchor="actions",
    )


@require_POST
def action_status(request, project_pk, meeting_pk, pk):
    _project, meeting, action = get_action_item_for_user(
        request.user, project_pk, meeting_pk, pk, write=True
    )
    status = request.POST.get("status", "")
    if status not in ActionItemStatus.values:
        messages.error(request, _("Nothing has been saved: unknown status."))
    else:
        action.status = status
        action.save(update_fields=["status", "updated_at"])
        messages.success(request, _("The action item has been updated."))
    return _back(meeting, "actions")


def _action_lines(meeting, action) -> list[tuple[str, str]]:
    return [
        (_("Meeting"), str(meeting)),
        (_("Action"), action.description),
        (_("Who"), action.owner_name),
        (_("Due"), date_format(action.due_date, "j F Y")),
    ]


@require_http_methods(["GET", "POST"])
def action_edit(request, project_pk, meeting_pk, pk):
    project, meeting, action = get_action_item_for_user(
        request.user, project_pk, meeting_pk, pk, write=True
    )
    back = safe_next(request, meeting.get_absolute_url() + "#actions")
    form = ActionItemEditForm(request.POST or None, instance=action, meeting=meeting)
    if request.method == "POST":
        if save_locked(form):
            services.action_item_corrected(action_item=form.instance, changed=form.changed_data)
            messages.success(request, _("The action item has been saved."))
            return redirect(back)
        refuse(request, form)
    return render(
        request,
        "kvu/record_form.html",
        {
            "project": project,
            "form": form,
            "heading": _("Edit action item"),
            "back": back,
            "what": str(meeting),
        },
    )


@require_http_methods(["GET", "POST"])
def action_delete(request, project_pk, meeting_pk, pk):
    project, meeting, action = get_action_item_for_user(
        request.user, project_pk, meeting_pk, pk, write=True
    )
    back = safe_next(request, meeting.get_absolute_url() + "#actions")
    if request.method == "POST":
        services.delete_action_item(action_item=action)
        messages.success(request, _("The action item has been deleted."))
        return redirect(back)
    return render(
        request,
        "kvu/confirm.html",
        {
            "project": project,
            "heading": _("Delete this action item?"),
            "what": "",
            "lines": _action_lines(meeting, action),
            "warning": _(
                "The action item disappears from the meeting and from the lists of open action "
                "items. The change log keeps what it said."
            ),
            "submit": _("Delete action item"),
            "back": back,
        },
    )


# --- exports ---


def _filename(meeting, extension):
    return f"{slugify(meeting.title)[:60] or 'overleg'}-{meeting.date:%Y-%m-%d}.{extension}"


@require_GET
def meeting_ics_download(request, project_pk, pk):
    project, meeting = get_meeting_for_user(request.user, project_pk, pk)
    meeting = Meeting.objects.prefetch_related("agenda_items").get(pk=meeting.pk)
    meeting.project = project
    body = meeting_ics(meeting, agenda=services.timed_agenda(meeting))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(meeting, "ics")}"'
    return response


@require_GET
def meeting_pdf(request, project_pk, pk):
    project, meeting = get_meeting_for_user(request.user, project_pk, pk)
    if meeting.status != MeetingStatus.HELD:
        messages.error(request, _("A report can only be made of a meeting that has been held."))
        return _back(meeting)
    context = _detail_context(request, project, meeting)
    groups = {}
    for attendee in context["attendees"]:
        groups.setdefault(attendee.organisation_name, []).append(attendee)
    context["attendance_groups"] = sorted(groups.items())
    pdf = render_pdf("pdf/meeting_report.html", context, request=request)
    return pdf_response(pdf, _filename(context["meeting"], "pdf"))


# --- calendar feed ---


@require_GET
def feed_settings(request, project_pk):
    project = get_project_for_user(request.user, project_pk)
    feed = CalendarFeed.objects.filter(project=project).first()
    return render(request, "meetings/feed.html", {"project": project, "feed": feed})


@require_POST
def feed_regenerate(request, project_pk):
    project = get_project_for_user(request.user, project_pk, write=True)
    secret = services.regenerate_feed(project=project, user=request.user)
    feed = CalendarFeed.objects.get(project=project)
    # Shown once, in this response only: the secret is not stored, so no redirect.
    url = request.build_absolute_uri(reverse("meeting_feed", args=[secret]))
    return render(
        request, "meetings/feed.html", {"project": project, "feed": feed, "feed_url": url}
    )


@require_POST
def feed_revoke(request, project_pk):
    project = get_project_for_user(request.user, project_pk, write=True)
    services.revoke_feed(project=project)
    messages.success(request, _("The calendar feed has been revoked; its address no longer works."))
    return redirect("meeting_feed_settings", project_pk=project.pk)


@login_not_required
@require_GET
def feed(request, secret):
    """The public subscription URL: a 404 for any unknown secret, whoever asks."""
    calendar_feed = services.feed_for_secret(secret)
    if calendar_feed is None:
        raise Http404
    project = calendar_feed.project
    CalendarFeed.objects.filter(pk=calendar_feed.pk).update(last_used_at=timezone.now())
    meetings = list(
        Meeting.objects.filter(project=project)
        .order_by("date", "start_time")
        .prefetch_related("agenda_items")
    )
    for meeting in meetings:
        meeting.project = project
    agendas = [(meeting, services.timed_agenda(meeting)) for meeting in meetings]
    response = HttpResponse(feed_ics(project, agendas), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
