"""The covenant's first draft (CCV step 5): its parts from the plan of approach, the partners and
their commitments, with the paragraphs a hospitality covenant usually holds.

The text is in the active language, the document's (like the declaration's `default_texts` in
partners/declaration/services.py); the leader adapts every part on the engine's edit page.
"""

import calendar
import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from plans.covenant.selectors import commitments_by_partner, measures_by_theme

TERM_YEARS = 4


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it has no such day)."""
    years, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def default_term(starts_on: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """(first day, last day) of a term of four years from `starts_on` (today by default)."""
    start = starts_on or timezone.localdate()
    return start, add_months(start, 12 * TERM_YEARS) - datetime.timedelta(days=1)


def _representative(participation) -> str:
    contact = participation.main_contact
    if contact is None:
        return ""
    return f"{contact.name}, {contact.function}" if contact.function else contact.name


def _party_line(participation) -> str:
    representative = _representative(participation)
    if representative:
        return _("- %(organisation)s, represented by %(representative)s") % {
            "organisation": participation.organisation.name,
            "representative": representative,
        }
    return f"- {participation.organisation.name}"


def _parties(groups, project) -> str:
    lines = [_party_line(group.participation) for group in groups]
    if not lines:
        return _("- Municipality of %(name)s") % {"name": project.municipality}
    lines.append("")
    lines.append(
        _(
            "Hospitality businesses in the area that join during the term become parties from "
            "the day they sign; the appendix lists every participating business."
        )
    )
    return "\n".join(lines)


def _goal(plan, project) -> str:
    parts = [
        _(
            "The parties work together to make and keep %(area)s a safe and attractive nightlife "
            "area for visitors, residents and entrepreneurs. In this covenant they record the "
            "measures and agreements of the plan of approach of the Quality Mark Safe Nightlife "
            "(KVU) and what each of them does to carry them out."
        )
        % {"area": project.nightlife_area}
    ]
    if plan.goal.strip():
        parts.append(_("The goal of the plan of approach:") + "\n" + plan.goal.strip())
    return "\n\n".join(parts)


def _measures(plan) -> str:
    paragraphs = []
    themes = measures_by_theme(plan)
    if themes:
        paragraphs.append(
            _("The parties carry out the measures of the plan of approach, by theme:")
        )
        for label, measures in themes:
            lines = [f"{str(label)[:1].upper()}{str(label)[1:]}:"]
            for measure in measures:
                lines.append(
                    _("- %(measure)s (responsible: %(partner)s)")
                    % {
                        "measure": measure.title,
                        "partner": measure.responsible.organisation.name,
                    }
                )
            paragraphs.append("\n".join(lines))
    paragraphs.append(_("In addition, the parties agree on the following."))
    paragraphs += [
        _(
            "Hospitality consultation: the parties meet at least four times a year in the "
            "hospitality consultation, led by the municipality. They discuss incidents, the "
            "progress of the measures and what needs to change."
        ),
        _(
            "Supervision: the police and the municipal enforcement officers supervise the area "
            "together on busy nights and share what they see, within the rules of privacy law."
        ),
        _(
            "Admission policy: every business applies house rules and an admission policy that "
            "are visible at the entrance. Visitors are never refused because of their origin; "
            "door staff are certified."
        ),
        _(
            "Alcohol: the businesses do not serve alcohol to anyone under 18 or to anyone who is "
            "drunk, check ages, and hold no promotions that encourage heavy drinking."
        ),
        _(
            "Drugs and weapons: the businesses are free of drugs and weapons. Where the house "
            "rules provide for it, door staff search visitors; weapons and drugs that are found "
            "are handed to the police."
        ),
        _(
            "Glass: no glasses or bottles go out onto the street. On terraces and at events the "
            "parties agree when plastic is used."
        ),
        _(
            "Noise: when music plays, doors and windows stay closed; the businesses keep the "
            "noise for residents within the limits of their permit and ask visitors to leave "
            "quietly."
        ),
        _(
            "Closing times: the businesses keep the closing times of the local by-law (APV). "
            "Where the by-law allows, the parties agree on staggered closing times, so that not "
            "all visitors are on the street at the same moment."
        ),
    ]
    return "\n\n".join(paragraphs)


def _contributions(groups) -> str:
    blocks = []
    for group in groups:
        name = group.participation.organisation.name
        if group.commitments:
            lines = [f"{name}:"] + [f"- {c.text.strip()}" for c in group.commitments]
        else:
            lines = [
                f"{name}:",
                _(
                    "- takes part in the hospitality consultation and carries out the measures "
                    "it is responsible for."
                ),
            ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) or _("- Every party takes part in the hospitality consultation.")


def _membership() -> str:
    return "\n\n".join(
        [
            _(
                "A hospitality business in the area can join during the term by signing this "
                "covenant online. From the day it signs, the covenant applies to it in full and "
                "it is listed in the appendix of participating businesses. The other parties do "
                "not need to sign again."
            ),
            _(
                "A party can leave the covenant by letting the municipality know in writing, "
                "with its reasons. Its departure takes effect on the date the municipality "
                "records it; the covenant stays in force for the other parties. A business that "
                "closes or changes owner leaves the covenant; a new owner can join."
            ),
        ]
    )


def _duration(valid_from, valid_until) -> str:
    """The part on the term. Its first and last day are not written here: the engine puts them
    at the top of this part from the covenant's term, so the signed text always says the term
    that is set (partners/declaration/models.py `term_sentence`)."""
    return "\n\n".join(
        [
            _(
                "The parties evaluate the measures and their cooperation every year in the "
                "hospitality consultation."
            ),
            _(
                "At least three months before the end the parties decide whether to renew the "
                "covenant, based on the evaluation. The text can change during the term only in "
                "a new version that the parties sign."
            ),
        ]
    )


def _sanctions() -> str:
    return "\n\n".join(
        [
            _(
                "A party that does not keep to the agreements is first invited to talk it over "
                "with the municipality (and, for a hospitality business, with KHN). If the "
                "problem continues, it receives a written warning that says what has to change "
                "and by when. If it still does not comply, the other parties can decide to "
                "exclude it from the covenant; this is recorded as its departure."
            ),
            _(
                "These steps do not affect the legal powers of the mayor, the police and the "
                "Public Prosecution Service, for example under the Alcohol Act, the Opium Act and "
                "the local by-law."
            ),
        ]
    )


def covenant_texts(plan, project, *, starts_on: datetime.date | None = None) -> dict[str, str]:
    """The first draft of the covenant: the engine's covenant text fields, filled in."""
    # In the order of the commitments page: the public partners first (selectors.PARTY_ORDER).
    groups = commitments_by_partner(plan)
    valid_from, valid_until = default_term(starts_on)
    return {
        "title": _("Covenant Quality Mark Safe Nightlife %(area)s")
        % {"area": project.nightlife_area},
        "parties": _parties(groups, project),
        "goal": _goal(plan, project),
        "measures": _measures(plan),
        "contributions": _contributions(groups),
        "membership": _membership(),
        "duration": _duration(valid_from, valid_until),
        "sanctions": _sanctions(),
        "closing": _(
            "Thus agreed and signed online by the representatives of the parties, each on behalf "
            "of their organisation. The signatures and their evidence follow at the end of this "
            "document; the appendix lists the participating hospitality businesses."
        ),
    }
