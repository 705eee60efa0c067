"""Writes of the walk-through: rounds, findings and their photos (each an audited model write)."""

import uuid

from django.db import transaction

from analysis.models import Analysis, Conclusion, Finding, Knelpunt, WalkThrough
from kvu.documents import add_document, delete_document, delete_documents_of


@transaction.atomic
def create_walk_through(*, analysis: Analysis, user, data: dict) -> WalkThrough:
    partners = data.pop("partners", [])
    colleagues = data.pop("colleagues", [])
    walk = WalkThrough.objects.create(analysis=analysis, created_by=user, **data)
    walk.partners.set(partners)
    walk.colleagues.set(colleagues)
    return walk


@transaction.atomic
def update_walk_through(*, walk_through: WalkThrough, data: dict) -> WalkThrough:
    partners = data.pop("partners", None)
    colleagues = data.pop("colleagues", None)
    for name, value in data.items():
        setattr(walk_through, name, value)
    walk_through.save()
    if partners is not None:
        walk_through.partners.set(partners)
    if colleagues is not None:
        walk_through.colleagues.set(colleagues)
    return walk_through


@transaction.atomic
def delete_walk_through(*, walk_through: WalkThrough) -> None:
    """The round, its findings and their photos, each deletion in the change log."""
    for finding in walk_through.findings.all():
        delete_finding(finding=finding)
    walk_through.delete()


def _photo_name(finding: Finding) -> str:
    return f"schouw-{finding.walk_through.date:%Y-%m-%d}-bevinding-{finding.pk}.jpg"


def _photo_title(finding: Finding) -> str:
    where = finding.street.name if finding.street_id else ""
    return " – ".join(part for part in ("Foto", where, finding.location) if part)[:200]


def _attach_photo(*, finding: Finding, user, photo: bytes, keep_location: bool) -> None:
    previous = finding.photo
    finding.photo = add_document(
        project=finding.walk_through.analysis.project,
        target=finding,
        title=_photo_title(finding),
        name=_photo_name(finding),
        data=photo,
        user=user,
    )
    finding.photo_location_kept = keep_location
    finding.save()
    if previous is not None:
        delete_document(document=previous)


@transaction.atomic
def record_finding(
    *,
    walk_through: WalkThrough,
    user,
    client_key: uuid.UUID,
    data: dict,
    photo: bytes | None = None,
    keep_location: bool = False,
) -> tuple[Finding, bool]:
    """Record a finding once per form: the same `client_key` sent again (a repeat on a bad
    connection) returns the finding it recorded the first time, unchanged. Returns
    (finding, created); only a photo that the finding still lacks is attached on a repeat.
    `photo` is the processed JPEG (analysis.walkthrough.photos)."""
    finding, created = Finding.objects.get_or_create(
        walk_through=walk_through,
        client_key=client_key,
        defaults={**data, "created_by": user},
    )
    finding.walk_through = walk_through
    # A repeat that carries the photo the first send lost (or did not have) still attaches it.
    if photo and (created or finding.photo_id is None):
        _attach_photo(finding=finding, user=user, photo=photo, keep_location=keep_location)
    return finding, created


@transaction.atomic
def update_finding(*, finding: Finding, data: dict) -> Finding:
    for name, value in data.items():
        setattr(finding, name, value)
    finding.save()
    return finding


@transaction.atomic
def set_finding_photo(*, finding: Finding, user, photo: bytes, keep_location: bool) -> Finding:
    """Give a recorded finding its photo, or replace it (the old file is deleted)."""
    _attach_photo(finding=finding, user=user, photo=photo, keep_location=keep_location)
    return finding


@transaction.atomic
def delete_finding(*, finding: Finding) -> None:
    """Delete a finding and its photo; the conclusions and knelpunten that cite it as
    evidence lose it first, each removal in the change log."""
    for item in (
        *Conclusion.objects.filter(findings=finding),
        *Knelpunt.objects.filter(findings=finding),
    ):
        item.findings.remove(finding)
    delete_documents_of(finding)
    finding.delete()
