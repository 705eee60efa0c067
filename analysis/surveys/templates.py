"""The Dutch question lists a new survey starts from, one per kind, after CCV's standard surveys.

They are the survey's content, not interface text: the leader edits them like any question the
leader typed. Entrepreneurs and residents are addressed with the formal "u"; visitors, mostly
young people on a night out, with "je", as the visitor surveys of municipalities do.
"""

from dataclasses import dataclass

from analysis.surveys.models import QuestionKind, SurveyKind

SINGLE, MULTIPLE, SCALE, OPEN = (
    QuestionKind.SINGLE,
    QuestionKind.MULTIPLE,
    QuestionKind.SCALE,
    QuestionKind.OPEN,
)


@dataclass(frozen=True)
class TemplateQuestion:
    text: str
    kind: str
    options: tuple[str, ...] = ()
    required: bool = False


Q = TemplateQuestion

ENTREPRENEURS = [
    Q(
        "Wat voor zaak heeft u?",
        SINGLE,
        (
            "Café of bar",
            "Restaurant of eetcafé",
            "Club of discotheek",
            "Snackbar of afhaal",
            "Anders",
        ),
    ),
    Q(
        "Hoe veilig voelt u zich in het uitgaansgebied tijdens uw openingstijden? "
        "(1 = zeer onveilig, 5 = zeer veilig)",
        SCALE,
        required=True,
    ),
    Q(
        "Is de veiligheid in het uitgaansgebied het afgelopen jaar veranderd?",
        SINGLE,
        ("Verbeterd", "Gelijk gebleven", "Verslechterd", "Weet ik niet"),
    ),
    Q(
        "Met welke incidenten kregen u of uw personeel het afgelopen jaar te maken?",
        MULTIPLE,
        (
            "Agressie of geweld tegen personeel",
            "Vechtpartijen in of bij de zaak",
            "Diefstal of inbraak",
            "Vernieling",
            "Wapenbezit bij bezoekers",
            "Geen van deze",
        ),
    ),
    Q(
        "Hoe vaak meldt u een incident bij de politie?",
        SINGLE,
        ("Altijd", "Meestal", "Soms", "Nooit", "Niet van toepassing"),
    ),
    Q(
        "Van welke overlast rond uw zaak heeft u last?",
        MULTIPLE,
        (
            "Geluid van bezoekers op straat",
            "Dronken bezoekers",
            "Wildplassen",
            "Zwerfafval en glas",
            "Rondhangende groepen",
            "Verkeer en taxi's",
            "Geen",
        ),
    ),
    Q(
        "Hoe vaak ziet u drugsgebruik of drugshandel in of rond uw zaak?",
        SINGLE,
        ("Nooit", "Een paar keer per jaar", "Maandelijks", "(Bijna) elk weekend"),
    ),
    Q(
        "Hoe beoordeelt u de straatverlichting rond uw zaak? (1 = zeer slecht, 5 = zeer goed)",
        SCALE,
    ),
    Q(
        "Welke maatregelen neemt u zelf?",
        MULTIPLE,
        (
            "Huisregels",
            "Portiers of beveiliging",
            "Camera's",
            "Leeftijdscontrole aan de deur",
            "Training van barpersoneel (alcohol en agressie)",
            "Geen",
        ),
    ),
    Q(
        "Hoe tevreden bent u over de samenwerking met de politie? "
        "(1 = zeer ontevreden, 5 = zeer tevreden)",
        SCALE,
    ),
    Q(
        "Hoe tevreden bent u over de samenwerking met de gemeente? "
        "(1 = zeer ontevreden, 5 = zeer tevreden)",
        SCALE,
    ),
    Q(
        "Wat vindt u van de sluitingstijden in het uitgaansgebied?",
        SINGLE,
        ("Te ruim", "Goed zoals ze zijn", "Te krap", "Geen mening"),
    ),
    Q("Wat moet er volgens u als eerste verbeteren in het uitgaansgebied?", OPEN),
    Q("Heeft u verder nog opmerkingen of ideeën?", OPEN),
]

