"""Demo data of the analysis app, in one place: the Enschede project has passed the gate to step
3 and its analysis is under way (profile and figures, walk-throughs, surveys, the report in
progress). Loaded by `manage.py demo` through AnalysisConfig.load_demo(); idempotent."""

from django.contrib.auth import get_user_model

from analysis.demo import apeldoorn, profile, report, surveys, walkthrough
from analysis.models import Analysis
from analysis.services import start_analysis
from kvu import guide
from kvu.guide_services import pass_gate
from kvu.models import CcvStep, Project

PROJECT = "KVU Binnenstad Enschede"


def load() -> int:
    project = Project.objects.filter(name=PROJECT).first()
    if project is None:
        return 0
    leader = get_user_model().objects.get(username="projectleider")
    created = 0
    if project.ccv_step == CcvStep.INITIATIVE:
        state = guide.evaluate([project])[project.pk]
        pass_gate(
            project=project,
            user=leader,
            reason="De stuurgroep besloot te starten; de laatste handtekeningen volgen.",
            acknowledged=[s.step.key for s in state.required_open],
        )
        created += 1
    analysis = Analysis.objects.current(project)
    if analysis is None:
        analysis = start_analysis(project=project, user=leader)
        created += 1
    for part in (profile, walkthrough, surveys, report):
        created += part.load(analysis, leader)
    return created + apeldoorn.load()  # the Apeldoorn project: a finished, compact analysis
