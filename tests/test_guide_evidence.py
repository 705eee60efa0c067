"""Each derived guide step: the data that makes it true and the nearest data that keeps it false."""

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import translation

from kvu import guide
from kvu.models import GuideStepRecord
from meetings.models import MeetingKind, MeetingStatus
from partners.models import Stage, WorkingGroupMember
from tests.factories import AgreementFactory, ProjectFactory
from tests.guide_builders import (
    K,
    answer,
    complete_project,
    core_partners,
    declaration,
    meeting,
    partner,
    person_of,
)


def step(project, key):
    state = guide.evaluate([project])[project.pk]
    return next(s for s in state.steps if s.step.key == key)


def test_knowledge_is_done_only_when_ticked(project):
    record = GuideStepRecord.objects.create(project=project, step="knowledge", note="Later.")
    assert not step(project, "knowledge").done
    record.ticked = True
    record.save()
    state = step(project, "knowledge")
    assert state.done
    assert state.evidence[0].text == "Later."


def test_intro_talk_held_with_mayor_and_police_is_done(project, leader):
    police = partner(project, K.POLICE)
    meeting(project, MeetingKind.INTRO_TALK, present=[person_of(police)], users=[leader])
    state = step(project, "intro_talk")
    assert state.done
    assert state.evidence[0].url.endswith(f"/{state.evidence[0].url.split('/')[-2]}/")


def test_intro_talk_with_mayor_but_without_police_is_not_done(project, leader):
    police = partner(project, K.POLICE)
    meeting(project, MeetingKind.INTRO_TALK, absent=[person_of(police)], users=[leader])
    assert not step(project, "intro_talk").done


def test_intro_talk_with_police_but_without_municipality_is_not_done(project):
    police = partner(project, K.POLICE)
    meeting(project, MeetingKind.INTRO_TALK, present=[person_of(police)])
    assert not step(project, "intro_talk").done


def test_planned_intro_talk_is_not_done(project, leader):
    police = partner(project, K.POLICE)
    meeting(
        project,
        MeetingKind.INTRO_TALK,
        status=MeetingStatus.PLANNED,
        present=[person_of(police)],
        users=[leader],
    )
    assert not step(project, "intro_talk").done


def test_intro_talk_of_another_kind_is_not_done(project, leader):
    police = partner(project, K.POLICE)
    meeting(project, MeetingKind.OTHER, present=[person_of(police)], users=[leader])
    assert not step(project, "intro_talk").done


def test_core_partners_selected_when_every_core_kind_takes_part(project):
    core_partners(project, Stage.APPROACHED)
    assert step(project, "core_partners").done


def test_core_partners_not_selected_without_khn(project):
    for kind in (K.MUNICIPALITY, K.POLICE, K.HOSPITALITY):
        partner(project, kind)
    partner(project, K.KHN, Stage.DECLINED)
    state = step(project, "core_partners")
    assert not state.done
    assert "KHN" in state.evidence[0].text


def test_khn_involved_when_at_least_interested(project):
    partner(project, K.KHN, Stage.INTERESTED)
    assert step(project, "khn").done


def test_khn_only_approached_is_not_involved(project):
    partner(project, K.KHN, Stage.APPROACHED)
    assert not step(project, "khn").done


def test_hospitality_support_through_the_association(project):
    partner(project, K.HOSPITALITY_ASSOCIATION, Stage.INTERESTED)
    assert step(project, "hospitality_support").done


def test_hospitality_support_through_the_presentation(project):
    meeting(project, MeetingKind.ENTREPRENEURS)
    state = step(project, "hospitality_support")
    assert state.done
    assert len(state.evidence) == 2  # one provider of each app, combined with OR


def test_hospitality_support_open_with_approached_association_and_planned_presentation(project):
    partner(project, K.HOSPITALITY_ASSOCIATION, Stage.APPROACHED)
    meeting(project, MeetingKind.ENTREPRENEURS, status=MeetingStatus.PLANNED)
    assert not step(project, "hospitality_support").done


def test_double_role_done_with_an_agreement_marked_as_such(project):
    AgreementFactory(project=project, about_double_role=True)
    assert step(project, "double_role").done


def test_double_role_open_with_an_ordinary_agreement(project):
    AgreementFactory(project=project, about_double_role=False)
    assert not step(project, "double_role").done


def test_interests_done_when_every_core_partner_has_them(project):
    core_partners(project, Stage.INTERESTED, interests="Minder overlast.")
    partner(project, K.RESIDENTS, interests="")  # not a core partner: does not count
    assert step(project, "interests").done


