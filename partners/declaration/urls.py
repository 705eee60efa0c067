"""URLs of the intentieverklaring (drafting, signing, verification); included from kvu/urls.py."""

from django.urls import path

from partners.declaration import views

P = "projecten/<int:pk>/intentieverklaring/"
I = P + "uitnodigingen/<int:invitation_pk>/"  # noqa: E741

urlpatterns = [
    path(P, views.declaration_detail, name="declaration_detail"),
    path(P + "opstellen/", views.declaration_create, name="declaration_create"),
    path(P + "bewerken/", views.declaration_edit, name="declaration_edit"),
    path(P + "voorbeeld/", views.declaration_preview, name="declaration_preview"),
    path(P + "uitnodigen/", views.declaration_invite, name="declaration_invite"),
    path(P + "versie/<int:version>/pdf/", views.declaration_pdf, name="declaration_pdf"),
    path(
        P + "versie/<int:version>/vergelijken/",
        views.declaration_compare,
        name="declaration_compare",
    ),
    path(I + "intrekken/", views.invitation_revoke, name="invitation_revoke"),
    path(I + "opnieuw-sturen/", views.invitation_resend, name="invitation_resend"),
    path(I + "herinneren/", views.invitation_remind, name="invitation_remind"),
    path(I + "opnieuw-uitnodigen/", views.invitation_reinvite, name="invitation_reinvite"),
    # Public pages: the personal link, the signing page behind it, and verification.
    path("ondertekenen/", views.signing_page, name="signing_page"),
    path("ondertekenen/wijzigingen/", views.signing_compare, name="signing_compare"),
    path("ondertekenen/mijn-exemplaar.pdf", views.signing_pdf, name="signing_pdf"),
    path("ondertekenen/<str:token>/", views.signing_start, name="signing_start"),
    path("verificatie/", views.verification_form, name="verification_form"),
    path("verificatie/<str:code>/", views.verification_detail, name="verification_detail"),
]
