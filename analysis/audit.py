"""Registers the analysis app's models with the audit trail (kvu.audit)."""

from analysis.models import (
    Analysis,
    Answer,
    AreaProfile,
    Conclusion,
    Establishment,
    Finding,
    KeyFigure,
    Knelpunt,
    Question,
    Response,
    Source,
    Street,
    Survey,
    WalkThrough,
)
from kvu.audit import track

EVIDENCE = ["findings", "figures", "questions", "sources"]

track(Analysis, municipality="project.municipality_id")
track(AreaProfile, municipality="analysis.project.municipality_id")
track(Street, municipality="analysis.project.municipality_id")
track(Establishment, municipality="analysis.project.municipality_id")
track(KeyFigure, municipality="analysis.project.municipality_id")
track(Source, municipality="analysis.project.municipality_id")
track(
    WalkThrough,
    municipality="analysis.project.municipality_id",
    m2m_fields=["partners", "colleagues"],
)
track(
    Finding,
    municipality="walk_through.analysis.project.municipality_id",
    exclude_fields=["client_key"],
)
track(Survey, municipality="analysis.project.municipality_id")
track(Question, municipality="survey.analysis.project.municipality_id")
track(
    Response,
    municipality="survey.analysis.project.municipality_id",
    exclude_fields=["token_hash"],
)
track(Answer, municipality="response.survey.analysis.project.municipality_id")
track(Conclusion, municipality="analysis.project.municipality_id", m2m_fields=EVIDENCE)
track(
    Knelpunt,
    municipality="analysis.project.municipality_id",
    m2m_fields=[*EVIDENCE, "streets"],
)
