"""Small dead ends found by walking the application as a new user: the support meter's course,
the phase guide's tick link and the working group's representative."""

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import timezone

from kvu import guide
from partners import services
from partners.models import Stage, StageChange
from tests.guide_builders import K, partner


class _Elements(HTMLParser):
    """Every element with an id: {id: (tag, attributes)}."""

    def __init__(self):
        super().__init__()
        self.by_id = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.by_id[attrs["id"]] = (tag, attrs)


def _ids(html):
    parser = _Elements()
    parser.feed(html)
    return parser.by_id


def _moved(participation, to_stage, user, days_ago):
    services.move_stage(participation=participation, to_stage=to_stage, user=user)
    change = StageChange.objects.filter(participation=participation).latest("pk")
    at = timezone.now() - datetime.timedelta(days=days_ago)
    StageChange.objects.filter(pk=change.pk).update(changed_at=at)


def _course_rows(html):
    table = html.split("chart-table")[1].split("</table>")[0]
    return re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td></tr>", table)


# --- the support meter's course ---


def test_a_project_started_today_shows_one_row_and_the_same_on_every_load(
    client_for, project, leader
):
    """Twelve rows with today's date and changing values came from moments spread up to now."""
    for kind in (K.POLICE, K.HOSPITALITY, K.MUNICIPALITY):
        participation = partner(project, kind, Stage.NOT_APPROACHED)
        services.move_stage(participation=participation, to_stage=Stage.INTERESTED, user=leader)
    client = client_for(leader)
    url = reverse("guide", args=[project.pk])
    first, second = client.get(url).text, client.get(url).text
    rows = _course_rows(first)
    assert rows == _course_rows(second)
    assert len(rows) == 1
    assert guide.course(project) == [(timezone.localdate(), 50)]


def test_the_course_has_one_point_per_date_on_which_the_support_changed(project, leader):
    police = partner(project, K.POLICE, Stage.NOT_APPROACHED)
    bar = partner(project, K.HOSPITALITY, Stage.NOT_APPROACHED)
    type(police).objects.filter(pk__in=[police.pk, bar.pk]).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    _moved(police, Stage.APPROACHED, leader, days_ago=30)
    _moved(police, Stage.INTERESTED, leader, days_ago=30)  # the same day: one point
    _moved(bar, Stage.APPROACHED, leader, days_ago=20)
    _moved(bar, Stage.ON_HOLD, leader, days_ago=10)  # 25 as before: no change, no point
    _moved(bar, Stage.COMMITTED, leader, days_ago=5)
    course = guide.course(project)
    today = timezone.localdate()
    assert course == [
        (today - datetime.timedelta(days=40), 0),
        (today - datetime.timedelta(days=30), 25),
        (today - datetime.timedelta(days=20), 38),
        (today - datetime.timedelta(days=5), 63),
    ]
    assert guide.course(project) == course  # read again: the same
    days = [day for day, _score in course]
    assert len(set(days)) == len(days)
    assert course[-1][1] == guide.support([project])[project.pk].score


def test_the_course_is_bounded_to_the_most_recent_dates(project, leader):
    from partners.guide import COURSE_POINTS

    police = partner(project, K.POLICE, Stage.NOT_APPROACHED)
    type(police).objects.filter(pk=police.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=200)
    )
    stages = [Stage.APPROACHED, Stage.INTERESTED]
    for i in range(COURSE_POINTS + 10):
        _moved(police, stages[i % 2], leader, days_ago=100 - i)
    course = guide.course(project)
    assert len(course) == COURSE_POINTS
    assert (
        course[-1][0]
        == (timezone.now() - datetime.timedelta(days=100 - 33))
        .astimezone(timezone.get_default_timezone())
        .date()
    )


