"""Demo data of the outreach: partners, persons, interests, concerns, agreements, contact log.

All names are made up. Dates are relative to today, so the follow-ups stay overdue or due
however long after loading the demo someone looks at it.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from kvu.models import Project
from partners.models import (
    Agreement,
    Channel,
    Concern,
    ConcernStatus,
    ContactMoment,
    Direction,
    Organisation,
    Participation,
    Person,
    Stage,
    StageChange,
    default_role_for,
)
from partners.models import ConcernKind as C
from partners.models import (
    OrganisationKind as K,
)

S = Stage

# name, kind, stage, influence, interest, concern kinds (see _load_concerns), interests, extra
# organisation fields, persons
ENSCHEDE = [
    (
        "Gemeente Enschede – Openbare Orde en Veiligheid",
        K.MUNICIPALITY,
        S.SIGNED,
        5,
        5,
        [],
        "Regie op de KVU; minder geweld en overlast rond de Oude Markt.",
        {"address": "Langestraat 24", "postcode": "7511 HC", "city": "Enschede"},
        [("Anouk Smit", "beleidsadviseur OOV"), ("Ruud Veldkamp", "teamleider handhaving")],
    ),
    (
        "Politie Oost-Nederland, basisteam Enschede",
        K.POLICE,
        S.COMMITTED,
        5,
        4,
        [],
        "Minder geweldsincidenten in het weekend; snellere melding door portiers.",
        {"city": "Enschede"},
        [("Martijn Kok", "teamchef"), ("Fatima Ouali", "wijkagent binnenstad")],
    ),
    (
        "KHN afdeling Enschede",
        K.KHN,
        S.INTERESTED,
        4,
        4,
        [C.EXTRA_RULES],
        "Een gezond ondernemersklimaat; wil voorkomen dat de KVU tot extra regels leidt.",
        {"city": "Enschede"},
        [("Hans Nijhuis", "voorzitter afdeling"), ("Ellen Brink", "regioadviseur KHN")],
    ),
    (
        "Horecavereniging Oude Markt",
        K.HOSPITALITY_ASSOCIATION,
        S.INTERESTED,
        3,
        5,
        [C.DOUBLE_ROLE, C.OPENING_HOURS],
        "Ruimere sluitingstijden in het weekend; één aanspreekpunt bij de gemeente.",
        {"city": "Enschede"},
        [("Gerrit Oude Egberink", "voorzitter")],
    ),
    (
        "Café De Zwarte Ruiter",
        K.HOSPITALITY,
        S.APPROACHED,
        2,
        3,
        [C.EXTRA_COSTS, C.ALREADY_ENOUGH],
        "",
        {
            "address": "Oude Markt 3",
            "postcode": "7511 GA",
            "city": "Enschede",
            "kvk_number": "08123456",
        },
        [("Jeroen Lammers", "eigenaar")],
    ),
    (
        "Grand Café Het Bolwerk",
        K.HOSPITALITY,
        S.COMMITTED,
        3,
        4,
        [C.EXTRA_COSTS],
        "Veilige uitstraling van het plein; wil ervaringen delen met collega's.",
        {
            "address": "Oude Markt 12",
            "postcode": "7511 GB",
            "city": "Enschede",
            "kvk_number": "08234567",
        },
        [("Sandra Wolters", "bedrijfsleider"), ("Tim Wolters", "eigenaar")],
    ),
    (
        "Club Nachtwacht",
        K.HOSPITALITY,
        S.INTERESTED,
        3,
        3,
        [C.OPENING_HOURS, C.EXTRA_RULES],
        "Langere openingstijden op vrijdag en zaterdag.",
        {
            "address": "Walstraat 8",
            "postcode": "7511 GH",
            "city": "Enschede",
            "kvk_number": "08345678",
        },
        [("Dennis Pool", "eigenaar")],
    ),
    (
        "Eetcafé De Beiaard",
        K.HOSPITALITY,
        S.NOT_APPROACHED,
        1,
        2,
        [],
        "",
        {"address": "Oude Markt 20", "postcode": "7511 GB", "city": "Enschede"},
        [],
    ),
    (
        "Danscafé Het Vliegende Paard",
        K.HOSPITALITY,
        S.DECLINED,
        2,
        1,
        [C.EXTRA_COSTS, C.ALREADY_ENOUGH],
        "",
        {"address": "Stadsgravenstraat 5", "postcode": "7511 ES", "city": "Enschede"},
        [("Bart Hofman", "eigenaar")],
    ),
    (
        "Brandweer Twente, post Enschede",
        K.FIRE_SERVICE,
        S.APPROACHED,
        3,
        2,
        [],
        "Vluchtwegen en maximale bezetting in drukke zaken.",
        {"city": "Enschede"},
        [("Ilse Meijer", "preventiemedewerker")],
    ),
    (
        "Openbaar Ministerie Oost-Nederland",
        K.PROSECUTOR,
        S.ON_HOLD,
        4,
        2,
        [],
        "Sluit pas aan bij het convenant.",
        {"city": "Zwolle"},
        [("mr. Ewout Dijkstra", "officier van justitie")],
    ),
    (
        "Bewonersvereniging Binnenstad Enschede",
        K.RESIDENTS,
        S.INTERESTED,
        2,
        5,
        [C.OTHER],
        "Minder geluidsoverlast en wildplassen na sluitingstijd.",
        {"city": "Enschede"},
        [("Wilma ter Horst", "secretaris")],
    ),
    (
        "Twentse Portiers- en Beveiligingsdienst",
        K.SECURITY,
        S.COMMITTED,
        2,
        4,
        [C.EXTRA_COSTS],
        "Betere samenwerking met de politie bij incidenten.",
        {"city": "Hengelo", "kvk_number": "06456789"},
        [("Mehmet Yilmaz", "operationeel leidinggevende")],
    ),
    (
        "Taxicentrale Binnenstad",
        K.TAXI,
        S.NOT_APPROACHED,
        1,
        3,
        [],
        "",
        {"city": "Enschede"},
        [],
    ),
    (
        "Nachtbus Twente",
        K.PUBLIC_TRANSPORT,
        S.NOT_APPROACHED,
        1,
        2,
        [],
        "",
        {"city": "Enschede"},
        [],
    ),
    (
        "Stichting Jongerenwerk Enschede",
        K.YOUTH_WORK,
        S.ON_HOLD,
        1,
        3,
        [],
        "Voorlichting over alcohol en drugs aan jongeren die uitgaan.",
        {"city": "Enschede"},
        [("Lotte Visser", "jongerenwerker")],
    ),
    (
        "Centrummanagement Enschede",
        K.OTHER,
        S.APPROACHED,
        2,
        3,
        [],
        "Een aantrekkelijke binnenstad, ook 's avonds.",
        {"city": "Enschede"},
        [("Niels Brouwer", "centrummanager")],
    ),
]

APELDOORN = [
    (
        "Gemeente Apeldoorn – Veiligheid",
        K.MUNICIPALITY,
        S.COMMITTED,
        5,
        5,
        [],
        "Minder incidenten rond sluitingstijd.",
        {"city": "Apeldoorn"},
        [("Karin de Groot", "adviseur openbare orde")],
    ),
    (
        "Politie Oost-Nederland, basisteam Apeldoorn",
        K.POLICE,
        S.INTERESTED,
        5,
        4,
        [],
        "",
        {"city": "Apeldoorn"},
        [("Rob Scholten", "wijkagent centrum")],
    ),
    (
        "KHN afdeling Apeldoorn",
        K.KHN,
        S.APPROACHED,
        4,
        3,
        [C.EXTRA_RULES],
        "",
        {"city": "Apeldoorn"},
        [("Monique Verhoef", "bestuurslid")],
    ),
    (
        "Café De Gouden Leeuw",
        K.HOSPITALITY,
        S.NOT_APPROACHED,
        2,
        2,
        [],
        "",
        {"city": "Apeldoorn"},
        [],
    ),
    (
        "Horecavereniging Apeldoorn Centrum",
        K.HOSPITALITY_ASSOCIATION,
        S.APPROACHED,
        3,
        4,
        [C.DOUBLE_ROLE],
        "",
        {"city": "Apeldoorn"},
        [("Frank Jansen", "voorzitter")],
    ),
]

# Contact log: (partner index, days ago, channel, direction, summary, outcome, follow-up in days
# from today or None, follow-up done)
ENSCHEDE_CONTACTS = [
    (
        0,
        80,
        Channel.MEETING,
        Direction.OUTGOING,
        "Startoverleg met de burgemeester over de KVU.",
        "Burgemeester steunt de KVU; gemeente neemt de regie.",
        None,
        False,
    ),
    (
        0,
        40,
        Channel.EMAIL,
        Direction.OUTGOING,
        "Concept intentieverklaring rondgestuurd.",
        "",
        -30,
        True,
    ),
    (
        0,
        6,
        Channel.PHONE,
        Direction.INCOMING,
        "Vraag over de planning van de werkgroep.",
        "Planning afgestemd.",
        8,
        False,
    ),
    (
        1,
        75,
        Channel.MEETING,
        Direction.OUTGOING,
        "Kennismaking met de teamchef; resultaten KVU's elders besproken.",
        "Politie doet mee.",
        None,
        False,
    ),
    (
        1,
        30,
        Channel.PHONE,
        Direction.OUTGOING,
        "Cijfers geweldsincidenten Oude Markt opgevraagd.",
        "Cijfers volgen.",
        -5,
        False,
    ),
    (
        1,
        10,
        Channel.EMAIL,
        Direction.INCOMING,
        "Incidentcijfers van het afgelopen jaar ontvangen.",
        "",
        None,
        False,
    ),
    (
        2,
        60,
        Channel.PHONE,
        Direction.OUTGOING,
        "Regioadviseur KHN gebeld over de KVU.",
        "Wil eerst met het bestuur overleggen.",
        -20,
        True,
    ),
    (
        2,
        25,
        Channel.VISIT,
        Direction.OUTGOING,
        "Presentatie bij het afdelingsbestuur van KHN.",
        "Positief, maar zorgen over extra regels.",
        -3,
        False,
    ),
    (
        2,
        2,
        Channel.EMAIL,
        Direction.INCOMING,
        "KHN vraagt om voorbeelden van andere gemeenten.",
        "",
        3,
        False,
    ),
    (
        3,
        50,
        Channel.VISIT,
        Direction.OUTGOING,
        "Gesprek met de voorzitter van de horecavereniging.",
        "Sluitingstijden en de dubbele rol van de gemeente zijn gevoelig.",
        -25,
        True,
    ),
    (
        3,
        14,
        Channel.MEETING,
        Direction.OUTGOING,
        "Ledenavond horecavereniging: uitleg KVU.",
        "Twaalf ondernemers aanwezig; vragen over handhaving.",
        -7,
        False,
    ),
    (
        3,
        1,
        Channel.PHONE,
        Direction.INCOMING,
        "Voorzitter belt over afspraken handhaving.",
        "",
        5,
        False,
    ),
    (
        4,
        21,
        Channel.VISIT,
        Direction.OUTGOING,
        "Langsgegaan bij de eigenaar.",
        "Vindt dat hij al genoeg doet; wil kosten weten.",
        -2,
        False,
    ),
    (
        4,
        5,
        Channel.PHONE,
        Direction.OUTGOING,
        "Nagebeld over de kosten van deelname.",
        "Geen extra kosten; hij denkt erover na.",
        12,
        False,
    ),
    (
        5,
        55,
        Channel.VISIT,
        Direction.OUTGOING,
        "Kennismaking met de bedrijfsleider.",
        "Enthousiast.",
        None,
        False,
    ),
    (
        5,
        20,
        Channel.EMAIL,
        Direction.INCOMING,
        "Bevestiging deelname per e-mail.",
        "Doet mee.",
        None,
        False,
    ),
    (
        6,
        35,
        Channel.VISIT,
        Direction.OUTGOING,
        "Gesprek met de eigenaar van de club.",
        "Vooral geïnteresseerd in langere openingstijden.",
        -10,
        True,
    ),
    (6, 9, Channel.PHONE, Direction.INCOMING, "Eigenaar vraagt naar het verloop.", "", -1, False),
    (
        8,
        45,
        Channel.VISIT,
        Direction.OUTGOING,
        "Uitleg KVU aan de eigenaar.",
        "Geen interesse: te veel gedoe.",
        None,
        False,
    ),
    (
        8,
        15,
        Channel.PHONE,
        Direction.OUTGOING,
        "Nog eens gevraagd of hij wil meedoen.",
        "Blijft nee; over een half jaar opnieuw proberen.",
        None,
        False,
    ),
    (
        9,
        28,
        Channel.EMAIL,
        Direction.OUTGOING,
        "Brandweer uitgenodigd voor de werkgroep.",
        "",
        -4,
        False,
    ),
    (
        9,
        3,
        Channel.PHONE,
        Direction.INCOMING,
        "Preventiemedewerker reageert: wil meer weten.",
        "Afspraak maken.",
        6,
        False,
    ),
    (
        10,
        33,
        Channel.EMAIL,
        Direction.OUTGOING,
        "OM geïnformeerd over de KVU.",
        "Sluit aan bij het convenant, niet eerder.",
        None,
        False,
    ),
    (
        11,
        26,
        Channel.MEETING,
        Direction.INCOMING,
        "Bewonersvereniging vraagt om gesprek over overlast.",
        "Willen meedoen als adviserende partij.",
        -6,
        False,
    ),
    (11, 4, Channel.EMAIL, Direction.OUTGOING, "Verslag van het gesprek gestuurd.", "", 10, False),
    (
        12,
        18,
        Channel.PHONE,
        Direction.OUTGOING,
        "Beveiligingsbedrijf gebeld.",
        "Wil meedoen als de politie aansluit.",
        1,
        False,
    ),
    (
        15,
        22,
        Channel.EMAIL,
        Direction.OUTGOING,
        "Jongerenwerk geïnformeerd.",
        "Later in het traject betrekken.",
        None,
        False,
    ),
    (
        16,
        12,
        Channel.VISIT,
        Direction.OUTGOING,
        "Gesprek met de centrummanager.",
        "Ziet kansen voor een gezamenlijke aanpak.",
        0,
        False,
    ),
    (
        16,
        2,
        Channel.EMAIL,
        Direction.INCOMING,
        "Centrummanager stuurt bezoekerscijfers.",
        "",
        None,
        False,
    ),
]

APELDOORN_CONTACTS = [
    (
        0,
        30,
        Channel.MEETING,
        Direction.OUTGOING,
        "Startoverleg met de wethouder.",
        "Gemeente neemt de regie.",
        None,
        False,
    ),
    (
        1,
        12,
        Channel.PHONE,
        Direction.OUTGOING,
        "Wijkagent gebeld over de KVU.",
        "Geïnteresseerd.",
        -2,
        False,
    ),
    (
        2,
        8,
        Channel.EMAIL,
        Direction.OUTGOING,
        "KHN-afdeling uitgenodigd voor een kennismaking.",
        "",
        4,
        False,
    ),
    (
        4,
        5,
        Channel.VISIT,
        Direction.OUTGOING,
        "Kennismaking met de voorzitter.",
        "Zorgen over de dubbele rol van de gemeente.",
        9,
        False,
    ),
]

# (text, date in days ago, partner indexes, about the double role)
ENSCHEDE_AGREEMENTS = [
    (
        "De gemeente kondigt handhavingscontroles in het uitgaansgebied vooraf aan in het "
        "horecaoverleg. Controles naar aanleiding van meldingen blijven onaangekondigd; de "
        "KVU-projectleider voert zelf geen controles uit.",
        14,
        [0, 2, 3],
        True,
    ),
    ("KHN organiseert een informatieavond voor de ondernemers aan de Oude Markt.", 25, [2], False),
    ("Politie levert elk kwartaal de incidentcijfers van het uitgaansgebied.", 30, [1], False),
    (
        "Het Bolwerk vertelt op de ledenavond over zijn ervaringen met een KVU elders.",
        20,
        [5],
        False,
    ),
]

APELDOORN_AGREEMENTS = [
    (
        "De gemeente stuurt de horecavereniging vóór 1 februari een voorstel voor een KVU.",
        5,
        [4],
        False,
    ),
]


# What a partner typically says about each kind of concern (an open Concern row each).
CONCERN_SAID = {
    C.EXTRA_RULES: "Bang dat de KVU neerkomt op nog meer regels en controles voor de horeca.",
    C.EXTRA_COSTS: "Vraagt zich af wat het kost: extra portiers, camera's, tijd voor overleggen.",
    C.ALREADY_ENOUGH: "Vindt dat de zaak al genoeg doet aan veiligheid; ziet het nut niet.",
    C.DOUBLE_ROLE: "Hoe kan de gemeente partner zijn en tegelijk handhaven en vergunningen "
    "intrekken?",
    C.OPENING_HOURS: "Wil eerst weten of de KVU iets betekent voor de sluitingstijden.",
    C.OTHER: "Zorgen over geluidsoverlast en wildplassen na sluitingstijd in de straat.",
}

# Concerns that are further along: (partner index, kind, status, what the municipality does,
# index of the owner among the project's users, due in days from today or None, index of the
# agreement that settled it or None).
ENSCHEDE_CONCERN_PROGRESS = [
    (
        2,
        C.EXTRA_RULES,
        ConcernStatus.IN_PROGRESS,
        "Op de informatieavond van KHN uitleggen dat de KVU afspraken maakt, geen nieuwe "
        "regels; voorbeelden uit andere gemeenten laten zien.",
        0,
        21,
        None,
    ),
    (
        3,
        C.DOUBLE_ROLE,
        ConcernStatus.RESOLVED,
        "Afgesproken hoe handhaving en partnerschap samengaan: controles worden vooraf "
        "aangekondigd in het horecaoverleg.",
        0,
        None,
        0,
    ),
    (
        5,
        C.EXTRA_COSTS,
        ConcernStatus.OPEN,
        "Nagaan of de gemeente de eerste portierstraining betaalt.",
        1,
        -3,
        None,
    ),
]


def _at(days_ago: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _path_to(stage: str) -> list[str]:
    """The stages a partner went through to reach `stage`, for a believable history."""
    order = [S.NOT_APPROACHED, S.APPROACHED, S.INTERESTED, S.COMMITTED, S.SIGNED]
    if stage in order:
        return order[: order.index(stage) + 1]
    return [S.NOT_APPROACHED, S.APPROACHED, stage]


def _load_concerns(participations, partners, progress, agreements, users) -> int:
    """Every concern kind of a new partner becomes an open concern; `progress` moves some on."""
    further = {(index, kind): rest for index, kind, *rest in progress}
    created = 0
    for index, (participation, new, _persons) in enumerate(participations):
        if not new:
            continue
        for kind in partners[index][5]:
            status, response, owner, due, settled_by = further.get(
                (index, kind), (ConcernStatus.OPEN, "", None, None, None)
            )
            Concern.objects.create(
                participation=participation,
                kind=kind,
                partner_text=CONCERN_SAID[kind],
                response=response,
                owner=users[owner % len(users)] if owner is not None else None,
                due_date=(
                    timezone.localdate() + datetime.timedelta(days=due) if due is not None else None
                ),
                status=status,
                agreement=agreements[settled_by] if settled_by is not None else None,
            )
            created += 1
    return created


def _load_project(project, partners, contacts, agreements, users, concern_progress=()) -> int:
    created = 0
    participations = []
    for number, row in enumerate(partners):
        name, kind, stage, influence, interest, _concerns, interests, extra, persons = row
        org, new = Organisation.objects.get_or_create(
            municipality=project.municipality, name=name, defaults={"kind": kind, **extra}
        )
        created += new
        person_objects = []
        for person_name, function in persons:
            slug = person_name.lower().replace("mr. ", "").replace(" ", ".")
            person, new = Person.objects.get_or_create(
                organisation=org,
                name=person_name,
                defaults={
                    "function": function,
                    "email": f"{slug}@example.org",
                    "phone": f"06-{12345600 + number:08d}",
                },
            )
            created += new
            person_objects.append(person)
        participation, new = Participation.objects.get_or_create(
            project=project,
            organisation=org,
            defaults={
                "stage": stage,
                "role": default_role_for(kind),
                "main_contact": person_objects[0] if person_objects else None,
                "interests": interests,
                "influence": influence,
                "interest_level": interest,
            },
        )
        created += new
        if new:
            path = _path_to(stage)
            previous = ""
            for step, to_stage in enumerate(path):
                change = StageChange.objects.create(
                    participation=participation,
                    from_stage=previous,
                    to_stage=to_stage,
                    changed_by=users[step % len(users)],
                )
                # auto_now_add cannot be given a value on create; spread the history in the past.
                StageChange.objects.filter(pk=change.pk).update(
                    changed_at=_at(90 - 20 * step, hour=9 + step)
                )
                previous = to_stage
                created += 1
        participations.append((participation, new, person_objects))

    for index, days_ago, channel, direction, summary, outcome, follow_up, done in contacts:
        participation, new, persons = participations[index]
        if not new:
            continue
        moment = ContactMoment.objects.create(
            participation=participation,
            occurred_at=_at(days_ago, hour=9 + days_ago % 8),
            channel=channel,
            direction=direction,
            summary=summary,
            outcome=outcome,
            recorded_by=users[days_ago % len(users)],
            follow_up_on=(
                timezone.localdate() + datetime.timedelta(days=follow_up)
                if follow_up is not None
                else None
            ),
            follow_up_done=done,
        )
        moment.persons.set(persons[:1])
        created += 1

    agreement_objects = []
    for text, days_ago, indexes, double_role in agreements:
        agreement, new = Agreement.objects.get_or_create(
            project=project,
            text=text,
            defaults={
                "date": timezone.localdate() - datetime.timedelta(days=days_ago),
                "about_double_role": double_role,
                "recorded_by": users[0],
            },
        )
        if new:
            agreement.participations.set([participations[i][0] for i in indexes])
            created += 1
        agreement_objects.append(agreement)
    created += _load_concerns(participations, partners, concern_progress, agreement_objects, users)
    return created


def load() -> int:
    User = get_user_model()
    created = 0
    for project_name, partners, contacts, agreements, usernames, progress in (
        (
            "KVU Binnenstad Enschede",
            ENSCHEDE,
            ENSCHEDE_CONTACTS,
            ENSCHEDE_AGREEMENTS,
            ["projectleider", "collega"],
            ENSCHEDE_CONCERN_PROGRESS,
        ),
        (
            "KVU Centrum Apeldoorn",
            APELDOORN,
            APELDOORN_CONTACTS,
            APELDOORN_AGREEMENTS,
            ["projectleider2"],
            [],
        ),
    ):
        project = Project.objects.filter(name=project_name).select_related("municipality").first()
        users = list(User.objects.filter(username__in=usernames).order_by("username"))
        if project is None or not users:
            continue
        created += _load_project(project, partners, contacts, agreements, users, progress)
    return created
