"""Demo data of the partners app, in one place: outreach first, then the intentieverklaring that
builds on it, then the working group chosen from its signatories. Loaded by `manage.py demo`
through PartnersConfig.load_demo()."""

from partners.demo import declaration, outreach, workgroup


def load() -> int:
    return outreach.load() + declaration.load() + workgroup.load()
