"""URLs of the analysis' sources subdomain; included from analysis/urls.py."""

from django.urls import path

from analysis.sources import views

P = "projecten/<int:project_pk>/analyse/bronnen/"

urlpatterns = [
    path(P, views.sources, name="sources"),
    path(P + "<int:pk>/", views.source_edit, name="source_edit"),
    path(P + "<int:pk>/document/", views.source_document_add, name="source_document_add"),
]
