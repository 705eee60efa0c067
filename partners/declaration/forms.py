"""Forms of the intentieverklaring: drafting, inviting, signing, declining and verifying."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from kvu.fields import IdModelMultipleChoiceField
from partners.models import Declaration, InvitationStatus, Person


class DeclarationForm(forms.ModelForm):
    # The version the form was opened on (services.edit_version): a save over a newer change is
    # refused. Not required: a client that sends none is not checked.
    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            from partners.declaration.services import edit_version

            self.fields["opened"].initial = edit_version(self.instance)

    class Meta:
        model = Declaration
        fields = Declaration.TEXT_FIELDS
        widgets = {
            field: forms.Textarea(attrs={"rows": 5})
            for field in Declaration.TEXT_FIELDS
            if field != "title"
        }


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

    def __init__(self, *args, organisation_name, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = _(
            "I sign this declaration of intent on behalf of %(organisation)s."
        ) % {"organisation": organisation_name}
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
        help_text=_("Of the PDF file or of the declaration's text: 64 hexadecimal characters."),
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
