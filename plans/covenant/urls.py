"""URLs of step 5; included from plans/urls.py.

The covenant's pages are the signed-document engine's (`document_urls`), with plans' own first
draft; the partners' commitments are plans' own.
"""

from django.urls import path

from partners.declaration.urls import document_urls
from partners.models import DocumentKind
from plans.covenant import views

P = "projecten/<int:project_pk>/convenant/toezeggingen/"

urlpatterns = [
    *document_urls(
        "projecten/<int:pk>/convenant/", DocumentKind.COVENANT, create_view=views.covenant_create
    ),
    path(P, views.commitment_list, name="commitment_list"),
    path(P + "nieuw/", views.commitment_add, name="commitment_add"),
    path(P + "<int:pk>/", views.commitment_edit, name="commitment_edit"),
    path(P + "<int:pk>/verwijderen/", views.commitment_delete, name="commitment_delete"),
    path(P + "<int:pk>/verplaatsen/", views.commitment_move, name="commitment_move"),
]
