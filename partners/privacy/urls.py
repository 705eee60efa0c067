"""URLs of the privacy pages; included from kvu/urls.py."""

from django.urls import path

from partners.privacy import views as privacy_views

urlpatterns = [
    path("privacy/", privacy_views.privacy_statement, name="privacy_statement"),
    path(
        "projecten/<int:project_pk>/personen/<int:pk>/privacy/",
        privacy_views.person_privacy,
        name="person_privacy",
    ),
    path(
        "projecten/<int:project_pk>/personen/<int:pk>/privacy/export.json",
        privacy_views.person_export,
        name="person_export",
    ),
    path(
        "projecten/<int:project_pk>/personen/<int:pk>/privacy/anonimiseren/",
        privacy_views.person_anonymise,
        name="person_anonymise",
    ),
]
