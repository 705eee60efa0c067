"""Demo data of the phase guide, partners side: the working group and one Apeldoorn agreement.

Runs after the declaration demo. Enschede (nearly ready for the gate) gets its working group,
chosen from the signatories; Apeldoorn (earlier in the phase) gets its agreement about the
municipality's double role. Only adds rows, never changes the other demo modules' rows, and
adds nothing the second time.
"""

import datetime

from django.utils import timezone

from kvu.models import Project
from partners.models import Agreement, OrganisationKind, Participation, WorkingGroupMember
from partners.workgroup.services import signatories

K = OrganisationKind
WORKING_GROUP_KINDS = [K.MUNICIPALITY, K.POLICE, K.KHN, K.HOSPITALITY, K.HOSPITALITY_ASSOCIATION]
APELDOORN_AGREEMENT = (
    "Handhavers van de gemeente nemen niet deel aan de KVU-werkgroep; controles worden in het "
    "KVU-overleg achteraf besproken, zonder dat het overleg over individuele zaken beslist."
)


def load() -> int:
    created = 0
    enschede = Project.objects.filter(name="KVU Binnenstad Enschede").first()
    if enschede is not None:
        for participation in signatories(enschede).filter(
            organisation__kind__in=WORKING_GROUP_KINDS
        ):
            _member, new = WorkingGroupMember.objects.get_or_create(
                participation=participation, defaults={"added_by": enschede.project_leader}
            )
            created += new
    apeldoorn = Project.objects.filter(name="KVU Centrum Apeldoorn").first()
    if apeldoorn is not None:
        agreement, new = Agreement.objects.get_or_create(
            project=apeldoorn,
            text=APELDOORN_AGREEMENT,
            defaults={
                "date": timezone.localdate() - datetime.timedelta(days=12),
                "about_double_role": True,
                "recorded_by": apeldoorn.project_leader,
            },
        )
        if new:
            agreement.participations.set(
                Participation.objects.filter(
                    project=apeldoorn, organisation__kind__in=[K.MUNICIPALITY, K.KHN]
                )
            )
            created += 1
    return created
