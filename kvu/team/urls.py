"""URLs of the team (issue 18); included from kvu/urls.py."""

from django.urls import path

from kvu.team import views

T = "gemeenten/<int:municipality_pk>/team/"

urlpatterns = [
    path(T, views.team, name="team"),
    path(T + "uitnodigen/", views.team_invite, name="team_invite"),
    path(T + "leden/<int:pk>/rol/", views.team_member_role, name="team_member_role"),
    path(T + "leden/<int:pk>/verwijderen/", views.team_member_remove, name="team_member_remove"),
    path(
        T + "uitnodigingen/<int:pk>/opnieuw-sturen/",
        views.team_invitation_resend,
        name="team_invitation_resend",
    ),
    path(
        T + "uitnodigingen/<int:pk>/intrekken/",
        views.team_invitation_cancel,
        name="team_invitation_cancel",
    ),
    # Public: the personal link, and the page behind it where the colleague sets a password.
    path("team/uitnodiging/", views.team_invitation_accept, name="team_invitation_accept"),
    path(
        "team/uitnodiging/<str:token>/", views.team_invitation_start, name="team_invitation_start"
    ),
]
