"""URLs of the concerns; included from partners/urls.py."""

from django.urls import path

from partners.concerns import views

ONE = "projecten/<int:project_pk>/partners/<int:pk>/zorgen/"

urlpatterns = [
    path("projecten/<int:project_pk>/zorgen/", views.concern_list, name="concern_list"),
    path(ONE + "nieuw/", views.concern_create, name="concern_create"),
    path(ONE + "<int:concern_pk>/bewerken/", views.concern_edit, name="concern_edit"),
    path(ONE + "<int:concern_pk>/verwijderen/", views.concern_delete, name="concern_delete"),
]
