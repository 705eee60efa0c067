"""URLs of the meetings app; included from kvu/urls.py."""

from django.urls import path

from meetings import views

P = "projecten/<int:project_pk>/overleggen/"
M = P + "<int:pk>/"
C = P + "<int:meeting_pk>/"

urlpatterns = [
    path(P, views.meeting_list, name="meeting_list"),
    path(P + "nieuw/", views.meeting_create, name="meeting_create"),
    path(P + "agenda-abonnement/", views.feed_settings, name="meeting_feed_settings"),
    path(
        P + "agenda-abonnement/vernieuwen/", views.feed_regenerate, name="meeting_feed_regenerate"
    ),
    path(P + "agenda-abonnement/intrekken/", views.feed_revoke, name="meeting_feed_revoke"),
    path(M, views.meeting_detail, name="meeting_detail"),
    path(M + "bewerken/", views.meeting_edit, name="meeting_edit"),
    path(M + "annuleren/", views.meeting_cancel, name="meeting_cancel"),
    path(M + "agenda/toevoegen/", views.agenda_add, name="meeting_agenda_add"),
    path(C + "agenda/<int:pk>/", views.agenda_item_edit, name="meeting_agenda_item_edit"),
    path(C + "agenda/<int:pk>/verplaatsen/", views.agenda_move, name="meeting_agenda_move"),
    path(C + "agenda/<int:pk>/verwijderen/", views.agenda_delete, name="meeting_agenda_delete"),
    path(M + "genodigden/toevoegen/", views.invite, name="meeting_invite"),
    path(M + "genodigden/verwijderen/", views.uninvite, name="meeting_uninvite"),
    path(M + "uitnodigingen/versturen/", views.invitations_send, name="meeting_invitations_send"),
    path(M + "aanwezigheid/", views.attendance, name="meeting_attendance"),
    path(M + "afspraken/toevoegen/", views.agreement_add, name="meeting_agreement_add"),
    path(M + "acties/toevoegen/", views.action_add, name="meeting_action_add"),
    path(C + "acties/<int:pk>/status/", views.action_status, name="meeting_action_status"),
    path(C + "acties/<int:pk>/bewerken/", views.action_edit, name="meeting_action_edit"),
    path(C + "acties/<int:pk>/verwijderen/", views.action_delete, name="meeting_action_delete"),
    path(M + "overleg.ics", views.meeting_ics_download, name="meeting_ics"),
    path(M + "verslag.pdf", views.meeting_pdf, name="meeting_pdf"),
    path("agenda/<str:secret>/overleggen.ics", views.feed, name="meeting_feed"),
]
