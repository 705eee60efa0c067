"""URL of the working group page; included from kvu/urls.py."""

from django.urls import path

from partners.workgroup import views

urlpatterns = [
    path("projecten/<int:project_pk>/werkgroep/", views.working_group, name="working_group"),
]