def test_a_stage_set_without_history_still_ends_the_course_at_the_meters_figure(project):
    police = partner(project, K.POLICE, Stage.COMMITTED)  # a factory row: no stage change
    type(police).objects.filter(pk=police.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    assert guide.course(project) == [(timezone.localdate() - datetime.timedelta(days=3), 75)]


# --- the phase guide's tick link ---


def _tick_link_targets(client, url):
    page = client.get(url).text
    hrefs = re.findall(r'<a class="guide-link" href="([^"]+)" data-step="knowledge">', page)
    return page, hrefs


def test_the_tick_link_goes_to_the_tick_form_on_the_guide_page(client_for, project, leader):
    client = client_for(leader)
    for url in (reverse("guide", args=[project.pk]), project.get_absolute_url()):
        _page, hrefs = _tick_link_targets(client, url)
        assert len(hrefs) == 1, url
        target = urlsplit(hrefs[0])
        assert target.path == reverse("guide", args=[project.pk])
        guide_page = client.get(target.path).text
        tag, attrs = _ids(guide_page)[target.fragment]
        assert tag == "form"
        assert attrs["action"] == reverse("guide_step", args=[project.pk, "knowledge"])
        form = guide_page.split(f'id="{target.fragment}"')[1].split("</form>")[0]
        assert 'name="action" value="tick"' in form
        assert 'name="ticked"' in form


def test_a_viewer_gets_no_tick_link_to_a_form_it_cannot_use(client_for, project, viewer):
    _page, hrefs = _tick_link_targets(client_for(viewer), reverse("guide", args=[project.pk]))
    assert hrefs == []


# --- the working group's representative and tab ---


def _member_with_persons(project):
    from partners.models import WorkingGroupMember
    from tests.factories import PersonFactory
    from tests.guide_builders import answer, declaration

    municipality = partner(project, K.MUNICIPALITY, Stage.SIGNED)
    mayor = municipality.organisation.persons.get()
    official = PersonFactory(organisation=municipality.organisation, name="Ambtenaar Veiligheid")
    answer(declaration(project), municipality)
    member = WorkingGroupMember.objects.create(participation=municipality, person=mayor)
    return member, mayor, official


def test_the_leader_chooses_who_represents_a_member(client_for, project, leader):
    from auditlog.models import LogEntry

    member, mayor, official = _member_with_persons(project)
    client = client_for(leader)
    client.cookies["django_language"] = "en"
    url = reverse("working_group_member", args=[project.pk, member.pk])
    page = client.get(reverse("working_group", args=[project.pk])).text
    assert f'href="{url}"' in page
    assert mayor.name in page
    form = client.get(url).context["form"]
    response = client.post(url, {"person": official.pk, "version": form["version"].value()})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.person == official
    assert LogEntry.objects.get_for_object(member).filter(actor=leader).exists()
    page = client.get(reverse("working_group", args=[project.pk])).text
    assert "Ambtenaar Veiligheid" in page


def test_a_person_of_another_organisation_cannot_represent_a_member(client_for, project, leader):
    from tests.factories import PersonFactory

    member, mayor, _official = _member_with_persons(project)
    stranger = PersonFactory(organisation__municipality=project.municipality)
    url = reverse("working_group_member", args=[project.pk, member.pk])
    for bad in (stranger.pk, "x", "99999999999999999999"):
        response = client_for(leader).post(url, {"person": bad})
        assert response.status_code == 200
        assert response.context["form"].errors["person"]
    member.refresh_from_db()
    assert member.person == mayor


def test_a_viewer_sees_the_representative_but_cannot_change_it(client_for, project, viewer):
    member, mayor, official = _member_with_persons(project)
    client = client_for(viewer)
    url = reverse("working_group_member", args=[project.pk, member.pk])
    page = client.get(reverse("working_group", args=[project.pk])).text
    assert mayor.name in page
    assert url not in page
    assert client.post(url, {"person": official.pk}).status_code == 403


def test_a_new_member_is_represented_by_its_main_contact(project, leader):
    from partners.models import WorkingGroupMember
    from partners.workgroup.services import set_working_group
    from tests.factories import PersonFactory
    from tests.guide_builders import answer, declaration

    police = partner(project, K.POLICE, Stage.SIGNED)
    main = PersonFactory(organisation=police.organisation, name="Wijkagent")
    police.main_contact = main
    police.save(update_fields=["main_contact"])
    answer(declaration(project), police)
    set_working_group(project=project, participations=[police], user=leader)
    assert WorkingGroupMember.objects.get(participation=police).person == main


def test_the_working_group_has_a_tab_in_the_tab_bar(client_for, project, leader):
    member, _mayor, _official = _member_with_persons(project)
    client = client_for(leader)
    client.cookies["django_language"] = "en"
    url = reverse("working_group", args=[project.pk])
    pages = {
        project.get_absolute_url(): "",
        url: " active",
        reverse("working_group_member", args=[project.pk, member.pk]): " active",
    }
    for page_url, active in pages.items():
        nav = client.get(page_url).text.split('class="project-nav')[1].split("</nav>")[0]
        assert f'<a class="nav-link{active}" href="{url}"' in nav, page_url
        assert ">Working group</a>" in nav
