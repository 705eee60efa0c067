"""URLs of the analysis app and its subdomains; included from kvu/urls.py."""

from django.urls import include, path

from analysis import views

P = "projecten/<int:project_pk>/analyse/"

urlpatterns = [
    path(P, views.analysis_home, name="analysis_home"),
    path(P + "starten/", views.analysis_start, name="analysis_start"),
    path("", include("analysis.profile.urls")),
    path("", include("analysis.sources.urls")),
    path("", include("analysis.walkthrough.urls")),
    path("", include("analysis.surveys.urls")),
    path("", include("analysis.report.urls")),
]
