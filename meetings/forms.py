"""Forms of the meetings app; every choice of a person, user or partner is a restricted queryset."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvu.concurrency import VersionedFormMixin
from kvu.fields import IdModelMultipleChoiceField
from meetings import services
from meetings.agenda_templates import DEFAULT_TITLES
from meetings.models import ActionItem, AgendaItem, Attendance, Meeting, MeetingStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MeetingForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "date",
            "start_time",
            "end_time",
            "location",
            "online_url",
            "status",
            "notes",
        ]
        widgets = {
            "date": DATE,
            "start_time": TIME,
            "end_time": TIME,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Leave empty for a title that fits the kind.")
        # Cancelling sends cancellations, so it has its own button; here only planned/held.
        self.fields["status"].choices = [
            c for c in MeetingStatus.choices if c[0] != MeetingStatus.CANCELLED
        ]
        if self.instance.pk is None:
            del self.fields["status"]
            self.fields["copy_from"] = forms.ModelChoiceField(
                label=_("Start from"),
                queryset=Meeting.objects.filter(project=project).order_by("-date", "-pk"),
                required=False,
                empty_label=_("the agenda template for this kind of meeting"),
                help_text=_("Or copy the agenda and invitees of an earlier meeting."),
            )
            self.fields["copy_from"].label_from_instance = str
        elif self.instance.is_cancelled:
            del self.fields["status"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end == start:
            self.add_error("end_time", _("The end time must differ from the start time."))
        date = data.get("date")
        if data.get("status") == MeetingStatus.HELD and date and date > timezone.localdate():
            # A held meeting counts in the phase guide and the status report.
            self.add_error(
                "status", _("A meeting can only be marked as held from the day it takes place.")
            )
        if not data.get("title") and data.get("kind"):
            data["title"] = str(DEFAULT_TITLES[data["kind"]])
        if not data.get("location") and not data.get("online_url"):
            self.add_error("location", _("Enter a location or an online meeting link."))
        return data

    def meeting_data(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in self.fields
            if name not in ("copy_from", "status")
        }


class AgendaItemAddForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "duration_minutes"]


class AgendaItemForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "duration_minutes", "description", "minutes"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }


class _Checkboxes(forms.CheckboxSelectMultiple):
    """Checkboxes that show who is already invited as ticked and disabled."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.invited = set()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if getattr(value, "value", value) in self.invited:
            option["attrs"].update(disabled=True, checked=True)
            option["label"] = _("%(name)s (invited)") % {"name": label}
        return option


