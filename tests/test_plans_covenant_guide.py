"""Step 5's guide follows the data: each derived step done, and not done for its nearest miss;
the manual tick and the override of kvu/guide.py; its evidence reads a fixed number of queries
for one project and for ten; step 5's panels on the overview, the dashboard and the report."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kvu import guide
from kvu.models import CcvStep, GuideStepRecord
from partners.declaration import services as engine
from partners.models import DocumentKind, KvuRole, OrganisationKind
from plans.covenant import guide as covenant_guide
from plans.covenant import services
from plans.covenant.texts import covenant_texts, default_term
from tests.factories import ProjectFactory
from tests.test_plans_commitments import make_plan, partner


def _evidence(step, project):
    return getattr(covenant_guide, step)([project])[project.pk]


@pytest.fixture
def plan(project, leader):
    return make_plan(project, leader)


def _partners(project):
    return {
        "municipality": partner(project, OrganisationKind.MUNICIPALITY, role=KvuRole.CORE),
        "police": partner(project, OrganisationKind.POLICE, role=KvuRole.CORE),
        "khn": partner(project, OrganisationKind.KHN, role=KvuRole.CORE),
        "cafe1": partner(project, OrganisationKind.HOSPITALITY, role=KvuRole.CORE),
        "cafe2": partner(project, OrganisationKind.HOSPITALITY, role=KvuRole.CORE),
        "cafe3": partner(project, OrganisationKind.HOSPITALITY, role=KvuRole.CORE),
    }


def _covenant(plan, leader, *, term=True):
    start, end = default_term()
    return engine.create_document(
        project=plan.project,
        kind=DocumentKind.COVENANT,
        user=leader,
        texts=covenant_texts(plan, plan.project),
        valid_from=start if term else None,
        valid_until=end if term else None,
    )


def _send_and_sign(document, parties, leader, *, sign):
    invitations = {}
    for key, participation in parties.items():
        invitations[key] = engine.invite(
            declaration=document,
            participation=participation,
            person=participation.main_contact,
            user=leader,
        )
    document.refresh_from_db()
    for key in sign:
        engine.answer_invitation(
            invitation_id=invitations[key].pk,
            decision="signed",
            signer_name="Naam",
            signer_function="functie",
            text_sha256=document.text_sha256,
            ip=None,
            user_agent="pytest",
        )
    return invitations


def test_steps_belong_to_ccv_step_5_with_unique_keys():
    steps = guide.steps(CcvStep.COVENANT)
    assert [s.key for s in steps] == [s.key for s in covenant_guide.STEPS]
    assert [s.order for s in steps] == sorted(s.order for s in steps)
    assert all(s.key.startswith("covenant_") and 510 <= s.order < 600 for s in steps)
    assert [s.key for s in steps if s.manual] == ["covenant_signing_moment"]
    others = {s.key for s in guide.all_steps() if s.ccv_step != CcvStep.COVENANT}
    assert not others & {s.key for s in steps}


def test_before_the_plan_nothing_is_done(project):
    for step in covenant_guide.STEPS:
        if step.manual:
            continue
        evidence = step.evidence([project])[project.pk]
        assert not evidence.done
        assert evidence.url


def test_commitments_done_when_every_core_partner_has_one(plan):
    parties = _partners(plan.project)
    partner(plan.project, OrganisationKind.TAXI, role=KvuRole.OPTIONAL)  # not a core partner
    for key, participation in parties.items():
        if key != "cafe3":
            services.add_commitment(plan=plan, participation=participation, text="Iets.")
    evidence = _evidence("core_commitments", plan.project)
    assert not evidence.done
    assert evidence.names == (parties["cafe3"].organisation.name,)
    services.add_commitment(plan=plan, participation=parties["cafe3"], text="Portiers.")
    assert _evidence("core_commitments", plan.project).done


def test_sent_after_drafting_and_inviting(plan, leader):
    parties = _partners(plan.project)
    assert not _evidence("covenant_sent", plan.project).done
    document = _covenant(plan, leader)
    evidence = _evidence("covenant_sent", plan.project)
    assert not evidence.done
    assert evidence.url == reverse("covenant_detail", args=[plan.project_id])
    _send_and_sign(document, {"police": parties["police"]}, leader, sign=[])
    assert _evidence("covenant_sent", plan.project).done


def test_public_partners_signed_and_the_prosecutor_when_taking_part(plan, leader):
    parties = _partners(plan.project)
    document = _covenant(plan, leader)
    _send_and_sign(document, parties, leader, sign=["municipality", "police"])
    evidence = _evidence("public_partners_signed", plan.project)
    assert not evidence.done
    assert parties["khn"].organisation.name in evidence.names
    # KHN signs: done, until the Public Prosecution Service takes part.
    khn = document.invitations.get(participation=parties["khn"])
    document.refresh_from_db()
    engine.answer_invitation(
        invitation_id=khn.pk,
        decision="signed",
        signer_name="K",
        signer_function="bestuurslid",
        text_sha256=document.text_sha256,
        ip=None,
        user_agent="pytest",
    )
    assert _evidence("public_partners_signed", plan.project).done
    partner(plan.project, OrganisationKind.PROSECUTOR, "Openbaar Ministerie")
    evidence = _evidence("public_partners_signed", plan.project)
    assert not evidence.done
    assert evidence.names == ("Openbaar Ministerie",)


def test_a_missing_kind_of_public_partner_is_named(plan, leader):
    project = plan.project
    police = partner(project, OrganisationKind.POLICE)
    document = _covenant(plan, leader)
    _send_and_sign(document, {"police": police}, leader, sign=["police"])
    evidence = _evidence("public_partners_signed", project)
    assert not evidence.done
    assert "KHN" in evidence.text


def test_businesses_signed_needs_half_and_a_business_that_left_does_not_count(plan, leader):
    parties = _partners(plan.project)
    document = _covenant(plan, leader)
    _send_and_sign(document, parties, leader, sign=["cafe1"])
    evidence = _evidence("businesses_signed", plan.project)
    assert not evidence.done
    assert "1" in evidence.text
    assert "3" in evidence.text
    cafe2 = document.invitations.get(participation=parties["cafe2"])
    document.refresh_from_db()
    engine.answer_invitation(
        invitation_id=cafe2.pk,
        decision="signed",
        signer_name="C",
        signer_function="eigenaar",
        text_sha256=document.text_sha256,
        ip=None,
        user_agent="pytest",
    )
    assert _evidence("businesses_signed", plan.project).done
    engine.record_departure(
        document=document,
        participation=parties["cafe2"],
        left_on=timezone.localdate(),
        reason="Gesloten.",
        user=leader,
    )
    assert not _evidence("businesses_signed", plan.project).done


def test_term_set_on_the_sent_version(plan, leader):
    parties = _partners(plan.project)
    document = _covenant(plan, leader)
    assert not _evidence("term_set", plan.project).done
    _send_and_sign(document, {"police": parties["police"]}, leader, sign=[])
    evidence = _evidence("term_set", plan.project)
    assert evidence.done
    assert str(document.valid_until.year) in evidence.text


def test_manual_tick_and_override_count(plan, leader):
    project = plan.project
    state = covenant_guide.states([project])[project.pk]
    by_key = {s.step.key: s for s in state.steps}
    assert not by_key["covenant_signing_moment"].done
    GuideStepRecord.objects.create(
        project=project, step="covenant_signing_moment", ticked=True, note="Met de burgemeester."
    )
    GuideStepRecord.objects.create(
        project=project,
        step="covenant_term",
        override="done",
        override_reason="De looptijd staat in het raadsbesluit.",
    )
    by_key = {s.step.key: s for s in covenant_guide.states([project])[project.pk].steps}
    assert by_key["covenant_signing_moment"].done
    assert by_key["covenant_term"].done
    assert by_key["covenant_term"].overridden


def _projects_in_step_5(municipality, leader, n):
    projects = []
    for i in range(n):
        project = ProjectFactory(municipality=municipality, name=f"P{i}", project_leader=leader)
        plan = make_plan(project, leader)
        parties = _partners(project)
        for participation in parties.values():
            services.add_commitment(plan=plan, participation=participation, text="Iets.")
        document = _covenant(plan, leader)
        invitations = _send_and_sign(document, parties, leader, sign=["municipality", "cafe1"])
        engine.record_departure(
            document=document,
            participation=invitations["cafe1"].participation,
            left_on=timezone.localdate(),
            reason="",
            user=leader,
        )
        projects.append(project)
    return projects


def _queries(projects):
    with CaptureQueriesContext(connection) as ctx:
        guide.evaluate(guide.Projects(projects), CcvStep.COVENANT)
    return len(ctx.captured_queries)


def test_evidence_reads_the_same_number_of_queries_for_one_and_ten_projects(municipality, leader):
    """Plans, versions, partners, signatures and commitments are read once for all projects."""
    projects = _projects_in_step_5(municipality, leader, 10)
    one = _queries(projects[:1])
    assert _queries(projects) == one


# --- panels ---


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_project_tab_leads_to_the_covenant(client_for, leader, plan):
    html = client_for(leader).get(reverse("project_detail", args=[plan.project_id]))
    assert reverse("covenant_detail", args=[plan.project_id]) in html.content.decode()


def test_project_overview_shows_step_5_with_a_constant_count(client_for, leader, plan):
    client = client_for(leader)
    url = reverse("project_detail", args=[plan.project_id])
    parties = _partners(plan.project)
    document = _covenant(plan, leader)
    _send_and_sign(document, parties, leader, sign=list(parties))
    few = _count(client, url)
    assert 'id="project-covenant-heading"' in client.get(url).content.decode()
    for _i in range(8):
        extra = partner(plan.project, OrganisationKind.HOSPITALITY)
        services.add_commitment(plan=plan, participation=extra, text="Iets.")
        _send_and_sign(document, {"extra": extra}, leader, sign=["extra"])
    assert _count(client, url) == few


def test_no_covenant_panel_before_step_5(client_for, leader, project):
    html = client_for(leader).get(reverse("project_detail", args=[project.pk])).content.decode()
    assert 'id="project-covenant-heading"' not in html


def test_dashboard_lists_projects_in_step_5_with_a_constant_count(client_for, leader, municipality):
    client = client_for(leader)
    _projects_in_step_5(municipality, leader, 1)
    few = _count(client, reverse("dashboard"))
    assert 'id="dash-covenant-heading"' in client.get(reverse("dashboard")).content.decode()
    for i in range(5):
        project = ProjectFactory(municipality=municipality, name=f"Q{i}", project_leader=leader)
        make_plan(project, leader)
    assert _count(client, reverse("dashboard")) == few


def test_status_report_has_the_covenant_section(client_for, leader, plan):
    parties = _partners(plan.project)
    document = _covenant(plan, leader)
    _send_and_sign(document, parties, leader, sign=list(parties))
    client = client_for(leader)
    url = reverse("status_report", args=[plan.project_id])
    few = _count(client, url)
    assert 'id="r-covenant"' in client.get(url).content.decode()
    for _i in range(5):
        extra = partner(plan.project, OrganisationKind.HOSPITALITY)
        invitation = engine.invite(
            declaration=document, participation=extra, person=extra.main_contact, user=leader
        )
        document.refresh_from_db()
        engine.answer_invitation(
            invitation_id=invitation.pk,
            decision="signed",
            signer_name="N",
            signer_function="eigenaar",
            text_sha256=document.text_sha256,
            ip=None,
            user_agent="pytest",
        )
        services.add_commitment(plan=plan, participation=extra, text="Iets.")
    assert _count(client, url) == few
    pdf = client.get(reverse("status_report_pdf", args=[plan.project_id]))
    assert pdf.status_code == 200


def test_gate_to_step_6_waits_for_the_required_steps(plan):
    state = covenant_guide.states([plan.project])[plan.project_id]
    assert not state.gate_open
    assert {s.step.key for s in state.required_open} >= {
        "covenant_commitments",
        "covenant_sent",
        "covenant_public_signed",
        "covenant_term",
    }
