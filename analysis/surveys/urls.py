"""URLs of the analysis' surveys subdomain; included from analysis/urls.py."""

from django.urls import path

from analysis.surveys import public_views, views

P = "projecten/<int:project_pk>/analyse/enquetes/"
S = P + "<int:survey_pk>/"

urlpatterns = [
    path(P, views.survey_list, name="survey_list"),
    path(P + "nieuw/", views.survey_create, name="survey_create"),
    path(P + "<int:pk>/", views.survey_detail, name="survey_detail"),
    path(P + "<int:pk>/bewerken/", views.survey_edit, name="survey_edit"),
    path(P + "<int:pk>/versturen/", views.survey_send, name="survey_send"),
    path(P + "<int:pk>/resultaten/", views.survey_results, name="survey_results"),
    path(S + "vragen/nieuw/", views.question_add, name="question_add"),
    path(S + "vragen/<int:pk>/bewerken/", views.question_edit, name="question_edit"),
    path(S + "vragen/<int:pk>/verwijderen/", views.question_delete, name="question_delete"),
    path(S + "vragen/<int:pk>/verplaatsen/", views.question_move, name="question_move"),
    path(S + "vragen/<int:pk>/antwoorden/", views.survey_open_answers, name="survey_open_answers"),
    path(S + "antwoorden/nieuw/", views.response_add, name="response_add"),
    path(S + "antwoorden/<int:pk>/nieuwe-link/", views.response_resend, name="response_resend"),
    path(S + "antwoorden/<int:pk>/bewerken/", views.response_edit, name="response_edit"),
    path(S + "antwoorden/<int:pk>/verwijderen/", views.response_delete, name="response_delete"),
    # Public: the personal link of a partner (no account), exchanged for the session at once,
    # and the questions on a URL without the token.
    path("enquete/", public_views.survey_answer_form, name="survey_answer_form"),
    path("enquete/<str:token>/", public_views.survey_answer, name="survey_answer"),
]
