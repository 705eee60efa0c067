"""URLs of the analysis' profile subdomain; included from analysis/urls.py."""

from django.urls import path

from analysis.profile import views

P = "projecten/<int:project_pk>/analyse/"

urlpatterns = [
    path(P + "gebied/", views.area_profile, name="area_profile"),
    path(P + "gebied/bewerken/", views.profile_edit, name="profile_edit"),
    path(P + "gebied/straten/nieuw/", views.street_add, name="street_add"),
    path(P + "gebied/straten/<int:pk>/", views.street_edit, name="street_edit"),
    path(P + "gebied/straten/<int:pk>/verwijderen/", views.street_delete, name="street_delete"),
    path(
        P + "gebied/horeca/<int:participation_pk>/",
        views.establishment_edit,
        name="establishment_edit",
    ),
    path(P + "cijfers/", views.figures, name="figures"),
    path(P + "cijfers/nieuw/", views.figure_add, name="figure_add"),
    path(P + "cijfers/<int:pk>/", views.figure_edit, name="figure_edit"),
    path(P + "cijfers/<int:pk>/verwijderen/", views.figure_delete, name="figure_delete"),
]
