"""Registers the plans app's models with the audit trail (kvu.audit)."""

from kvu.audit import track
from plans.models import Commitment, Measure, Plan, PlanVersion

track(Plan, municipality="project.municipality_id")
track(PlanVersion, municipality="plan.project.municipality_id")
track(Measure, municipality="plan.project.municipality_id", m2m_fields=["contributors"])
track(Commitment, municipality="plan.project.municipality_id")
