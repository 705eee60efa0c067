"""URLs of the inbox of the contact log; included from partners/urls.py."""

from django.urls import path

from partners.inbox import views

INBOX = "projecten/<int:project_pk>/logboek/inbox/"

urlpatterns = [
    path(INBOX, views.contact_inbox, name="contact_inbox"),
    path(INBOX + "<int:pk>/", views.inbox_message, name="inbox_message"),
    path(INBOX + "<int:pk>/weggooien/", views.inbox_message_discard, name="inbox_message_discard"),
    path(
        "projecten/<int:project_pk>/logboek/e-mailadres/",
        views.logging_address_replace,
        name="logging_address_replace",
    ),
]
