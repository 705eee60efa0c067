"""Forms of the signed-document engine: drafting, inviting, signing, declining, leaving and
verifying."""

import re
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvu.fields import IdModelMultipleChoiceField, date_bounds
from partners.models import Decision, Declaration, InvitationStatus, Participation, Person

TERM_YEARS = 4  # a covenant's usual term (KVU-DOMAIN.md)


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DeclarationForm(forms.ModelForm):
    """The text of a document to sign, with the parts of its kind (partners/declaration/kinds)
    and, for a kind with a term, its first and last day."""

    # The version the form was opened on (services.edit_version): a save over a newer change is
    # refused. Not required: a client that sends none is not checked.
    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        spec = self.instance.kind_spec
        headings = dict(spec.sections)
        for name in list(self.fields):
            if name in ("opened", "title"):
                continue
            if name in ("valid_from", "valid_until"):
                if not spec.has_term:
                    del self.fields[name]
                continue
            if name not in headings:
                del self.fields[name]
                continue
            if spec.relabel_fields:
                self.fields[name].label = headings[name]
            self.fields[name].widget = forms.Textarea(attrs={"rows": 5})
            # Every part of the text but the closing words is needed.
            self.fields[name].required = name != "closing"
        if spec.has_term:
            for name in ("valid_from", "valid_until"):
                self.fields[name].required = True
                self.fields[name].validators.append(date_bounds)
            if not self.instance.valid_from and not self.is_bound:
                start = timezone.localdate()
                self.initial["valid_from"] = start
                self.initial["valid_until"] = _years_later(start, TERM_YEARS) - timedelta(days=1)
            self.fields["valid_until"].help_text = _(
                "A covenant usually runs four years; the leaders are reminded to renew it three "
                "months before its last day."
            )
        if self.instance.pk:
            from partners.declaration.services import edit_version

            self.fields["opened"].initial = edit_version(self.instance)

    class Meta:
        model = Declaration
        fields = [
            "title",
            "parties",
            "goal",
            "vision",
            "measures",
            "contributions",
            "membership",
            "duration",
            "sanctions",
            "closing",
            "valid_from",
            "valid_until",
        ]
        widgets = {"valid_from": _date_widget(), "valid_until": _date_widget()}

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end <= start:
            self.add_error("valid_until", _("The last day must come after the first day."))
        return data


def _years_later(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class DepartureForm(forms.Form):
    """A partner that leaves the document during its term."""

    participation = forms.ModelChoiceField(
        label=_("Partner"), queryset=Participation.objects.none(), empty_label=None
    )
    left_on = forms.DateField(label=_("Left on"), widget=_date_widget(), validators=[date_bounds])
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("For example: the business closed, or it no longer keeps to the agreements."),
    )

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, **kwargs)
        # Only partners that signed this version and have not left yet are a choice.
        self.fields["participation"].queryset = (
            Participation.objects.filter(
                project_id=document.project_id,
                signatures__declaration=document,
                signatures__decision=Decision.SIGNED,
            )
            .exclude(departures__document=document)
            .select_related("organisation")
            .order_by("organisation__name")
            .distinct()
        )
        self.fields["participation"].label_from_instance = lambda p: p.organisation.name
        self.initial.setdefault("left_on", timezone.localdate())


class PersonChoiceField(IdModelMultipleChoiceField):
    def label_from_instance(self, person):
        function = f", {person.function}" if person.function else ""
        return f"{person.organisation.name}: {person.name}{function} <{person.email}>"


class InviteForm(forms.Form):
    """Choose the signatories; each one signs for the organisation they work for."""

    persons = PersonChoiceField(
        label=_("Signatories"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "One person per partner. Only contact persons with an e-mail address are listed; "
            "partners that already answered this version are left out."
        ),
    )

    def __init__(self, *args, declaration, **kwargs):
        super().__init__(*args, **kwargs)
        answered = declaration.invitations.filter(
            status__in=[InvitationStatus.SIGNED, InvitationStatus.DECLINED]
        ).values("participation__organisation_id")
        # Restricted to this project's partners: an id from elsewhere is simply not a choice.
        self.fields["persons"].queryset = (
            Person.objects.filter(organisation__participations__project=declaration.project_id)
            .exclude(email="")
            .exclude(organisation_id__in=answered)
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )

    def clean_persons(self):
        persons = self.cleaned_data["persons"]
        organisations = [person.organisation_id for person in persons]
        if len(organisations) != len(set(organisations)):
            raise forms.ValidationError(_("Choose one signatory per partner."))
        # One address signs once per version (the service checks the invitations already sent).
        addresses = [person.email.strip().lower() for person in persons]
        doubles = sorted({address for address in addresses if addresses.count(address) > 1})
        if doubles:
            raise forms.ValidationError(
                _("%(emails)s is chosen more than once: one address can sign only once.")
                % {"emails": ", ".join(doubles)}
            )
        return persons


HASH_RE = re.compile(r"^[0-9a-f]{64}$")


class SignForm(forms.Form):
    signer_name = forms.CharField(label=_("Your full name"), max_length=150)
    signer_function = forms.CharField(label=_("Your function"), max_length=150)
    consent = forms.BooleanField(label="", required=True)
    text_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, organisation_name, kind=None, joining=False, **kwargs):
        super().__init__(*args, **kwargs)
        if joining:
            label = _("I join %(document)s on behalf of %(organisation)s and sign it.")
        else:
            label = _("I sign %(document)s on behalf of %(organisation)s.")
        self.fields["consent"].label = label % {
            "organisation": organisation_name,
            "document": kind.the_name if kind else _("the declaration of intent"),
        }
        self.fields["consent"].error_messages["required"] = _(
            "Tick the box to confirm that you sign on behalf of your organisation."
        )


class DeclineForm(forms.Form):
    signer_name = forms.CharField(label=_("Your full name"), max_length=150)
    decline_reason = forms.CharField(
        label=_("Why does your organisation decline?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    text_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)


CODE_RE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$")


def normalise_code(value: str) -> str:
    raw = re.sub(r"[^A-Za-z0-9]", "", value or "").upper()
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:12]}" if len(raw) == 12 else ""


class VerificationCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        help_text=_("Printed on the evidence page of the PDF, e.g. ABCD-EFGH-JKMN."),
    )

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("A verification code has twelve letters and digits."))
        return code


class VerificationCheckForm(forms.Form):
    pdf = forms.FileField(label=_("PDF file"), required=False)
    sha256 = forms.CharField(
        label=_("or a SHA-256 fingerprint"),
        max_length=100,
        required=False,
        help_text=_("Of the PDF file or of the document's text: 64 hexadecimal characters."),
    )

    MAX_SIZE = 20 * 1024 * 1024

    def clean_sha256(self):
        value = self.cleaned_data["sha256"].strip().lower()
        if value and not HASH_RE.match(value):
            raise forms.ValidationError(_("A SHA-256 fingerprint has 64 hexadecimal characters."))
        return value

    def clean(self):
        data = super().clean()
        pdf = data.get("pdf")
        if pdf and pdf.size > self.MAX_SIZE:
            self.add_error("pdf", _("The file is too large (at most 20 MB)."))
        if not pdf and not data.get("sha256") and not self.errors:
            raise forms.ValidationError(_("Choose a PDF file or paste a fingerprint."))
        return data
