"""Demo data of the plans app, in one place: the Apeldoorn project has an adopted plan of
approach (step 4) and a signed covenant (step 5). Loaded by `manage.py demo` through
PlansConfig.load_demo(); idempotent."""

from plans.demo import covenant, plan


def load() -> int:
    return plan.load() + covenant.load()
