"""URLs of the signed-document engine; included from kvu/urls.py.

`document_urls` builds the leader's pages of one kind of document. The declaration of intent's
are here; the covenant's are wired by plans/covenant/urls.py, with plans' own first draft. The
public pages (the personal link, the signing page behind it, verification) serve every kind.
"""

from django.urls import path

from partners.declaration import views
from partners.declaration.kinds import KINDS
from partners.models import DocumentKind


def document_urls(prefix: str, kind: str, *, create_view):
    """The pages of one kind under `prefix` (with `<int:pk>`, the project), named
    "<kind>_<action>"; `create_view` makes the kind's first draft."""
    spec = KINDS[kind]
    invitation = prefix + "uitnodigingen/<int:invitation_pk>/"
    pages = [
        ("", views.declaration_detail, "detail"),
        ("opstellen/", create_view, "create"),
        ("bewerken/", views.declaration_edit, "edit"),
        ("voorbeeld/", views.declaration_preview, "preview"),
        ("uitnodigen/", views.declaration_invite, "invite"),
        ("versie/<int:version>/pdf/", views.declaration_pdf, "pdf"),
        ("versie/<int:version>/vergelijken/", views.declaration_compare, "compare"),
    ]
    if spec.allows_joining:
        pages.append(("uittreden/", views.document_departure, "departure"))
    invitation_pages = [
        ("intrekken/", views.invitation_revoke, "invitation_revoke"),
        ("opnieuw-sturen/", views.invitation_resend, "invitation_resend"),
        ("herinneren/", views.invitation_remind, "invitation_remind"),
        ("opnieuw-uitnodigen/", views.invitation_reinvite, "invitation_reinvite"),
    ]
    return [
        *(
            path(prefix + route, view, {"kind": kind}, name=spec.url_name(action))
            for route, view, action in pages
        ),
        *(
            path(invitation + route, view, {"kind": kind}, name=spec.url_name(action))
            for route, view, action in invitation_pages
        ),
    ]


urlpatterns = [
    *document_urls(
        "projecten/<int:pk>/intentieverklaring/",
        DocumentKind.DECLARATION,
        create_view=views.declaration_create,
    ),
    # Public pages: the personal link, the signing page behind it, and verification.
    path("ondertekenen/", views.signing_page, name="signing_page"),
    path("ondertekenen/wijzigingen/", views.signing_compare, name="signing_compare"),
    path("ondertekenen/mijn-exemplaar.pdf", views.signing_pdf, name="signing_pdf"),
    path("ondertekenen/<str:token>/", views.signing_start, name="signing_start"),
    path("verificatie/", views.verification_form, name="verification_form"),
    path("verificatie/<str:code>/", views.verification_detail, name="verification_detail"),
]
