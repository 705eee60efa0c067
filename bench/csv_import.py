"""Benchmark: import a 30,000-row partner CSV through the import task, timed.

Run against the database of DATABASE_URL, migrated (it adds a fresh municipality, user and
project of its own on every run, and leaves them there):

    export DEBUG=true DATABASE_URL=sqlite:////tmp/kvu_csv_bench.sqlite3
    .venv/bin/python manage.py migrate && .venv/bin/python bench/csv_import.py

Prints a JSON object: rows, file size, the seconds of checking the rows alone (what a preview of
the file would take in the upload request) and of the whole task (checking again, then saving),
and how many organisations and contact persons were imported.
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = 30_000
KINDS = ["horecaondernemer", "politie", "residents", "taxi", "youth_work", "other"]


def build_csv(rows: int = ROWS) -> str:
    """One row per contact person, two persons per organisation; half of them with a KvK number."""
    lines = [
        "organisatie;soort;kvk_nummer;postcode;plaats;fase;contactpersoon;email_contactpersoon"
    ]
    for n in range(rows):
        org = n // 2
        kvk = f"{10_000_000 + org}" if org % 2 else ""
        lines.append(
            f"Org {org};{KINDS[org % len(KINDS)]};{kvk};8011ab;Zwolle;benaderd;P{n};p{n}@x.nl"
        )
    return "\n".join(lines) + "\n"


def _fresh_project():
    from django.contrib.auth import get_user_model

    from kvu.models import Membership, Municipality, Project

    used = set(Municipality.objects.values_list("cbs_code", flat=True))
    code = next(f"GM{n:04d}" for n in range(9999, 0, -1) if f"GM{n:04d}" not in used)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    municipality = Municipality.objects.create(
        name=f"Bench CSV {stamp} {code}", cbs_code=code, province="OV"
    )
    user = get_user_model().objects.create_user(username=f"bench-csv-{code}-{stamp}")
    Membership.objects.create(user=user, municipality=municipality, role=Membership.Role.LEADER)
    project = Project.objects.create(
        municipality=municipality, name="Bench CSV", nightlife_area="Binnenstad"
    )
    return project, user


def run(rows: int = ROWS) -> dict:
    from django.utils import translation

    from partners import csv_io, tasks
    from partners.models import CsvImport, Organisation, Person

    project, user = _fresh_project()
    content = build_csv(rows)
    with translation.override("nl"):
        start = time.perf_counter()
        plan = csv_io.plan_import(project=project, content=content)
        check_seconds = time.perf_counter() - start
        assert plan.is_valid, [csv_io.row_message(row) for row in plan.faulty_rows[:5]]

        csv_import = CsvImport.objects.create(
            project=project, content=content, language="nl", created_by=user
        )
        start = time.perf_counter()
        tasks.import_partners.call(csv_import.pk)
        seconds = time.perf_counter() - start
    csv_import.refresh_from_db()
    return {
        "rows": rows,
        "bytes": len(content.encode("utf-8")),
        "check_seconds": round(check_seconds, 2),
        "seconds": round(seconds, 2),
        "status": csv_import.status,
        "imported": Organisation.objects.filter(municipality=project.municipality).count(),
        "persons": Person.objects.filter(organisation__municipality=project.municipality).count(),
    }


def main() -> int:
    if "DATABASE_URL" not in os.environ:
        print("Set DATABASE_URL to a migrated database.", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvu.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else ROWS
    print(json.dumps(run(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
