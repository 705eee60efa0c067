"""The area profile of the safety analysis: the area page, its streets and establishments, and
the key figures with their table and chart."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analysis.models import AreaProfile, Establishment, Finding, KeyFigure, Street
from analysis.profile.charts import column_chart
from partners.models import OrganisationKind
from tests.factories import (
    FindingFactory,
    KeyFigureFactory,
    KnelpuntFactory,
    ParticipationFactory,
    StreetFactory,
    WalkThroughFactory,
)

# URL name -> (method, kwargs builder); the objects come from the `objects` fixture.
READ_URLS = ["area_profile", "figures"]
WRITE_URLS = [
    "profile_edit",
    "street_add",
    "street_edit",
    "street_delete",
    "establishment_edit",
    "figure_add",
    "figure_edit",
    "figure_delete",
]


@pytest.fixture
def objects(analysis, partner):
    return {
        "street": StreetFactory(analysis=analysis, name="Oude Markt"),
        "figure": KeyFigureFactory(analysis=analysis, kind="incidents", year=2025, value=104),
        "partner": partner,
    }


def _url(name, project, objects):
    kwargs = {"project_pk": project.pk}
    if name.startswith("street_") and name != "street_add":
        kwargs["pk"] = objects["street"].pk
    elif name in ("figure_edit", "figure_delete"):
        kwargs["pk"] = objects["figure"].pk
    elif name == "establishment_edit":
        kwargs["participation_pk"] = objects["partner"].pk
    return reverse(name, kwargs=kwargs)


def _logged(obj_model, pk, action):
    from django.contrib.contenttypes.models import ContentType

    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj_model), object_pk=str(pk), action=action
    ).exists()


# --- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", READ_URLS + WRITE_URLS)
def test_outsider_gets_404_on_every_profile_url(client_for, outsider, project, objects, name):
    client = client_for(outsider)
    url = _url(name, project, objects)
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


@pytest.mark.parametrize("name", WRITE_URLS)
def test_viewer_gets_403_on_every_profile_change(client_for, viewer, project, objects, name):
    client = client_for(viewer)
    url = _url(name, project, objects)
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Walstraat", "description": "x"}).status_code == 403
    assert Street.objects.filter(analysis__project=project).count() == 1
    assert KeyFigure.objects.filter(analysis__project=project).count() == 1


@pytest.mark.parametrize("name", READ_URLS)
def test_viewer_reads_the_pages_without_edit_links(client_for, viewer, project, objects, name):
    response = client_for(viewer).get(_url(name, project, objects))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("profile_edit", args=[project.pk]) not in html
    assert reverse("figure_add", args=[project.pk]) not in html


def test_profile_pages_answer_404_before_the_analysis_started(client_for, leader, project):
    for name in READ_URLS:
        assert client_for(leader).get(reverse(name, args=[project.pk])).status_code == 404


# --- the area page --------------------------------------------------------------------------


def test_area_page_counts_establishments_per_kind_and_totals_their_capacity(
    client_for, leader, project, analysis
):
    cafe = ParticipationFactory(project=project, organisation__name="Café Zwaan")
    club = ParticipationFactory(project=project, organisation__name="Club Nacht")
    bar = ParticipationFactory(project=project, organisation__name="Bar Noord")
    ParticipationFactory(project=project, organisation__name="Snackbar Zonder Beschrijving")
    ParticipationFactory(
        project=project, organisation__name="Politie", organisation__kind=OrganisationKind.POLICE
    )
    street = StreetFactory(analysis=analysis, name="Walstraat")
    Establishment.objects.create(analysis=analysis, participation=cafe, kind="bar", capacity=150)
    Establishment.objects.create(
        analysis=analysis, participation=club, kind="club", capacity=600, street=street
    )
    Establishment.objects.create(analysis=analysis, participation=bar, kind="bar")

    response = client_for(leader).get(reverse("area_profile", args=[project.pk]))

    info = response.context["establishments"]
    assert [row.participation.organisation.name for row in info.rows] == [
        "Bar Noord",
        "Café Zwaan",
        "Club Nacht",
        "Snackbar Zonder Beschrijving",
    ]  # hospitality partners only: the police is no establishment
    assert {k.kind: k.count for k in info.kinds} == {"bar": 2, "club": 1}
    assert info.not_described == 1
    assert info.total_capacity == 750
    assert info.with_capacity == 2
    html = response.content.decode()
    assert 'id="total-capacity">750<' in html
    assert 'id="kinds-not-described"' in html
    assert "Walstraat" in html


def test_area_page_shows_the_profile_and_the_streets_with_their_findings(
    client_for, leader, project, analysis
):
    profile = AreaProfile.objects.get(analysis=analysis)
    profile.description, profile.capacity, profile.peak_hours = (
        "Rond de Oude Markt.",
        6500,
        "00:00-03:00",
    )
    profile.save()
    street = StreetFactory(analysis=analysis, name="Oude Markt")
    FindingFactory.create_batch(
        2, walk_through=WalkThroughFactory(analysis=analysis), street=street
    )

    response = client_for(leader).get(reverse("area_profile", args=[project.pk]))

    html = response.content.decode()
    assert "Rond de Oude Markt." in html
    assert 'id="profile-capacity">6500<' in html
    assert "00:00-03:00" in html
    assert [s.finding_count for s in response.context["streets"]] == [2]


def test_leader_edits_the_profile(client_for, leader, project, analysis):
    data = {
        "description": "Het gebied rond de Oude Markt.",
        "functions": "Wonen, winkels.",
        "capacity": "6500",
        "peak_nights": "vrijdag en zaterdag",
        "peak_hours": "00:00-03:00",
    }
    response = client_for(leader).post(reverse("profile_edit", args=[project.pk]), data)
    assert response.status_code == 302
    profile = AreaProfile.objects.get(analysis=analysis)
    assert profile.capacity == 6500
    assert profile.peak_nights == "vrijdag en zaterdag"
    assert _logged(AreaProfile, profile.pk, LogEntry.Action.UPDATE)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("capacity", "-5"),
        ("capacity", "2000000"),
        ("peak_hours", "00:00\n03:00"),
        ("description", "x" * 5001),
    ],
)
def test_bad_profile_input_is_refused_and_changes_nothing(
    client_for, leader, project, analysis, field, value
):
    data = {
        "description": "Nieuw",
        "functions": "",
        "capacity": "10",
        "peak_nights": "",
        "peak_hours": "",
    }
    data[field] = value
    response = client_for(leader).post(reverse("profile_edit", args=[project.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert AreaProfile.objects.get(analysis=analysis).description == ""


def test_profile_edit_over_a_newer_change_is_refused(client_for, leader, editor, project, analysis):
    url = reverse("profile_edit", args=[project.pk])
    form = client_for(leader).get(url).context["form"]
    version = form["version"].value()
    profile = AreaProfile.objects.get(analysis=analysis)
    profile.description = "Door de collega"
    profile.save()
    data = {"description": "Van mij", "capacity": "", "version": version}
    response = client_for(leader).post(url, data)
    assert response.status_code == 200
    assert AreaProfile.objects.get(analysis=analysis).description == "Door de collega"


# --- streets --------------------------------------------------------------------------------


def test_leader_adds_renames_and_keeps_streets_unique(client_for, leader, project, analysis):
    client = client_for(leader)
    assert (
        client.post(reverse("street_add", args=[project.pk]), {"name": " Oude  Markt "}).status_code
        == 302
    )
    street = Street.objects.get(analysis=analysis)
    assert street.name == "Oude Markt"
    assert _logged(Street, street.pk, LogEntry.Action.CREATE)

    response = client.post(reverse("street_add", args=[project.pk]), {"name": "oude markt"})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert Street.objects.filter(analysis=analysis).count() == 1

    client.post(reverse("street_edit", args=[project.pk, street.pk]), {"name": "Walstraat"})
    street.refresh_from_db()
    assert street.name == "Walstraat"
    assert _logged(Street, street.pk, LogEntry.Action.UPDATE)


@pytest.mark.parametrize("name", ["", "   ", "Oude\nMarkt", "x" * 121])
def test_bad_street_names_are_refused(client_for, leader, project, analysis, name):
    response = client_for(leader).post(reverse("street_add", args=[project.pk]), {"name": name})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not Street.objects.filter(analysis=analysis).exists()


def test_street_of_another_project_is_404(client_for, leader, project, analysis):
    other = StreetFactory()  # another analysis, another municipality
    url = reverse("street_edit", args=[project.pk, other.pk])
    assert client_for(leader).get(url).status_code == 404


def test_deleting_a_street_keeps_its_findings_without_a_street(
    client_for, leader, project, analysis, partner
):
    street = StreetFactory(analysis=analysis, name="Walstraat")
    findings = FindingFactory.create_batch(
        2, walk_through=WalkThroughFactory(analysis=analysis), street=street
    )
    establishment = Establishment.objects.create(
        analysis=analysis, participation=partner, kind="bar", street=street
    )
    knelpunt = KnelpuntFactory(analysis=analysis)
    knelpunt.streets.add(street)
    client = client_for(leader)
    url = reverse("street_delete", args=[project.pk, street.pk])

    confirm = client.get(url)
    assert confirm.context["findings"] == 2
    assert confirm.context["establishments"] == 1
    assert 'id="street-delete-warning"' in confirm.content.decode()

    assert client.post(url).status_code == 302
    assert not Street.objects.filter(pk=street.pk).exists()
    assert Finding.objects.filter(pk__in=[f.pk for f in findings], street=None).count() == 2
    establishment.refresh_from_db()
    assert establishment.street is None
    assert not knelpunt.streets.exists()
    # Each change is in the audit trail, not only the street's deletion.
    assert _logged(Street, street.pk, LogEntry.Action.DELETE)
    assert all(_logged(Finding, f.pk, LogEntry.Action.UPDATE) for f in findings)
    assert _logged(Establishment, establishment.pk, LogEntry.Action.UPDATE)


# --- establishments -------------------------------------------------------------------------


def test_establishment_edit_creates_then_updates_one_row(
    client_for, leader, project, analysis, partner
):
    street = StreetFactory(analysis=analysis, name="Oude Markt")
    client = client_for(leader)
    url = reverse("establishment_edit", args=[project.pk, partner.pk])
    data = {
        "kind": "bar",
        "opening_hours": "do-za 16:00-02:00",
        "capacity": "180",
        "street": street.pk,
    }
    assert client.post(url, data).status_code == 302
    form = client.get(url).context["form"]
    data = {**data, "kind": "club", "capacity": "250", "version": form["version"].value()}
    assert client.post(url, data).status_code == 302
    establishment = Establishment.objects.get(analysis=analysis, participation=partner)
    assert (establishment.kind, establishment.capacity, establishment.street) == (
        "club",
        250,
        street,
    )
    assert _logged(Establishment, establishment.pk, LogEntry.Action.CREATE)
    assert _logged(Establishment, establishment.pk, LogEntry.Action.UPDATE)


@pytest.mark.parametrize(
    ("field", "value"),
    [("kind", ""), ("kind", "casino"), ("capacity", "-1"), ("capacity", "100001")],
)
def test_bad_establishment_input_changes_nothing(
    client_for, leader, project, analysis, partner, field, value
):
    data = {"kind": "bar", "opening_hours": "", "capacity": "10", "street": ""}
    data[field] = value
    url = reverse("establishment_edit", args=[project.pk, partner.pk])
    response = client_for(leader).post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Establishment.objects.exists()


def test_establishment_refuses_a_street_of_another_analysis(
    client_for, leader, project, analysis, partner
):
    foreign = StreetFactory()
    url = reverse("establishment_edit", args=[project.pk, partner.pk])
    response = client_for(leader).post(url, {"kind": "bar", "street": foreign.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["street"]
    assert not Establishment.objects.exists()


def test_only_hospitality_partners_of_the_project_are_establishments(
    client_for, leader, project, analysis
):
    police = ParticipationFactory(project=project, organisation__kind=OrganisationKind.POLICE)
    elsewhere = ParticipationFactory()  # a café of another project
    client = client_for(leader)
    for participation in (police, elsewhere):
        url = reverse("establishment_edit", args=[project.pk, participation.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"kind": "bar"}).status_code == 404
    assert not Establishment.objects.exists()


# --- key figures ----------------------------------------------------------------------------


def _figure(**changes):
    return {
        "kind": "violence",
        "label": "",
        "year": "2024",
        "value": "69",
        "source": "Politie",
        **changes,
    }


def test_leader_adds_a_figure_and_the_page_shows_table_and_chart(
    client_for, leader, project, analysis
):
    client = client_for(leader)
    for year, value in ((2023, "74"), (2024, "69"), (2025, "58.5")):
        response = client.post(
            reverse("figure_add", args=[project.pk]), _figure(year=str(year), value=value)
        )
        assert response.status_code == 302
    figure = KeyFigure.objects.get(analysis=analysis, year=2025)
    assert figure.value == Decimal("58.5")
    assert _logged(KeyFigure, figure.pk, LogEntry.Action.CREATE)

    page = client.get(reverse("figures", args=[project.pk]))
    html = page.content.decode()
    ((_series, chart),) = page.context["series"]
    assert [c.year for c in chart.columns] == [2023, 2024, 2025]
    assert '<svg class="figure-chart' in html
    assert 'role="img"' in html
    assert 'aria-labelledby="series-1-chart-title"' in html
    assert '<title id="series-1-chart-title">' in html
    assert 'id="series-1-table"' in html
    assert "58,5" in html  # Dutch decimal comma in the table and the label
    # Coordinates are never localised: "12,5" would break the drawing.
    assert 'height="' in html
    assert not any(f'="{n},' in html for n in range(10))


def test_duplicate_year_of_a_figure_is_a_form_error_not_a_crash(
    client_for, leader, project, analysis
):
    KeyFigureFactory(analysis=analysis, kind="violence", year=2024, value=69)
    response = client_for(leader).post(
        reverse("figure_add", args=[project.pk]), _figure(value="70")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert KeyFigure.objects.filter(analysis=analysis).count() == 1


def test_editing_a_figure_into_an_existing_year_is_refused(client_for, leader, project, analysis):
    KeyFigureFactory(analysis=analysis, kind="violence", year=2024, value=69)
    other = KeyFigureFactory(analysis=analysis, kind="violence", year=2025, value=58)
    url = reverse("figure_edit", args=[project.pk, other.pk])
    response = client_for(leader).post(url, _figure(year="2024"))
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    other.refresh_from_db()
    assert other.year == 2025


def test_other_figure_needs_a_name_and_named_kinds_drop_theirs(
    client_for, leader, project, analysis
):
    client = client_for(leader)
    url = reverse("figure_add", args=[project.pk])
    response = client.post(url, _figure(kind="other", label=""))
    assert response.context["form"].errors["label"]
    assert not KeyFigure.objects.exists()

    client.post(url, _figure(kind="other", label="Aantal taxiritten"))
    client.post(url, _figure(kind="incidents", label="wordt genegeerd"))
    assert set(KeyFigure.objects.values_list("kind", "label")) == {
        ("other", "Aantal taxiritten"),
        ("incidents", ""),
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("year", "1989"),
        ("year", "2101"),
        ("value", "-1"),
        ("value", "abc"),
        ("value", "NaN"),
        ("value", "999999999999"),
        ("source", ""),
        ("kind", "weather"),
    ],
)
def test_bad_figure_input_changes_nothing(client_for, leader, project, analysis, field, value):
    response = client_for(leader).post(
        reverse("figure_add", args=[project.pk]), _figure(**{field: value})
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not KeyFigure.objects.exists()


def test_deleting_a_figure_takes_it_off_the_knelpunten_that_cite_it(
    client_for, leader, project, analysis
):
    figure = KeyFigureFactory(analysis=analysis, year=2024)
    knelpunt = KnelpuntFactory(analysis=analysis)
    knelpunt.figures.add(figure)
    client = client_for(leader)
    url = reverse("figure_delete", args=[project.pk, figure.pk])
    assert client.get(url).context["cited"] == 1
    assert client.post(url).status_code == 302
    assert not KeyFigure.objects.filter(pk=figure.pk).exists()
    assert not knelpunt.figures.exists()
    assert _logged(KeyFigure, figure.pk, LogEntry.Action.DELETE)


def test_figures_are_grouped_per_figure_with_other_figures_by_name(
    client_for, leader, project, analysis
):
    KeyFigureFactory(analysis=analysis, kind="other", label="Taxiritten", year=2024)
    KeyFigureFactory(analysis=analysis, kind="nuisance", year=2025)
    KeyFigureFactory(analysis=analysis, kind="incidents", year=2024)
    KeyFigureFactory(analysis=analysis, kind="incidents", year=2023)
    series = [
        s
        for s, _chart in client_for(leader)
        .get(reverse("figures", args=[project.pk]))
        .context["series"]
    ]
    assert [(s.kind, [f.year for f in s.figures]) for s in series] == [
        ("incidents", [2023, 2024]),
        ("nuisance", [2025]),
        ("other", [2024]),
    ]
    assert series[-1].name == "Taxiritten"


# --- the chart ------------------------------------------------------------------------------


def test_chart_highest_value_fills_the_plot_and_others_scale():
    chart = column_chart([(2023, Decimal(100)), (2024, Decimal(50)), (2025, Decimal(0))])
    high, half, zero = chart.columns
    assert high.y == 18  # the top of the plot
    assert high.y + high.height == chart.baseline
    assert half.height == pytest.approx(high.height / 2, abs=0.1)
    assert zero.height == 0
    assert high.x < half.x < zero.x
    assert all(c.x + c.width <= chart.right for c in chart.columns)


def test_chart_of_nothing_is_none_and_of_zeros_is_flat():
    assert column_chart([]) is None
    chart = column_chart([(2024, Decimal(0))])
    assert chart.columns[0].height == 0


# --- constant query counts ------------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _fill(project, analysis, n, start):
    """n streets with a finding each, n described hospitality partners, n years of two figures."""
    walk = WalkThroughFactory(analysis=analysis)
    for i in range(start, start + n):
        street = StreetFactory(analysis=analysis, name=f"Straat {i}")
        FindingFactory(walk_through=walk, street=street)
        participation = ParticipationFactory(project=project)
        Establishment.objects.create(
            analysis=analysis, participation=participation, kind="bar", capacity=i, street=street
        )
        KeyFigureFactory(analysis=analysis, kind="incidents", year=1990 + i)
        KeyFigureFactory(analysis=analysis, kind="other", label=f"Figuur {i}", year=2020)


@pytest.mark.parametrize("name", ["area_profile", "figures"])
def test_profile_pages_query_count_is_the_same_for_3_and_30_of_everything(
    client_for, leader, project, analysis, name
):
    """Prevents an N+1 on each street's findings, each partner's establishment and street, and
    each figure's series."""
    client = client_for(leader)
    url = reverse(name, args=[project.pk])
    _fill(project, analysis, 3, 0)
    client.get(url)  # warm the per-process caches (content types, translations)
    few = _count(client, url)
    _fill(project, analysis, 27, 3)
    assert _count(client, url) == few
