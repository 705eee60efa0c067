"""Views of the area profile: the area page with its streets and establishments, key figures."""

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from analysis.access import get_analysis_for_user, get_figure_for_user, get_street_for_user
from analysis.models import AreaProfile, Establishment
from analysis.profile import charts, selectors, services
from analysis.profile.forms import AreaProfileForm, EstablishmentForm, KeyFigureForm, StreetForm
from kvu.concurrency import locked


def _profile(analysis) -> AreaProfile:
    """The analysis' profile (start_analysis makes it); an empty one if it is missing."""
    return AreaProfile.objects.filter(analysis=analysis).first() or AreaProfile(analysis=analysis)


def _data(form) -> dict:
    return {name: value for name, value in form.cleaned_data.items() if name != "version"}


def _refused(request):
    messages.error(request, _("Nothing has been saved; correct the fields with a message."))


def _area_url(project, anchor=""):
    return reverse("area_profile", args=[project.pk]) + (f"#{anchor}" if anchor else "")


def _figures_url(project, anchor=""):
    return reverse("figures", args=[project.pk]) + (f"#{anchor}" if anchor else "")


def _form_page(request, project, form, *, heading, back, parent_label, intro="", delete_url=""):
    return render(
        request,
        "analysis/profile/form.html",
        {
            "project": project,
            "form": form,
            "heading": heading,
            "here": heading,
            "back": back,
            "parent_url": back.split("#")[0],
            "parent_label": parent_label,
            "intro": intro,
            "delete_url": delete_url,
        },
    )


# --- the area page ------------------------------------------------------------------------------


