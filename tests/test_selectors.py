"""Reads used in more than one place agree, because they live once."""

from django.urls import reverse

from kvu import guide
from partners.models import Declaration
from tests.guide_builders import answer, core_partners, declaration


def test_dashboard_guide_and_working_group_read_the_newest_sent_version_while_v2_is_a_draft(
    client_for, leader, project
):
    """Regression: the dashboard looked for the newest version and found the draft, so it
    showed nothing while the guide counted the signatures of version 1."""
    core = core_partners(project)
    v1 = declaration(project)
    for participation in core.values():
        answer(v1, participation)
    declaration(project, version=2, frozen=False)

    assert list(Declaration.objects.filter(project=project).newest_sent()) == [v1]
    state = guide.evaluate([project])[project.pk]
    signed = next(s for s in state.steps if s.step.key == "declaration_signed")
    assert signed.done
    page = client_for(leader).get(reverse("dashboard"))
    assert "4 van 4 uitgenodigde partners hebben versie 1 ondertekend" in page.text
    from partners.workgroup.services import signatories

    assert set(signatories(project)) == set(core.values())


def test_newest_sent_is_per_project(project, municipality):
    from tests.factories import ProjectFactory

    other = ProjectFactory(municipality=municipality)
    mine = declaration(project)
    declaration(project, version=2)
    theirs = declaration(other)
    newest = {d.project_id: d.version for d in Declaration.objects.newest_sent()}
    assert newest == {project.pk: 2, other.pk: 1}
    assert mine.pk not in [d.pk for d in Declaration.objects.newest_sent()]
    assert theirs.pk in [d.pk for d in Declaration.objects.newest_sent()]
