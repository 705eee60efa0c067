"""URLs of the analysis' walkthrough subdomain; included from analysis/urls.py."""

from django.urls import path

from analysis.walkthrough import views

P = "projecten/<int:project_pk>/analyse/schouw/"
W = P + "<int:pk>/"
F = P + "<int:walk_through_pk>/bevinding/"

urlpatterns = [
    path(P, views.walk_through_list, name="walk_through_list"),
    path(P + "nieuw/", views.walk_through_create, name="walk_through_create"),
    path(P + "bevindingen/", views.finding_list, name="finding_list"),
    path(W, views.walk_through_detail, name="walk_through_detail"),
    path(W + "bewerken/", views.walk_through_edit, name="walk_through_edit"),
    path(W + "verwijderen/", views.walk_through_delete, name="walk_through_delete"),
    path(W + "rapport.pdf", views.walk_through_pdf, name="walk_through_pdf"),
    path(F, views.finding_add, name="finding_add"),
    path(F + "<int:pk>/bewerken/", views.finding_edit, name="finding_edit"),
    path(F + "<int:pk>/foto/", views.finding_photo, name="finding_photo"),
    path(F + "<int:pk>/verwijderen/", views.finding_delete, name="finding_delete"),
]
