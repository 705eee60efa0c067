"""URLs of the analysis' report subdomain; included from analysis/urls.py."""

from django.urls import path

from analysis.report import views

P = "projecten/<int:project_pk>/analyse/"

urlpatterns = [
    path(P + "conclusies/", views.conclusion_list, name="conclusion_list"),
    path(P + "conclusies/nieuw/", views.conclusion_add, name="conclusion_add"),
    path(P + "conclusies/<int:pk>/", views.conclusion_edit, name="conclusion_edit"),
    path(P + "conclusies/<int:pk>/verwijderen/", views.conclusion_delete, name="conclusion_delete"),
    path(P + "conclusies/<int:pk>/verplaatsen/", views.conclusion_move, name="conclusion_move"),
    path(P + "conclusies/vastgesteld/", views.conclusions_agreed, name="conclusions_agreed"),
    path(P + "knelpunten/", views.knelpunt_list, name="knelpunt_list"),
    path(P + "knelpunten/nieuw/", views.knelpunt_add, name="knelpunt_add"),
    path(P + "knelpunten/<int:pk>/", views.knelpunt_edit, name="knelpunt_edit"),
    path(P + "knelpunten/<int:pk>/verwijderen/", views.knelpunt_delete, name="knelpunt_delete"),
    path(P + "rapport/", views.analysis_report, name="analysis_report"),
    path(P + "rapport.pdf", views.analysis_report_pdf, name="analysis_report_pdf"),
    path(P + "rapport/teksten/", views.analysis_report_edit, name="analysis_report_edit"),
    path(P + "rapport/gedeeld/", views.report_shared, name="report_shared"),
]
