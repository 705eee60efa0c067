"""What the core app lets the search find: the project's documents, by title."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from kvu.models import Document
from kvu.search import RANK_WITHIN, Result, Source, matching


def find_documents(projects, text, limit):
    documents = (
        matching(Document.objects.filter(project__in=projects), ["title"], text, within=RANK_WITHIN)
        .select_related("project")
        .order_by("-search_rank", "-uploaded_at", "-pk")[:limit]
    )
    return [
        Result(
            title=document.title,
            snippet=f"{document.original_name} · "
            f"{date_format(localtime(document.uploaded_at), 'SHORT_DATE_FORMAT')}",
            project=document.project.name,
            url=reverse("document_list", args=[document.project_id]) + f"#document-{document.pk}",
        )
        for document in documents
    ]


SOURCES = [Source(90, "documents", _("Documents"), find_documents)]