class InviteForm(forms.Form):
    persons = IdModelMultipleChoiceField(
        label=_("Contact persons of the partners"),
        queryset=None,
        required=False,
        widget=_Checkboxes,
    )
    users = IdModelMultipleChoiceField(
        label=_("Colleagues of the municipality"),
        queryset=None,
        required=False,
        widget=_Checkboxes,
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["persons"].queryset = services.invitable_persons(meeting.project)
        self.fields["persons"].label_from_instance = lambda p: (
            f"{p.name} – {p.organisation.name}" + (f" ({p.function})" if p.function else "")
        )
        self.fields["users"].queryset = services.municipal_users(meeting.project)
        self.fields["users"].label_from_instance = lambda u: u.get_full_name() or u.username
        invited = list(meeting.attendees.all())
        self.fields["persons"].widget.invited = {a.person_id for a in invited if a.person_id}
        self.fields["users"].widget.invited = {a.user_id for a in invited if a.user_id}

    def clean(self):
        data = super().clean()
        persons, users = data.get("persons") or [], data.get("users") or []
        if not persons and not users and not self.errors:
            raise forms.ValidationError(_("Choose at least one person to invite."))
        invited = list(self.meeting.attendees.all())
        person_ids = {a.person_id for a in invited if a.person_id}
        user_ids = {a.user_id for a in invited if a.user_id}
        doubles = [p.name for p in persons if p.pk in person_ids] + [
            u.get_full_name() or u.username for u in users if u.pk in user_ids
        ]
        if doubles:
            raise forms.ValidationError(
                _("Already invited: %(names)s.") % {"names": ", ".join(doubles)}
            )
        return data


class AttendanceForm(forms.Form):
    """One choice per invitee: present, absent or excused."""

    def __init__(self, *args, attendees, **kwargs):
        super().__init__(*args, **kwargs)
        for attendee in attendees:
            self.fields[f"a{attendee.pk}"] = forms.ChoiceField(
                label=f"{attendee.name} ({attendee.organisation_name})",
                choices=Attendance.choices,
                required=False,
                initial=attendee.attendance,
            )

    def values(self) -> dict[int, str]:
        """Only the invitees in the POST: a missing field must not wipe recorded attendance."""
        return {
            int(name[1:]): value
            for name, value in self.cleaned_data.items()
            if self.add_prefix(name) in self.data
        }


class AgreementForm(forms.Form):
    text = forms.CharField(label=_("Agreement"), widget=forms.Textarea(attrs={"rows": 3}))
    participations = IdModelMultipleChoiceField(
        label=_("With which partners"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The agreement shows on the page of each partner you tick."),
    )
    about_double_role = forms.BooleanField(
        label=_("About the municipality's double role (enforcer and partner)"), required=False
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participations"].queryset = services.project_participations(meeting.project)
        self.fields["participations"].label_from_instance = lambda p: p.organisation.name


class ActionItemForm(forms.ModelForm):
    owner = forms.ChoiceField(
        label=_("Who"),
        help_text=_("An invitee of this meeting or a colleague of the municipality."),
    )

    class Meta:
        model = ActionItem
        fields = ["description", "owner", "due_date"]
        widgets = {"due_date": DATE}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        project = meeting.project
        # The meeting's invitees, not every contact person of the project (hundreds of them in
        # a large project made a select nobody could use); colleagues can always be chosen.
        invitees = services.invitable_persons(project).filter(meeting_attendances__meeting=meeting)
        self.persons = {p.pk: p for p in invitees}
        self.users = {u.pk: u for u in services.municipal_users(project)}
        self._set_owner_choices()

    def _set_owner_choices(self):
        self.fields["owner"].choices = [
            ("", "---------"),
            (
                _("Municipality"),
                [(f"user:{u.pk}", u.get_full_name() or u.username) for u in self.users.values()],
            ),
            (
                _("Partners"),
                [
                    (f"person:{p.pk}", f"{p.name} – {p.organisation.name}")
                    for p in self.persons.values()
                ],
            ),
        ]

    def clean_owner(self):
        kind, _sep, pk = self.cleaned_data["owner"].partition(":")
        pool = {"person": self.persons, "user": self.users}.get(kind, {})
        try:
            owner = pool[int(pk)]
        except (KeyError, ValueError):
            raise forms.ValidationError(_("Choose an owner from the list.")) from None
        self.instance.owner_person = owner if kind == "person" else None
        self.instance.owner_user = owner if kind == "user" else None
        return self.cleaned_data["owner"]


def _owner_key(action) -> str:
    """The owner of an action item as the owner field names it: "user:3" or "person:7"."""
    if action.owner_user_id:
        return f"user:{action.owner_user_id}"
    if action.owner_person_id:
        return f"person:{action.owner_person_id}"
    return ""


class ActionItemEditForm(VersionedFormMixin, ActionItemForm):
    """An action item's text, owner and due date, corrected; its status has its own buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        action = self.instance
        # The current owner stays a choice, also when no longer invited or no longer a member:
        # correcting the text must not force a new owner.
        if action.owner_person_id and action.owner_person_id not in self.persons:
            self.persons[action.owner_person_id] = action.owner_person
        if action.owner_user_id and action.owner_user_id not in self.users:
            self.users[action.owner_user_id] = action.owner_user
        self._set_owner_choices()
        self.initial["owner"] = _owner_key(action)

    def _owner_label(self, key) -> str | None:
        for _group, options in self.fields["owner"].choices[1:]:
            for value, label in options:
                if value == key:
                    return label
        return None

    def _refuse_stale(self, stored, opened, current):
        refused_choice = list(self.errors.get("owner", []))  # e.g. an owner no longer offered
        super()._refuse_stale(stored, opened, current)
        # The owner is two columns, not one model field: the mixin cannot compare it, so here.
        self.errors.pop("owner", None)
        for error in refused_choice:
            self.add_error("owner", error)
        saved, yours = _owner_key(stored), self.data.get(self.add_prefix("owner"), "")
        saved_label, your_label = self._owner_label(saved), self._owner_label(yours)
        if saved != yours and saved_label and your_label:
            self.add_error(
                "owner",
                _("Saved: %(saved)s — your input: %(yours)s")
                % {"saved": saved_label, "yours": your_label},
            )
