"""Views of the user's own account pages: "my settings" (the overview e-mail)."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kvu.account_forms import UserSettingsForm
from kvu.concurrency import save_locked
from kvu.models import UserSettings


@require_http_methods(["GET", "POST"])
def my_settings(request):
    """Every logged-in user edits only their own settings; the row is made on the first save."""
    instance = UserSettings.objects.filter(user=request.user).first()
    form = UserSettingsForm(
        request.POST or None, instance=instance or UserSettings(user=request.user)
    )
    if request.method == "POST":
        try:
            with transaction.atomic():
                saved = save_locked(form)
        except IntegrityError:
            # The first save in two tabs at once: the other one made the row.
            messages.error(request, _("Your settings were saved elsewhere meanwhile; try again."))
            return redirect("my_settings")
        if saved:
            messages.success(request, _("Your settings have been saved."))
            return redirect("my_settings")
    return render(request, "kvu/my_settings.html", {"form": form})
