"""URLs of the plans app and its subdomains; included from kvu/urls.py."""

from django.urls import include, path

urlpatterns = [
    path("", include("plans.plan.urls")),
    path("", include("plans.covenant.urls")),
]
