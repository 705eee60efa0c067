"""URLs of step 4; included from plans/urls.py."""

from django.urls import path

from plans.plan import views

P = "projecten/<int:project_pk>/plan/"

urlpatterns = [
    path(P, views.plan_detail, name="plan_detail"),
    path(P + "starten/", views.plan_start, name="plan_start"),
    path(P + "teksten/", views.plan_edit, name="plan_edit"),
    path(P + "maatregelen/", views.measure_matrix, name="measure_matrix"),
    path(P + "maatregelen/nieuw/", views.measure_add, name="measure_add"),
    path(P + "maatregelen/<int:pk>/", views.measure_edit, name="measure_edit"),
    path(P + "maatregelen/<int:pk>/verwijderen/", views.measure_delete, name="measure_delete"),
    path(P + "vaststellen/", views.plan_adopt, name="plan_adopt"),
    path(P + "gedeeld/", views.plan_shared, name="plan_shared"),
    path(P + "plan.pdf", views.plan_pdf, name="plan_pdf"),
    path(P + "versies/<int:number>/", views.plan_version, name="plan_version"),
    path(P + "versies/<int:number>/plan.pdf", views.plan_version_pdf, name="plan_version_pdf"),
]
