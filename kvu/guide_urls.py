"""URLs of the phase guide, timeline and status report; included from kvu/urls.py."""

from django.urls import path

from kvu import guide_views as views

P = "projecten/<int:pk>/"

urlpatterns = [
    path("projecten/overzicht/", views.projects_overview, name="projects_overview"),
    path(P + "fasewijzer/", views.guide_detail, name="guide"),
    path(P + "fasewijzer/<slug:step>/", views.guide_step, name="guide_step"),
    path(P + "fasepoort/", views.gate, name="gate"),
    path(P + "tijdlijn/", views.timeline, name="timeline"),
    path(P + "rapportage/", views.status_report, name="status_report"),
    path(P + "rapportage.pdf", views.status_report_pdf, name="status_report_pdf"),
]