VISITORS = [
    Q(
        "Hoe oud ben je?",
        SINGLE,
        ("16 of 17", "18 tot 20", "21 tot 24", "25 tot 34", "35 of ouder"),
    ),
    Q("Wat is je geslacht?", SINGLE, ("Man", "Vrouw", "Anders of zeg ik liever niet")),
    Q(
        "Hoe vaak ga je in dit gebied uit?",
        SINGLE,
        (
            "Elke week",
            "Een paar keer per maand",
            "Eens per maand of minder",
            "Vandaag voor het eerst",
        ),
    ),
    Q(
        "Hoe veilig voel je je in het uitgaansgebied? (1 = heel onveilig, 5 = heel veilig)",
        SCALE,
        required=True,
    ),
    Q(
        "Wat heb je het afgelopen halfjaar tijdens het uitgaan hier zelf meegemaakt?",
        MULTIPLE,
        (
            "Uitgescholden of bedreigd",
            "Geduwd of geslagen",
            "Bestolen",
            "Seksueel lastiggevallen",
            "Iets in mijn drankje gedaan",
            "Getuige van een vechtpartij",
            "Niets hiervan",
        ),
    ),
    Q(
        "Waar voel je je het minst veilig?",
        MULTIPLE,
        (
            "Op straat en pleinen",
            "In de rij voor een zaak",
            "In een zaak",
            "Bij de taxistandplaats of de bushalte",
            "Op weg naar huis",
            "Nergens",
        ),
    ),
    Q(
        "Hoe vaak zie je dat er drugs worden gebruikt of verhandeld?",
        SINGLE,
        ("Nooit", "Soms", "Vaak", "Weet ik niet"),
    ),
    Q(
        "Hoeveel alcohol drink je meestal voordat je de stad in gaat?",
        SINGLE,
        ("Niets", "1 of 2 glazen", "3 tot 5 glazen", "Meer dan 5 glazen"),
    ),
    Q("Hoe beoordeel je de straatverlichting 's nachts? (1 = heel slecht, 5 = heel goed)", SCALE),
    Q(
        "Hoe beoordeel je het optreden van portiers en beveiliging? "
        "(1 = heel slecht, 5 = heel goed)",
        SCALE,
    ),
    Q(
        "Hoe beoordeel je hoe zichtbaar politie en handhaving zijn? "
        "(1 = heel slecht, 5 = heel goed)",
        SCALE,
    ),
    Q(
        "Hoe ga je meestal naar huis?",
        SINGLE,
        (
            "Lopend",
            "Op de fiets",
            "Met de taxi",
            "Met het openbaar vervoer",
            "Met de auto",
            "Anders",
        ),
    ),
    Q("Wat zou uitgaan hier veiliger of prettiger maken?", OPEN),
]

RESIDENTS = [
    Q(
        "Hoe lang woont u in of bij het uitgaansgebied?",
        SINGLE,
        ("Korter dan 2 jaar", "2 tot 5 jaar", "5 tot 10 jaar", "Langer dan 10 jaar"),
    ),
    Q(
        "Hoe veilig voelt u zich 's avonds en 's nachts in uw buurt? "
        "(1 = zeer onveilig, 5 = zeer veilig)",
        SCALE,
        required=True,
    ),
    Q(
        "Van welke overlast door uitgaanspubliek heeft u last?",
        MULTIPLE,
        (
            "Geluid van bezoekers op straat",
            "Muziek uit zaken",
            "Wildplassen",
            "Zwerfafval en glas",
            "Vernieling",
            "Vechtpartijen of agressie",
            "Verkeer en taxi's",
            "Geen",
        ),
    ),
    Q(
        "Hoe vaak heeft u overlast van uitgaanspubliek?",
        SINGLE,
        ("(Bijna) elk weekend", "Een paar keer per maand", "Een paar keer per jaar", "Nooit"),
    ),
    Q(
        "Tot hoe laat duurt de overlast meestal?",
        SINGLE,
        ("Tot 01:00 uur", "Tot 03:00 uur", "Tot 05:00 uur", "Na 05:00 uur", "Niet van toepassing"),
    ),
    Q(
        "Ziet u in uw buurt drugsgebruik of drugshandel?",
        SINGLE,
        ("Nooit", "Soms", "Vaak", "Weet ik niet"),
    ),
    Q("Hoe beoordeelt u de straatverlichting in uw buurt? (1 = zeer slecht, 5 = zeer goed)", SCALE),
    Q(
        "Heeft u het afgelopen jaar overlast gemeld?",
        SINGLE,
        ("Ja, bij de gemeente", "Ja, bij de politie", "Ja, bij allebei", "Nee"),
    ),
    Q(
        "Hoe tevreden bent u over wat politie en gemeente met meldingen doen? "
        "(1 = zeer ontevreden, 5 = zeer tevreden)",
        SCALE,
    ),
    Q(
        "Wat vindt u van de sluitingstijden van de horeca in uw buurt?",
        SINGLE,
        ("Te laat", "Goed zoals ze zijn", "Mogen later", "Geen mening"),
    ),
    Q("Wat moet er volgens u als eerste verbeteren?", OPEN),
]

TEMPLATES = {
    SurveyKind.ENTREPRENEURS: ENTREPRENEURS,
    SurveyKind.VISITORS: VISITORS,
    SurveyKind.RESIDENTS: RESIDENTS,
}

TITLES = {
    SurveyKind.ENTREPRENEURS: "Enquête horecaondernemers",
    SurveyKind.VISITORS: "Enquête uitgaanspubliek",
    SurveyKind.RESIDENTS: "Enquête bewoners",
}

INTRODUCTIONS = {
    SurveyKind.ENTREPRENEURS: (
        "De gemeente, de politie en de horeca werken samen aan een veilig uitgaansgebied. "
        "Met deze vragenlijst horen wij graag hoe u de veiligheid rond uw zaak ervaart. "
        "Het invullen duurt ongeveer vijf minuten. Uw antwoorden gebruiken wij alleen voor de "
        "veiligheidsanalyse."
    ),
    SurveyKind.VISITORS: (
        "We willen uitgaan hier veiliger en leuker maken. Wil je ons in een paar minuten vertellen "
        "hoe jij het ervaart? Je antwoorden zijn anoniem."
    ),
    SurveyKind.RESIDENTS: (
        "De gemeente werkt met de politie en de horeca aan een veilig uitgaansgebied. Wij horen "
        "graag hoe u als bewoner de avonden en nachten in uw buurt ervaart. Het invullen duurt "
        "ongeveer vijf minuten."
    ),
}
