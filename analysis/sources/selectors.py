"""Reads of the sources: CCV's ten in CCV's order, and the documents belonging to them."""

from dataclasses import dataclass

from analysis.models import INDISPENSABLE_SOURCES, Source, SourceKind, SourceStatus
from kvu.models import Document

CCV_ORDER = {kind.value: position for position, kind in enumerate(SourceKind)}


def sources_of(analysis) -> list[Source]:
    """The analysis' sources in CCV's order, with who is responsible (one query)."""
    sources = Source.objects.filter(analysis=analysis).select_related(
        "responsible_user", "responsible_partner__organisation"
    )
    return sorted(sources, key=lambda source: (CCV_ORDER.get(source.kind, 99), source.pk))


def documents_of(project, sources) -> dict[int, list[Document]]:
    """The documents attached to each of `sources`, newest first, in one query.

    The content type is matched by its name in the same query rather than looked up first:
    ContentType's per-process cache would make the page's query count vary.
    """
    found = {source.pk: [] for source in sources}
    if not found:
        return found
    documents = Document.objects.filter(
        project=project,
        content_type__app_label=Source._meta.app_label,
        content_type__model=Source._meta.model_name,
        object_id__in=list(found),
    ).select_related("uploaded_by")
    for document in documents:
        found[document.object_id].append(document)
    return found


@dataclass
class Progress:
    """How far the indispensable sources are: done, or consciously not used."""

    settled: int
    total: int

    @property
    def complete(self) -> bool:
        return self.settled == self.total


def indispensable_progress(sources) -> Progress:
    wanted = [source for source in sources if source.kind in INDISPENSABLE_SOURCES]
    settled = [s for s in wanted if s.status in (SourceStatus.DONE, SourceStatus.NOT_USED)]
    return Progress(settled=len(settled), total=len(INDISPENSABLE_SOURCES))
