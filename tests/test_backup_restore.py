"""A pg_dump of the application's database restores into an empty database with every row."""

import os
import shutil
import subprocess
import uuid

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="dump and restore are PostgreSQL's tools"
)


def _env_and_args(settings_dict):
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    args = [
        "-h",
        settings_dict.get("HOST") or "127.0.0.1",
        "-p",
        str(settings_dict.get("PORT") or 5432),
    ]
    args += ["-U", settings_dict.get("USER") or "postgres"]
    return env, args


def _fingerprints(conn) -> dict[str, tuple[int, str]]:
    """Row count and a checksum of the content of every table in the public schema."""
    with conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        tables = [row[0] for row in cursor.fetchall()]
        result = {}
        for table in tables:
            checksum = "md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
            cursor.execute(f'SELECT count(*), {checksum} FROM "{table}" t')
            result[table] = cursor.fetchone()
    return result


def test_dump_and_restore_finds_every_row(transactional_db, settings, tmp_path):
    assert shutil.which("pg_dump"), "install postgresql-client"
    assert shutil.which("pg_restore"), "install postgresql-client"
    settings.DEBUG = True
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    source = _fingerprints(connection.connection)
    assert sum(count for count, _ in source.values()) > 20  # the demo data is really there

    settings_dict = connection.settings_dict
    env, args = _env_and_args(settings_dict)
    dump = tmp_path / "kvu.dump"
    subprocess.run(
        [
            "pg_dump",
            *args,
            "--format=custom",
            "--no-owner",
            f"--file={dump}",
            settings_dict["NAME"],
        ],
        check=True,
        env=env,
    )
    restored = f"kvu_restore_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", *args, restored], check=True, env=env)
    try:
        subprocess.run(
            [
                "pg_restore",
                *args,
                "--no-owner",
                "--exit-on-error",
                f"--dbname={restored}",
                str(dump),
            ],
            check=True,
            env=env,
        )
        conn = psycopg2.connect(
            dbname=restored,
            host=args[1],
            port=args[3],
            user=args[5],
            password=settings_dict.get("PASSWORD") or None,
        )
        try:
            assert _fingerprints(conn) == source
        finally:
            conn.close()
    finally:
        subprocess.run(["dropdb", *args, "--if-exists", restored], check=True, env=env)
