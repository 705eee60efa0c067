"""Demo data of the partners app: outreach first, then the intentieverklaring that builds on it."""

from importlib import import_module

from django.utils.module_loading import module_has_submodule

import partners

PARTS = ["demo_outreach", "declaration.demo", "demo_guide"]


def load() -> int:
    created = 0
    for part in PARTS:
        if module_has_submodule(partners, part):
            created += import_module(f"partners.{part}").load()
    return created
