"""Demo data of the intentieverklaring: a sent declaration with signatures, a decline, open ones.

Built through the same services as the real thing (so the evidence, the event log and the stage
changes are genuine). Idempotent: a project that already has a declaration is left alone.
"""

from django.contrib.auth import get_user_model
from django.utils import translation

from kvu.models import Project
from partners.declaration import services
from partners.models import Declaration, Participation

PROJECT = "KVU Binnenstad Enschede"
# organisation name -> what the demo signatory does: sign, decline (with a reason), open, nothing
ANSWERS = {
    "Gemeente Enschede – Openbare Orde en Veiligheid": ("sign", ""),
    "Politie Oost-Nederland, basisteam Enschede": ("sign", ""),
    "Grand Café Het Bolwerk": ("sign", ""),
    "Club Nachtwacht": (
        "decline",
        "Wij willen eerst weten wat de KVU betekent voor onze openingstijden. Na het "
        "volgende overleg kijken wij opnieuw.",
    ),
    "KHN afdeling Enschede": ("open", ""),
    "Horecavereniging Oude Markt": ("", ""),
}
DEMO_IP = "192.0.2.10"  # documentation range: clearly not a real visitor
DEMO_BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) demo"


# The Apeldoorn project went through step 2 long ago: every partner with a contact signed.
LATER_PROJECT = "KVU Centrum Apeldoorn"


def load() -> int:
    return _load(PROJECT, "projectleider", ANSWERS) + _load(LATER_PROJECT, "projectleider2", None)


def _load(name, leader_username, answers) -> int:
    """The project's declaration, sent and answered as `answers` says (None: everyone signs)."""
    project = Project.objects.filter(name=name).first()
    if project is None or Declaration.objects.declarations().filter(project=project).exists():
        return 0
    leader = get_user_model().objects.filter(username=leader_username).first()
    with translation.override("nl"):
        declaration = services.create_declaration(project=project, user=leader)
    participations = {
        p.organisation.name: p
        for p in Participation.objects.filter(project=project)
        .select_related("organisation", "main_contact")
        .order_by("organisation__name")
    }
    if answers is None:
        answers = dict.fromkeys(participations, ("sign", ""))
    created = 1
    for name, (answer, reason) in answers.items():
        participation = participations.get(name)
        person = participation.main_contact if participation else None
        if person is None or not person.email:
            continue
        invitation = services.invite(
            declaration=declaration, participation=participation, person=person, user=leader
        )
        created += 1
        if answer == "open":
            services.record_opened(invitation=invitation, ip=DEMO_IP, user_agent=DEMO_BROWSER)
        elif answer in ("sign", "decline"):
            services.record_opened(invitation=invitation, ip=DEMO_IP, user_agent=DEMO_BROWSER)
            declaration.refresh_from_db()
            services.answer_invitation(
                invitation_id=invitation.pk,
                decision="signed" if answer == "sign" else "declined",
                signer_name=person.name,
                signer_function=person.function or "vertegenwoordiger",
                decline_reason=reason,
                text_sha256=declaration.text_sha256,
                ip=DEMO_IP,
                user_agent=DEMO_BROWSER,
            )
            created += 1
    return created