def test_interests_open_when_one_core_partner_lacks_them(project):
    core_partners(project, Stage.INTERESTED, interests="Minder overlast.")
    partner(project, K.HOSPITALITY, interests="", name="Club Zonder Belang")
    state = step(project, "interests")
    assert not state.done
    assert "4" in state.evidence[0].text
    assert "5" in state.evidence[0].text


def test_shared_vision_written_in_the_declaration(project):
    declaration(project, frozen=False)
    assert step(project, "shared_vision").done


def test_shared_vision_open_when_the_newest_declaration_has_none(project):
    declaration(project, vision="Oude visie.")
    declaration(project, vision="   ", frozen=False, version=2)
    assert not step(project, "shared_vision").done


def test_declaration_signed_by_all_core_partners(project):
    core = core_partners(project)
    d = declaration(project)
    for participation in core.values():
        answer(d, participation)
    assert step(project, "declaration_signed").done


def test_declaration_open_when_one_core_partner_declined(project):
    core = core_partners(project)
    d = declaration(project)
    for kind, participation in core.items():
        answer(d, participation, "declined" if kind == K.KHN else "signed")
    state = step(project, "declaration_signed")
    assert not state.done
    assert "3" in state.evidence[0].text


def test_working_group_formed_with_municipality_police_and_hospitality(project):
    core = core_partners(project)
    for kind in (K.MUNICIPALITY, K.POLICE, K.KHN):
        WorkingGroupMember.objects.create(participation=core[kind])
    assert step(project, "working_group").done


def test_working_group_without_police_is_not_formed(project):
    core = core_partners(project)
    for kind in (K.MUNICIPALITY, K.HOSPITALITY, K.KHN):
        WorkingGroupMember.objects.create(participation=core[kind])
    with translation.override("en"):
        state = step(project, "working_group")
    assert not state.done
    assert "police" in state.evidence[0].text


def test_override_with_reason_wins_and_is_shown_as_such(project, leader):
    GuideStepRecord.objects.create(
        project=project,
        step="double_role",
        override="done",
        override_reason="Mondeling afgesproken met de burgemeester.",
        updated_by=leader,
    )
    state = step(project, "double_role")
    assert state.done
    assert state.overridden
    assert not state.derived_done


def test_complete_project_has_every_step_done(project, leader):
    complete_project(project, leader)
    state = guide.evaluate([project])[project.pk]
    assert [s.step.key for s in state.steps if not s.done] == []
    assert state.gate_open


def test_the_guide_has_its_steps_in_the_order_of_the_preparatory_phase():
    """Steps come from kvu, partners and meetings (kvu/extensions.py), each beside its evidence."""
    steps = guide.steps()
    assert [s.key for s in steps] == [
        "knowledge",
        "intro_talk",
        "core_partners",
        "khn",
        "hospitality_support",
        "double_role",
        "interests",
        "shared_vision",
        "declaration_signed",
        "working_group",
    ]
    assert [s.key for s in steps if s.manual] == ["knowledge"]


def _links(project):
    state = guide.evaluate([project])[project.pk]
    return [item.url for s in state.steps if not s.step.manual for item in s.evidence]


def test_every_evidence_links_to_a_page_that_exists(project, leader):
    """A renamed URL raises here (NoReverseMatch) instead of silently dropping a link."""
    empty_links = _links(project)
    complete_project(project, leader)
    links = empty_links + _links(project)
    assert links
    for url in links:
        assert url, "an evidence without a link"
        resolve(url)


def test_every_project_tab_links_to_a_page_that_exists(project):
    from kvu.panels import project_tabs

    tabs = project_tabs(project, "partner_board")
    assert [str(tab.label) for tab in tabs] == [
        "Overzicht",
        "Fasewijzer",
        "Tijdlijn",
        "Rapportage",
        "Partners",
        "Logboek",
        "Zorgen",
        "Overleggen",
        "Intentieverklaring",
        "Werkgroep",
        "Veiligheidsanalyse",
        "Documenten",
    ]
    assert [tab.active for tab in tabs].count(True) == 1
    for tab in tabs:
        resolve(tab.url)


def test_the_later_steps_tabs_show_from_the_step_before_them(project):
    """The plan's tab from the safety analysis (step 3) on, the covenant's from the plan on."""
    from kvu.panels import project_tabs

    def labels(step):
        project.ccv_step = step
        return [str(tab.label) for tab in project_tabs(project, "plan_detail")]

    assert "Plan van aanpak" not in labels(2)
    assert "Plan van aanpak" in labels(3)
    assert "Convenant" not in labels(3)
    tabs = labels(5)
    assert (
        tabs.index("Veiligheidsanalyse") < tabs.index("Plan van aanpak") < tabs.index("Convenant")
    )
    for tab in project_tabs(project, "plan_detail"):
        resolve(tab.url)


