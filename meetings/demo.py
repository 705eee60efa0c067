"""Demo data of the meetings app: three meetings of the Enschede project with minutes and actions.

Builds on the partners demo (partners/demo/outreach.py) by organisation and person names; when a
name is missing it creates a minimal organisation, participation and person, so this module also
works alone. Idempotent: a meeting that exists (same project and title) is left alone.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from kvu.models import Project
from meetings import services
from meetings.models import (
    ActionItem,
    ActionItemStatus,
    Attendance,
    Attendee,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from partners.models import (
    Organisation,
    OrganisationKind,
    Participation,
    Person,
    default_role_for,
)

PROJECT = "KVU Binnenstad Enschede"
GEMEENTE = ("Gemeente Enschede – Openbare Orde en Veiligheid", OrganisationKind.MUNICIPALITY)
POLITIE = ("Politie Oost-Nederland, basisteam Enschede", OrganisationKind.POLICE)
KHN = ("KHN afdeling Enschede", OrganisationKind.KHN)
VERENIGING = ("Horecavereniging Oude Markt", OrganisationKind.HOSPITALITY_ASSOCIATION)
BOLWERK = ("Grand Café Het Bolwerk", OrganisationKind.HOSPITALITY)
RUITER = ("Café De Zwarte Ruiter", OrganisationKind.HOSPITALITY)

INTRO_MINUTES = {
    2: "De projectleider liet resultaten zien uit Eindhoven en Utrecht: minder geweld rond "
    "sluitingstijd en betere samenwerking tussen portiers en politie.",
    3: "De burgemeester ziet de meerwaarde vooral in vaste afspraken met de horeca over "
    "incidenten en in één aanspreekpunt. De politie wil de cijfers per kwartaal delen.",
    5: "Eerst KHN en de horecavereniging benaderen, daarna een presentatie voor de ondernemers.",
}
PRESENTATION_MINUTES = {
    1: "Ervaringen uit Eindhoven en Utrecht toegelicht; vragen over de kosten van deelname.",
    2: "De KVU vraagt tijd voor de werkgroep en het naleven van de afspraken; het levert een "
    "veiliger plein, één aanspreekpunt en een beter imago op.",
    3: "Zorg over de dubbele rol van de gemeente besproken; zie de afspraak hieronder.",
    4: "Vragen over ruimere sluitingstijden: die horen niet bij de KVU, maar de gemeente wil er "
    "apart over praten.",
}


def _person(project, organisation, person_name: str, function: str) -> Person:
    name, kind = organisation
    org, _ = Organisation.objects.get_or_create(
        municipality=project.municipality, name=name, defaults={"kind": kind}
    )
    Participation.objects.get_or_create(
        project=project, organisation=org, defaults={"role": default_role_for(kind)}
    )
    slug = person_name.lower().replace(" ", ".")
    person, _ = Person.objects.get_or_create(
        organisation=org,
        name=person_name,
        defaults={"function": function, "email": f"{slug}@example.org"},
    )
    return person


def _participation(project, organisation) -> Participation:
    return Participation.objects.get(project=project, organisation__name=organisation[0])


def _meeting(project, user, *, minutes=None, **data) -> tuple[Meeting, bool]:
    existing = Meeting.objects.filter(project=project, title=data["title"]).first()
    if existing:
        return existing, False
    with translation.override("nl"):
        meeting = services.create_meeting(project=project, user=user, data=data)
    for index, item in enumerate(meeting.agenda_items.all()):
        if minutes and index in minutes:
            item.minutes = minutes[index]
            item.save(update_fields=["minutes"])
    return meeting, True


def _attend(meeting, people: list[tuple[object, str]], *, invited: bool):
    now = timezone.now() if invited else None
    for who, attendance in people:
        field = "user" if isinstance(who, get_user_model()) else "person"
        Attendee.objects.create(
            meeting=meeting, attendance=attendance, invited_at=now, **{field: who}
        )


def load() -> int:
    project = Project.objects.filter(name=PROJECT).select_related("municipality").first()
    User = get_user_model()
    leader = User.objects.filter(username="projectleider").first()
    colleague = User.objects.filter(username="collega").first()
    if project is None or leader is None or colleague is None:
        return 0
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    kok = _person(project, POLITIE, "Martijn Kok", "teamchef")
    smit = _person(project, GEMEENTE, "Anouk Smit", "beleidsadviseur OOV")
    nijhuis = _person(project, KHN, "Hans Nijhuis", "voorzitter afdeling")
    brink = _person(project, KHN, "Ellen Brink", "regioadviseur KHN")
    egberink = _person(project, VERENIGING, "Gerrit Oude Egberink", "voorzitter")
    wolters = _person(project, BOLWERK, "Sandra Wolters", "bedrijfsleider")
    lammers = _person(project, RUITER, "Jeroen Lammers", "eigenaar")
    created = 0

    intro, new = _meeting(
        project,
        leader,
        minutes=INTRO_MINUTES,
        title="Kennismakingsgesprek KVU met burgemeester en politiechef",
        kind=MeetingKind.INTRO_TALK,
        date=today - 45 * day,
        start_time=datetime.time(10, 0),
        end_time=datetime.time(11, 30),
        location="Stadhuis Enschede, Langestraat 24, kamer van de burgemeester",
        status=MeetingStatus.HELD,
    )
    if new:
        created += 1
        _attend(
            intro,
            [
                (leader, Attendance.PRESENT),
                (colleague, Attendance.EXCUSED),
                (smit, Attendance.PRESENT),
                (kok, Attendance.PRESENT),
            ],
            invited=True,
        )
        services.record_agreement(
            meeting=intro,
            user=leader,
            text="De politie levert elk kwartaal de incidentcijfers van het uitgaansgebied "
            "Oude Markt aan de projectleider.",
            participations=[_participation(project, POLITIE)],
        )
        services.record_agreement(
            meeting=intro,
            user=leader,
            text="De burgemeester opent de presentatie voor de horecaondernemers.",
            participations=[_participation(project, GEMEENTE)],
        )
        ActionItem.objects.create(
            meeting=intro,
            description="Incidentcijfers van de afgelopen twee jaar aanleveren",
            owner_person=kok,
            due_date=today - 10 * day,
        )
        ActionItem.objects.create(
            meeting=intro,
            description="Presentatie voor de horecaondernemers voorbereiden",
            owner_user=leader,
            due_date=today - 25 * day,
            status=ActionItemStatus.DONE,
        )

    presentation, new = _meeting(
        project,
        leader,
        minutes=PRESENTATION_MINUTES,
        title="Presentatie KVU voor de horeca van de Oude Markt",
        kind=MeetingKind.ENTREPRENEURS,
        date=today - 20 * day,
        start_time=datetime.time(20, 0),
        end_time=datetime.time(21, 40),
        location="Grand Café Het Bolwerk, Oude Markt 12",
        status=MeetingStatus.HELD,
    )
    if new:
        created += 1
        _attend(
            presentation,
            [
                (leader, Attendance.PRESENT),
                (nijhuis, Attendance.PRESENT),
                (brink, Attendance.PRESENT),
                (egberink, Attendance.PRESENT),
                (wolters, Attendance.PRESENT),
                (lammers, Attendance.ABSENT),
            ],
            invited=True,
        )
        services.record_agreement(
            meeting=presentation,
            user=leader,
            text="Handhaving blijft controleren, maar de gemeente licht controles achteraf toe "
            "in het KVU-overleg; klachten over handhaving lopen via één aanspreekpunt.",
            participations=[
                _participation(project, VERENIGING),
                _participation(project, KHN),
            ],
            about_double_role=True,
        )
        ActionItem.objects.create(
            meeting=presentation,
            description="Leden van de horecavereniging raadplegen over deelname",
            owner_person=egberink,
            due_date=today - 3 * day,
        )
        ActionItem.objects.create(
            meeting=presentation,
            description="Concept van de intentieverklaring rondsturen",
            owner_user=leader,
            due_date=today + 7 * day,
        )

    working_group, new = _meeting(
        project,
        leader,
        title="Eerste werkgroepoverleg KVU Binnenstad",
        kind=MeetingKind.WORKING_GROUP,
        date=today + 21 * day,
        start_time=datetime.time(19, 30),
        end_time=datetime.time(21, 0),
        location="Stadhuis Enschede, zaal 2.14",
    )
    if new:
        created += 1
        _attend(
            working_group,
            [
                (leader, Attendance.UNKNOWN),
                (smit, Attendance.UNKNOWN),
                (kok, Attendance.UNKNOWN),
                (nijhuis, Attendance.UNKNOWN),
                (egberink, Attendance.UNKNOWN),
            ],
            invited=False,
        )
    return created
