"""URLs of the partners app (outreach); included from kvu/urls.py."""

from django.urls import include, path

from partners import views

P = "projecten/<int:project_pk>/partners/"
ONE = P + "<int:pk>/"
LOG = "projecten/<int:project_pk>/logboek/"
AGREEMENT = "projecten/<int:project_pk>/afspraken/<int:pk>/"

urlpatterns = [
    path(P, views.partner_board, name="partner_board"),
    path(P + "lijst/", views.partner_list, name="partner_list"),
    path(P + "invloed-en-belang/", views.partner_grid, name="partner_grid"),
    path(P + "toevoegen/", views.participation_add, name="participation_add"),
    path(P + "export.csv", views.partner_export, name="partner_export"),
    path(P + "importeren/", views.partner_import, name="partner_import"),
    path(P + "importeren/<int:pk>/", views.partner_import_progress, name="partner_import_progress"),
    path(
        P + "importeren/<int:pk>/status.json",
        views.partner_import_status,
        name="partner_import_status",
    ),
    path(ONE, views.participation_detail, name="participation_detail"),
    path(ONE + "bewerken/", views.participation_edit, name="participation_edit"),
    path(ONE + "fase/", views.participation_stage, name="participation_stage"),
    path(ONE + "contact/", views.contact_create, name="contact_create"),
    path(ONE + "afspraak/", views.agreement_create, name="agreement_create"),
    path(ONE + "personen/nieuw/", views.person_create, name="person_create"),
    path(ONE + "personen/<int:person_pk>/bewerken/", views.person_edit, name="person_edit"),
    path(ONE + "organisatie/bewerken/", views.organisation_edit, name="organisation_edit"),
    path(
        ONE + "organisatie/actief/", views.organisation_set_active, name="organisation_set_active"
    ),
    path(LOG, views.contact_log, name="contact_log"),
    path(LOG + "export.csv", views.contact_log_export, name="contact_log_export"),
    path(LOG + "<int:pk>/opvolging-afgerond/", views.follow_up_done, name="follow_up_done"),
    path(LOG + "<int:pk>/bewerken/", views.contact_edit, name="contact_edit"),
    path(LOG + "<int:pk>/verwijderen/", views.contact_delete, name="contact_delete"),
    path(AGREEMENT + "bewerken/", views.agreement_edit, name="agreement_edit"),
    path(AGREEMENT + "verwijderen/", views.agreement_delete, name="agreement_delete"),
    path("", include("partners.concerns.urls")),
    path("", include("partners.inbox.urls")),
]