def _evaluate_queries(projects):
    with CaptureQueriesContext(connection) as ctx:
        guide.evaluate(projects)
        guide.support(projects)
    return len(ctx.captured_queries)


def test_evaluating_many_projects_takes_as_many_queries_as_one(municipality, leader):
    """Prevents one query per project (or per partner) in each evidence provider."""
    first = ProjectFactory(municipality=municipality)
    complete_project(first, leader)
    one = _evaluate_queries([first])
    others = [ProjectFactory(municipality=municipality) for _i in range(5)]
    for other in others:
        complete_project(other, leader)
    assert _evaluate_queries([first, *others]) == one


# --- the partners a step waits for are named ---


def _bar_without_contact_person(project, name="Café Zonder Contact"):
    """As a CSV import without "contactpersoon" makes it: a core partner, nobody to address."""
    from tests.factories import ParticipationFactory

    return ParticipationFactory(
        project=project, organisation__kind=K.HOSPITALITY, organisation__name=name, role="core"
    )


def test_a_core_partner_without_interests_or_contact_person_is_named(project):
    core_partners(project)
    _bar_without_contact_person(project)
    with translation.override("en"):
        state = step(project, "interests")
    assert not state.done
    (evidence,) = state.evidence
    assert evidence.names == ("Café Zonder Contact (no contact person)",)
    assert "Waiting for: Café Zonder Contact (no contact person)." in evidence.text


def test_the_declaration_step_names_the_core_partners_that_did_not_sign(project):
    core = core_partners(project)
    d = declaration(project)
    for participation in core.values():
        answer(d, participation)
    _bar_without_contact_person(project)
    with translation.override("en"):
        state = step(project, "declaration_signed")
    assert not state.done
    assert state.evidence[0].names == ("Café Zonder Contact (no contact person)",)
    assert state.evidence[0].text.startswith("4 of 5 core partners signed. Waiting for: Café")


def test_the_working_group_step_names_the_partners_that_could_fill_a_missing_place(project):
    core = core_partners(project)
    WorkingGroupMember.objects.create(participation=core[K.MUNICIPALITY])
    WorkingGroupMember.objects.create(participation=core[K.HOSPITALITY])
    state = step(project, "working_group")
    assert not state.done
    assert state.evidence[0].names == (core[K.POLICE].organisation.name,)
    assert state.evidence[0].more_url.endswith(f"?kind={K.POLICE}")


def test_a_done_step_names_nobody(project, leader):
    complete_project(project, leader)
    for key in ("interests", "declaration_signed", "working_group"):
        assert step(project, key).evidence[0].names == (), key


def test_the_names_are_bounded_with_a_link_to_the_filtered_partner_list(
    client_for, project, leader
):
    core_partners(project)
    for i in range(guide.NAMES_SHOWN + 3):
        _bar_without_contact_person(project, name=f"Bar {i:02d}")
    with translation.override("en"):
        evidence = step(project, "interests").evidence[0]
    assert evidence.names == tuple(
        f"Bar {i:02d} (no contact person)" for i in range(guide.NAMES_SHOWN)
    )
    assert evidence.more == 3
    assert evidence.text.endswith("Bar 04 (no contact person) and 3 more.")
    match = resolve(evidence.more_url.split("?")[0])
    assert (match.url_name, evidence.more_url.split("?")[1]) == ("partner_list", "role=core")
    client = client_for(leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("guide", args=[project.pk])).text
    assert "Bar 00 (no contact person)" in page
    assert "Bar 05" not in page
    link = page.split("and 3 more</a>")[0].rsplit("<a ", 1)[1]
    assert link == f'href="{evidence.more_url}">'
    gate = client.get(reverse("gate", args=[project.pk])).text
    assert "Bar 00 (no contact person)" in gate


def test_naming_the_partners_keeps_the_query_count(project, leader):
    """Prevents a query per waiting partner (or per signer) in the named evidence."""
    core_partners(project)
    _bar_without_contact_person(project, name="Bar eerste")
    declaration(project)
    few = _evaluate_queries([project])
    for i in range(20):
        _bar_without_contact_person(project, name=f"Bar {i:02d}")
    assert _evaluate_queries([project]) == few
