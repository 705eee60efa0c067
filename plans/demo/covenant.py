"""Demo: the covenant of Apeldoorn (CCV step 5), after the plan of approach (plans/demo/plan.py).

The partners' commitments are recorded, the covenant is drafted from the template, sent to every
partner and signed by all of them; afterwards two hospitality businesses join during the term
(accessions) and one business leaves. Everything goes through the same services as the real
thing (the engine's invitations, answers and departures), so the evidence is genuine.
Idempotent: a project that has a covenant already is left alone.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from kvu.models import CcvStep, Project
from partners.declaration import services as engine
from partners.models import (
    Declaration,
    DocumentKind,
    KvuRole,
    Organisation,
    OrganisationKind,
    Participation,
    Person,
    Stage,
)
from plans.covenant import services
from plans.covenant.texts import covenant_texts, default_term
from plans.models import Commitment, Plan

PROJECT = "KVU Centrum Apeldoorn"
LEADER = "projectleider2"
DEMO_IP = "192.0.2.20"  # documentation range: clearly not a real visitor
DEMO_BROWSER = "Mozilla/5.0 (Linux; Android 15; Pixel 8) demo"

# Partners the covenant adds to the outreach demo: (name, kind, role, contact, function, e-mail)
PARTNERS = [
    (
        "Openbaar Ministerie Oost-Nederland, parket Zutphen",
        OrganisationKind.PROSECUTOR,
        KvuRole.RECOMMENDED,
        "mr. Sanne Bakker",
        "officier van justitie",
        "s.bakker@om.example.nl",
    ),
    (
        "Club Caterplein",
        OrganisationKind.HOSPITALITY,
        KvuRole.CORE,
        "Dennis Mulder",
        "eigenaar",
        "dennis@clubcaterplein.example.nl",
    ),
    (
        "Eetcafé De Markt",
        OrganisationKind.HOSPITALITY,
        KvuRole.CORE,
        "Ingrid Visser",
        "bedrijfsleider",
        "ingrid@eetcafedemarkt.example.nl",
    ),
    (
        "Brasserie Marktplein",
        OrganisationKind.HOSPITALITY,
        KvuRole.CORE,
        "Youssef Amrani",
        "eigenaar",
        "youssef@brasseriemarktplein.example.nl",
    ),
    (
        "Bar De Beek",
        OrganisationKind.HOSPITALITY,
        KvuRole.CORE,
        "Lotte Hoekstra",
        "eigenaar",
        "lotte@bardebeek.example.nl",
    ),
]
# The café of the outreach demo gets a contact person, so that it can sign.
CAFE = ("Café De Gouden Leeuw", "Henk Willems", "eigenaar", "henk@goudenleeuw.example.nl")

JOINING_LATER = ["Brasserie Marktplein", "Bar De Beek"]
LEAVING = (
    "Eetcafé De Markt",
    "De zaak is per 1 december verkocht; de nieuwe eigenaar beraadt zich.",
)

COMMITMENTS = {
    "Gemeente Apeldoorn – Veiligheid": [
        "Zit het horecaoverleg voor en roept het minstens vier keer per jaar bijeen.",
        "Zet op vrijdag- en zaterdagnacht twee handhavers in op het Caterplein en de Beekstraat.",
    ],
    "Politie Oost-Nederland, basisteam Apeldoorn": [
        "Surveilleert op drukke nachten zichtbaar in het centrum, samen met de handhavers.",
        "Deelt elk kwartaal de incidentcijfers van het uitgaansgebied in het horecaoverleg.",
    ],
    "KHN afdeling Apeldoorn": [
        "Stelt met de ondernemers de gezamenlijke huisregels op en houdt ze actueel.",
        "Spreekt een ondernemer aan die zich niet aan de afspraken houdt.",
    ],
    "Openbaar Ministerie Oost-Nederland, parket Zutphen": [
        "Geeft voorrang aan de afhandeling van geweld in het uitgaansgebied.",
    ],
    "Café De Gouden Leeuw": ["Hangt de huisregels zichtbaar bij de ingang op."],
    "Club Caterplein": [
        "Zet op vrijdag en zaterdag vanaf 23.00 uur twee gecertificeerde portiers in.",
        "Schenkt geen alcohol aan bezoekers onder 18 jaar of aan wie dronken is.",
    ],
    "Eetcafé De Markt": ["Laat geen glas mee naar buiten nemen."],
    "Horecavereniging Apeldoorn Centrum": [
        "Brengt de afspraken van het convenant onder de aandacht van al haar leden.",
    ],
}
# What the businesses that join during the term commit to (recorded when they join).
LATER_COMMITMENTS = {
    "Brasserie Marktplein": ["Sluit het terras om 01.00 uur en ruimt het glas direct op."],
    "Bar De Beek": ["Houdt deuren en ramen dicht zolang er muziek speelt."],
}


def _partner(project, name, kind, role, contact, function, email):
    organisation, _new = Organisation.objects.get_or_create(
        municipality=project.municipality,
        name=name,
        defaults={"kind": kind, "city": "Apeldoorn"},
    )
    person = organisation.persons.filter(name=contact).first() or Person.objects.create(
        organisation=organisation, name=contact, function=function, email=email
    )
    participation = Participation.objects.filter(project=project, organisation=organisation).first()
    if participation is None:
        participation = Participation.objects.create(
            project=project,
            organisation=organisation,
            role=role,
            stage=Stage.COMMITTED,
            main_contact=person,
        )
    elif participation.main_contact_id is None:
        participation.main_contact = person
        participation.save()
    return participation


def _answer(invitation, person):
    engine.record_opened(invitation=invitation, ip=DEMO_IP, user_agent=DEMO_BROWSER)
    document = Declaration.objects.get(pk=invitation.declaration_id)
    engine.answer_invitation(
        invitation_id=invitation.pk,
        decision="signed",
        signer_name=person.name,
        signer_function=person.function or "vertegenwoordiger",
        text_sha256=document.text_sha256,
        ip=DEMO_IP,
        user_agent=DEMO_BROWSER,
    )


def load() -> int:
    project = Project.objects.filter(name=PROJECT).first()
    leader = get_user_model().objects.filter(username=LEADER).first()
    if project is None or leader is None or project.ccv_step < CcvStep.COVENANT:
        return 0
    plan = Plan.objects.current(project)
    if plan is None or Declaration.objects.current_for(project, DocumentKind.COVENANT):
        return 0
    created = 0
    for name, kind, role, contact, function, email in PARTNERS:
        if name not in JOINING_LATER:
            _partner(project, name, kind, role, contact, function, email)
            created += 1
    cafe, contact, function, email = CAFE
    _partner(project, cafe, OrganisationKind.HOSPITALITY, KvuRole.CORE, contact, function, email)
    participations = {
        p.organisation.name: p
        for p in Participation.objects.filter(project=project)
        .exclude(stage=Stage.DECLINED)
        .select_related("organisation", "main_contact")
    }
    if not Commitment.objects.filter(plan=plan).exists():
        for name, texts in COMMITMENTS.items():
            if name in participations:
                for text in texts:
                    services.add_commitment(
                        plan=plan, participation=participations[name], text=text
                    )
                    created += 1
    valid_from, valid_until = default_term()
    with translation.override("nl"):
        document = engine.create_document(
            project=project,
            kind=DocumentKind.COVENANT,
            user=leader,
            texts=covenant_texts(plan, project, starts_on=valid_from),
            valid_from=valid_from,
            valid_until=valid_until,
        )
    created += 1
    # The first round: every partner with a contact person is invited and signs.
    invited = [p for p in participations.values() if p.main_contact and p.main_contact.email]
    invitations = [
        engine.invite(declaration=document, participation=p, person=p.main_contact, user=leader)
        for p in invited
    ]
    for invitation, participation in zip(invitations, invited, strict=True):
        _answer(invitation, participation.main_contact)
        created += 2
    # During the term two businesses join, and one business leaves.
    document.refresh_from_db()
    for name, kind, role, contact, function, email in PARTNERS:
        if name in JOINING_LATER:
            participation = _partner(project, name, kind, role, contact, function, email)
            invitation = engine.invite(
                declaration=document,
                participation=participation,
                person=participation.main_contact,
                user=leader,
            )
            _answer(invitation, participation.main_contact)
            created += 3
            for text in LATER_COMMITMENTS.get(name, []):
                services.add_commitment(plan=plan, participation=participation, text=text)
                created += 1
    name, reason = LEAVING
    if name in participations:
        engine.record_departure(
            document=document,
            participation=participations[name],
            left_on=timezone.localdate(),
            reason=reason,
            user=leader,
        )
        created += 1
    return created
