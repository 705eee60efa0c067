"""Forms of the core app: creating and editing a project, and the password reset request."""

import logging

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from kvu import guide
from kvu.access import writable_municipalities
from kvu.concurrency import VersionedFormMixin
from kvu.mail import automatic_message, render_subject, render_text
from kvu.models import CcvStep, Membership, Project

logger = logging.getLogger("kvu.security")


class ProjectForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "municipality",
            "name",
            "nightlife_area",
            "description",
            "ccv_step",
            "start_date",
            "project_leader",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Moving past a step with a guide goes through its phase gate (kvu.guide_services), so
        # the project cannot be moved beyond the next gate here.
        current = self.instance.ccv_step if self.instance.pk else CcvStep.INITIATIVE
        gate = next((n for n in guide.guided_steps() if n >= current and guide.has_gate(n)), None)
        if gate is not None:
            self.fields["ccv_step"].choices = [
                (value, label) for value, label in CcvStep.choices if value <= gate
            ]
            self.fields["ccv_step"].help_text = _(
                "The next step is reached through the phase gate of the guide."
            )
        if self.instance.pk:
            # A project never moves to another municipality; the field stays (disabled) so that
            # the unique name per municipality is still validated.
            self.fields["municipality"].disabled = True
            self.fields["municipality"].queryset = self.fields["municipality"].queryset.filter(
                pk=self.instance.municipality_id
            )
            municipalities = [self.instance.municipality_id]
        else:
            self.fields["municipality"].queryset = writable_municipalities(user)
            municipalities = list(self.fields["municipality"].queryset.values_list("pk", flat=True))
            if len(municipalities) == 1:
                self.fields["municipality"].initial = municipalities[0]
        self.fields["project_leader"].queryset = (
            get_user_model()
            .objects.filter(
                is_active=True,
                memberships__municipality__in=municipalities,
                memberships__role__in=Membership.WRITE_ROLES,
            )
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        if (
            not self.instance.pk
            and self.fields["project_leader"].queryset.filter(pk=user.pk).exists()
        ):
            self.fields["project_leader"].initial = user.pk
        self.fields["project_leader"].label_from_instance = lambda u: (
            u.get_full_name() or u.username
        )

    def clean(self):
        cleaned = super().clean()
        municipality = cleaned.get("municipality")
        leader = cleaned.get("project_leader")
        if (
            municipality
            and leader
            and not leader.is_staff
            and not Membership.objects.filter(
                user=leader, municipality=municipality, role__in=Membership.WRITE_ROLES
            ).exists()
        ):
            self.add_error(
                "project_leader",
                _("The project leader must be a leader or editor of this municipality."),
            )
        return cleaned


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, sending its e-mail as every automatic message of ours (kvu/mail.py):
    unescaped text, the Auto-Submitted header."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        message = automatic_message(
            subject=render_subject(subject_template_name, context),
            body=render_text(email_template_name, context),
            to=[to_email],
            from_email=from_email,
        )
        if html_email_template_name is not None:
            message.attach_alternative(
                render_to_string(html_email_template_name, context), "text/html"
            )
        try:
            message.send()
        except Exception:
            # As Django's own form: the page says the same whether or not the mail went out.
            logger.exception("Failed to send password reset email to %s", context["user"].pk)
