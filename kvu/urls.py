"""URL configuration of KVU-werkplaats."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kvu import account_views, documents, views
from kvu.forms import PasswordResetForm
from kvu.ratelimit import ratelimit
from kvu.search import views as search_views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("projecten/nieuw/", views.project_create, name="project_create"),
    path("projecten/<int:pk>/", views.project_detail, name="project_detail"),
    path("projecten/<int:pk>/bewerken/", views.project_edit, name="project_edit"),
    path("gemeenten/<int:municipality_pk>/wijzigingen/", views.audit_log, name="audit_log"),
    path("projecten/<int:project_pk>/documenten/", documents.document_list, name="document_list"),
    path(
        "projecten/<int:project_pk>/documenten/toevoegen/",
        documents.document_upload,
        name="document_upload",
    ),
    path(
        "projecten/<int:project_pk>/documenten/<int:pk>/",
        documents.document_download,
        name="document_download",
    ),
    path(
        "projecten/<int:project_pk>/documenten/<int:pk>/verwijderen/",
        documents.document_delete,
        name="document_delete",
    ),
    path("zoeken/", search_views.search, name="search"),
    path("taal/", views.set_language, name="set_language"),
    path("toegankelijkheid/", views.accessibility_statement, name="accessibility_statement"),
    path("account/instellingen/", account_views.my_settings, name="my_settings"),
    path("account/inloggen/", auth_views.LoginView.as_view(), name="login"),
    path("account/uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "account/wachtwoord/wijzigen/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "account/wachtwoord/gewijzigd/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "account/wachtwoord/vergeten/",
        ratelimit(group="password_reset", rate="5/h")(
            auth_views.PasswordResetView.as_view(form_class=PasswordResetForm)
        ),
        name="password_reset",
    ),
    path(
        "account/wachtwoord/vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "account/wachtwoord/herstellen/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/wachtwoord/hersteld/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", include("partners.urls")),
    path("", include("partners.declaration.urls")),
    path("", include("meetings.urls")),
    path("", include("analysis.urls")),
    path("", include("plans.urls")),
    path("", include("kvu.guide_urls")),
    path("", include("partners.workgroup.urls")),
    path("", include("partners.privacy.urls")),
    path("", include("kvu.team.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "KVU-werkplaats"
admin.site.site_title = "KVU-werkplaats"
admin.site.index_title = admin.site.site_header