def area_profile(request, project_pk):
    project, analysis = get_analysis_for_user(request.user, project_pk)
    return render(
        request,
        "analysis/profile/area.html",
        {
            "project": project,
            "analysis": analysis,
            "profile": _profile(analysis),
            "streets": list(selectors.streets_with_counts(analysis)),
            "establishments": selectors.establishments_of(analysis, project),
            "street_form": StreetForm(analysis=analysis) if project.user_can_write else None,
            "here": _("Area profile"),
            "figures_url": reverse("figures", args=[project.pk]),
            "sources_url": reverse("sources", args=[project.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def profile_edit(request, project_pk):
    project, analysis = get_analysis_for_user(request.user, project_pk, write=True)
    profile = _profile(analysis)
    form = AreaProfileForm(request.POST or None, instance=profile)
    if request.method == "POST":
        with locked(profile):
            if form.is_valid():
                services.update_profile(profile=profile, **_data(form))
                messages.success(request, _("The description of the area has been saved."))
                return redirect(_area_url(project, "profile"))
        _refused(request)
    return _form_page(
        request,
        project,
        form,
        heading=_("Describe the area"),
        back=_area_url(project, "profile"),
        parent_label=_("Area profile"),
    )


# --- streets ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def street_add(request, project_pk):
    project, analysis = get_analysis_for_user(request.user, project_pk, write=True)
    form = StreetForm(request.POST or None, analysis=analysis)
    if request.method == "POST":
        if form.is_valid():
            try:
                street = services.add_street(analysis=analysis, name=form.cleaned_data["name"])
            except IntegrityError:  # added by someone else a moment ago
                form.add_error("name", _("This street is already on the list."))
            else:
                messages.success(request, _("“%(name)s” has been added.") % {"name": street})
                return redirect(_area_url(project, "streets"))
        _refused(request)
    return _form_page(
        request,
        project,
        form,
        heading=_("Add a street"),
        back=_area_url(project, "streets"),
        parent_label=_("Area profile"),
    )


@require_http_methods(["GET", "POST"])
def street_edit(request, project_pk, pk):
    project, analysis, street = get_street_for_user(request.user, project_pk, pk, write=True)
    form = StreetForm(request.POST or None, instance=street, analysis=analysis)
    if request.method == "POST":
        try:
            with locked(street):
                if form.is_valid():
                    services.rename_street(street=street, name=form.cleaned_data["name"])
                    messages.success(request, _("The street has been renamed."))
                    return redirect(_area_url(project, "streets"))
        except IntegrityError:
            form.add_error("name", _("This street is already on the list."))
        _refused(request)
    return _form_page(
        request,
        project,
        form,
        heading=_("Edit street"),
        back=_area_url(project, "streets"),
        parent_label=_("Area profile"),
        delete_url=reverse("street_delete", args=[project.pk, street.pk]),
    )


@require_http_methods(["GET", "POST"])
def street_delete(request, project_pk, pk):
    project, _analysis, street = get_street_for_user(request.user, project_pk, pk, write=True)
    back = _area_url(project, "streets")
    if request.method == "POST":
        name = street.name
        services.delete_street(street=street)
        messages.success(request, _("“%(name)s” has been deleted.") % {"name": name})
        return redirect(back)
    return render(
        request,
        "analysis/profile/street_delete.html",
        {
            "project": project,
            "street": street,
            "findings": street.findings.count(),
            "establishments": street.establishments.count(),
            "knelpunten": street.knelpunten.count(),
            "back": back,
            "here": _("Delete street"),
            "parent_url": back.split("#")[0],
            "parent_label": _("Area profile"),
        },
    )


# --- establishments -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def establishment_edit(request, project_pk, participation_pk):
    project, analysis = get_analysis_for_user(request.user, project_pk, write=True)
    participation = selectors.hospitality_partners(project).filter(pk=participation_pk).first()
    if participation is None:
        raise Http404
    existing = Establishment.objects.filter(analysis=analysis, participation=participation).first()
    form = EstablishmentForm(
        request.POST or None,
        instance=existing,
        analysis=analysis,
        participation=participation,
    )
    if request.method == "POST":
        with locked(form.instance):
            if form.is_valid():
                services.save_establishment(
                    analysis=analysis, participation=participation, **_data(form)
                )
                messages.success(
                    request,
                    _("“%(name)s” has been saved.") % {"name": participation.organisation.name},
                )
                return redirect(_area_url(project, "establishments"))
        _refused(request)
    return _form_page(
        request,
        project,
        form,
        heading=_("Establishment: %(name)s") % {"name": participation.organisation.name},
        back=_area_url(project, "establishments"),
        parent_label=_("Area profile"),
        intro=_(
            "What kind of business it is, when it is open and how many visitors it holds: the "
            "area profile counts the establishments from this."
        ),
    )


# --- key figures --------------------------------------------------------------------------------


def figures(request, project_pk):
    project, analysis = get_analysis_for_user(request.user, project_pk)
    series = selectors.figure_series(analysis)
    return render(
        request,
        "analysis/profile/figures.html",
        {
            "project": project,
            "analysis": analysis,
            "series": [(one, charts.column_chart(one.points)) for one in series],
            "here": _("Key figures"),
        },
    )


def _duplicate_year(form):
    form.add_error("year", _("This figure already has a value for this year."))


@require_http_methods(["GET", "POST"])
def figure_add(request, project_pk):
    project, analysis = get_analysis_for_user(request.user, project_pk, write=True)
    form = KeyFigureForm(request.POST or None, analysis=analysis, initial=request.GET or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                figure = services.add_figure(analysis=analysis, **_data(form))
            except IntegrityError:  # the same year, entered by someone else a moment ago
                _duplicate_year(form)
            else:
                messages.success(request, _("“%(figure)s” has been added.") % {"figure": figure})
                return redirect(_figures_url(project))
        _refused(request)
    return _form_page(
        request,
        project,
        form,
        heading=_("Add a key figure"),
        back=_figures_url(project),
        parent_label=_("Key figures"),
        intro=_("One value per figure and year, with where it comes from."),
    )


@require_http_methods(["GET", "POST"])
def figure_edit(request, project_pk, pk):
    project, analysis, figure = get_figure_for_user(request.user, project_pk, pk, write=True)
    form = KeyFigureForm(request.POST or None, instance=figure, analysis=analysis)
    if request.method == "POST":
        try:
            with locked(figure):
                if form.is_valid():
                    services.update_figure(figure=figure, **_data(form))
                    messages.success(request, _("The key figure has been saved."))
                    return redirect(_figures_url(project))
        except IntegrityError:
            _duplicate_year(form)
        _refused(request)
    return _form_page(
        request,
        project,
        form,
        heading=_("Edit key figure"),
        back=_figures_url(project),
        parent_label=_("Key figures"),
        delete_url=reverse("figure_delete", args=[project.pk, figure.pk]),
    )


@require_http_methods(["GET", "POST"])
def figure_delete(request, project_pk, pk):
    project, _analysis, figure = get_figure_for_user(request.user, project_pk, pk, write=True)
    back = _figures_url(project)
    if request.method == "POST":
        name = str(figure)
        services.delete_figure(figure=figure)
        messages.success(request, _("“%(figure)s” has been deleted.") % {"figure": name})
        return redirect(back)
    return render(
        request,
        "analysis/profile/figure_delete.html",
        {
            "project": project,
            "figure": figure,
            "cited": len(selectors.citing(figure)),
            "back": back,
            "here": _("Delete key figure"),
            "parent_url": back,
            "parent_label": _("Key figures"),
        },
    )
