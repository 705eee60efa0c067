"""URLs of the working group: its page and a member's representative; included from kvu/urls.py."""

from django.urls import path

from partners.workgroup import views

urlpatterns = [
    path("projecten/<int:project_pk>/werkgroep/", views.working_group, name="working_group"),
    path(
        "projecten/<int:project_pk>/werkgroep/<int:pk>/vertegenwoordiger/",
        views.member_person,
        name="working_group_member",
    ),
]
