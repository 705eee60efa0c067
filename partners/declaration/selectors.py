"""Reads of the signed-document engine used in more than one place."""

from django.db.models import Count, Q

from partners.models import Decision, Declaration, Departure, Signature


def participants(document) -> list[dict]:
    """Who takes part in a document that can be joined and left (the covenant's appendix and
    its status page): every partner that signed this version, in the order they signed, with
    whether it joined later (an accession during the term) and its departure, if it left.

    Two queries, whatever the number of partners.
    """
    departures = {
        departure.participation_id: departure
        for departure in Departure.objects.filter(document=document)
    }
    signatures = (
        Signature.objects.filter(declaration=document, decision=Decision.SIGNED)
        .select_related("invitation", "participation__organisation")
        .order_by("answered_at", "pk")
    )
    return [
        {
            "participation": signature.participation,
            "organisation": signature.participation.organisation,
            "signature": signature,
            "joined_later": signature.invitation.accession,
            "departure": departures.get(signature.participation_id),
        }
        for signature in signatures
    ]


# The status page lists this many of the partners that joined or left; the PDF's appendix all.
CHANGES_SHOWN = 25


def participants_summary(document) -> dict:
    """The appendix at a glance for the status page: how many take part, how many joined during
    the term and how many left, and the first CHANGES_SHOWN of those who joined or left, newest
    first. Three queries, whatever the number of partners."""
    signed = Signature.objects.filter(declaration=document, decision=Decision.SIGNED)
    left = Q(participation__departures__document=document)
    changed = Q(invitation__accession=True) | left
    counts = signed.aggregate(
        # distinct: the join with the departures of other documents repeats a signature.
        total=Count("pk", distinct=True),
        joined=Count("pk", filter=Q(invitation__accession=True), distinct=True),
        left=Count("pk", filter=left, distinct=True),
        changed=Count("pk", filter=changed, distinct=True),
    )
    changes = list(
        signed.filter(changed)
        .select_related("invitation", "participation__organisation")
        .order_by("-answered_at", "-pk")
        .distinct()[:CHANGES_SHOWN]
    )
    departures = {
        departure.participation_id: departure
        for departure in Departure.objects.filter(
            document=document, participation_id__in=[s.participation_id for s in changes]
        )
    }
    return {
        **counts,
        "taking_part": counts["total"] - counts["left"],
        "changes": [
            {
                "organisation": signature.participation.organisation,
                "signature": signature,
                "joined_later": signature.invitation.accession,
                "departure": departures.get(signature.participation_id),
            }
            for signature in changes
        ],
        "more": max(0, counts["changed"] - CHANGES_SHOWN),
    }


def version_in_force(project, kind):
    """The version of a document that can be joined whose partners take part now: the newest
    sent version in force, else the newest sent one (None before anything was sent). A new
    version being drafted or sent for renewal leaves the old one in force until it is signed."""
    sent = Declaration.objects.filter(project=project, kind=kind, frozen_at__isnull=False).only(
        "pk", "project_id", "kind", "version", "result_sent_at", "valid_from", "valid_until"
    )
    versions = list(sent.order_by("-version"))
    return next((v for v in versions if v.in_force), versions[0] if versions else None)
