"""`make bench`: large dataset, gunicorn with production settings, load at 1 and 8 users, soak.

Steps: (re)create the PostgreSQL database BENCH_DB, migrate, generate (bench/generate.py),
collectstatic, start gunicorn on 127.0.0.1 only, count the queries of each page on the big and
the small project, load each page with locust (1 and 8 users) while reading the CPU time the
web workers spend on it, run the 60-second soak with faults, then write bench/results.json and
the table in docs/performance.md. Every process it starts is stopped at the end, also on failure.
"""

import locust  # noqa: I001  (first: it monkey-patches the standard library for gevent)

import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import gevent
import psutil
import psycopg2
import requests
from locust import FastHttpUser, between, constant, task
from locust.env import Environment
import contextlib

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
PORT = int(os.environ.get("BENCH_PORT", "18765"))
BASE = f"http://127.0.0.1:{PORT}"
DB_NAME = os.environ.get("BENCH_DB", "kvu_bench")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
WORKDIR = Path(os.environ.get("BENCH_WORKDIR", "/tmp/kvu-bench"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
SOAK_SECONDS = float(os.environ.get("BENCH_SOAK_SECONDS", "60"))
# One sync worker per CPU: PostgreSQL and the load generator share the machine, and with
# 2 x CPUs + 1 workers the pages took 20-30 % longer at 8 users (docs/performance.md).
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 1)))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
REUSE_DB = os.environ.get("BENCH_REUSE_DB", "") == "1"  # development only: skip generation
# Development only: measure these pages (names, comma-separated), no soak, nothing written.
ONLY_PAGES = [n.strip() for n in os.environ.get("BENCH_PAGES", "").split(",") if n.strip()]
USERS = (1, 8)
RESULTS = ROOT / "bench" / "results.json"
DOC = ROOT / "docs" / "performance.md"

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": f"{PG}/{DB_NAME}",
    "DEBUG": "false",
    "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1",
    "SITE_URL": BASE,
    # Plain http on loopback: no TLS redirect, cookies not limited to https.
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
    # As deployed behind our own proxy: the client address comes from X-Forwarded-For, so the
    # soak's signers each sign from their own address (the signing rate limit is per address).
    "BEHIND_TLS_PROXY": "true",
    "DB_CONN_MAX_AGE": "60",
    "TASKS_BACKEND": "database",
    "BENCH_MAIL_DIR": str(WORKDIR / "mail"),
    "BENCH_WORKDIR": str(WORKDIR),
    "BENCH_SCALE": str(SCALE),
    "LOG_LEVEL": "WARNING",
}

# name, URL name, args (from the state of a project), kind, role
PAGES = [
    ("ceiling (minimal view)", "bench_ceiling", [], "ref", None),
    ("admin contact moments", "admin:partners_contactmoment_changelist", [], "ref", "staff"),
    ("dashboard", "dashboard", [], "list", "leader"),
    ("projects overview", "projects_overview", [], "list", "leader"),
    ("project overview", "project_detail", ["project"], "html", "leader"),
    ("partners board", "partner_board", ["project"], "list", "leader"),
    ("partners list", "partner_list", ["project"], "list", "leader"),
    ("participation page", "participation_detail", ["project", "participation"], "html", "leader"),
    ("contact log", "contact_log", ["project"], "list", "leader"),
    ("meeting page", "meeting_detail", ["project", "meeting"], "html", "leader"),
    ("declaration status", "declaration_detail", ["project"], "html", "leader"),
    ("public signing page", "signing_page", [], "html", "signer"),
    ("declaration PDF", "declaration_pdf", ["project", 1], "pdf", "leader"),
    ("status report PDF", "status_report_pdf", ["project"], "pdf", "leader"),
    # Search (issue 18): a word of every contact moment's summary (bench/generate.py).
    ("search", "search?q=uitgaansgebied", [], "list", "leader"),
    # Safety analysis (issue 20): the findings list, a survey's results and the report.
    ("findings list", "finding_list", ["project"], "list", "leader"),
    ("survey results", "survey_results", ["project", "survey"], "html", "leader"),
    ("walk-through PDF", "walk_through_pdf", ["project", "walk_through"], "pdf", "leader"),
    ("analysis report PDF", "analysis_report_pdf", ["project"], "pdf", "leader"),
    # Plan of approach and covenant (issue 21): 30 measures; 300 invited, 150 signed.
    ("measures matrix", "measure_matrix", ["project"], "html", "leader"),
    ("covenant status", "covenant_detail", ["project"], "html", "leader"),
    ("plan PDF", "plan_pdf", ["project"], "pdf", "leader"),
    ("covenant PDF", "covenant_pdf", ["project", 1], "pdf", "leader"),
]
USERNAMES = {"leader": "bench-leader", "staff": "bench-admin"}

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SHA_RE = re.compile(r'name="text_sha256" value="([0-9a-f]{64})"')


def sh(*args, **kwargs):
    print("$", " ".join(str(a) for a in args), flush=True)
    subprocess.run(args, check=True, cwd=ROOT, env=ENV, **kwargs)


def db(dbname=DB_NAME):
    conn = psycopg2.connect(f"{PG}/{dbname}")
    conn.autocommit = True
    return conn


def query(sql, params=()):
    conn = db()
    try:
        with conn.cursor() as c:
            c.execute(sql, params)
            return c.fetchall() if c.description else []
    finally:
        conn.close()


# ---------------------------------------------------------------------------------------------
# Setup


def prepare():
    timings = {}
    started = time.monotonic()
    if not REUSE_DB:
        conn = db("postgres")
        with conn.cursor() as c:
            c.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{DB_NAME}"')
        conn.close()
        sh(PY, "manage.py", "migrate", "--no-input", "-v0")
        timings["migrate_s"] = round(time.monotonic() - started, 1)
        started = time.monotonic()
        sh(PY, "bench/generate.py")
        timings["generate_s"] = round(time.monotonic() - started, 1)
    started = time.monotonic()
    sh(PY, "manage.py", "collectstatic", "--no-input", "-v0")
    timings["collectstatic_s"] = round(time.monotonic() - started, 1)
    return timings, json.loads((WORKDIR / "state.json").read_text())


def start_server():
    log = open(WORKDIR / "gunicorn.log", "w")  # noqa: SIM115 (closed with the process)
    proc = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "kvu.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            *(["--worker-class", "gthread", "--threads", str(THREADS)] if THREADS > 1 else []),
            "--timeout",
            "120",
            "--graceful-timeout",
            "30",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=ENV,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(BASE + "/bench/ceiling/", timeout=10).status_code == 200:
                return proc
        except requests.RequestException:
            pass
        if proc.poll() is not None:
            raise SystemExit("gunicorn did not start; see " + str(WORKDIR / "gunicorn.log"))
        time.sleep(0.2)
    stop(proc)
    raise SystemExit("gunicorn did not answer within 120 s")


LOAD_AT_START = [round(x, 2) for x in os.getloadavg()]
TASK_WORKER = {"proc": None}  # the running `db_worker`, stopped by main() whatever happens


def start_task_worker():
    log = open(WORKDIR / "db_worker.log", "a")  # noqa: SIM115
    return subprocess.Popen(
        [PY, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.5"],
        cwd=ROOT,
        env=ENV,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop(proc, timeout=30):
    if proc is not None and proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ---------------------------------------------------------------------------------------------
# Pages and sessions


def resolve_pages(state):
    """(name, kind, role, {"big": path, "small": path}) per page; missing pages are reported."""
    import django
    from django.urls import NoReverseMatch, reverse

    django.setup()
    pages, missing = [], []
    for name, urlname, args, kind, role in PAGES:
        urlname, _, query = urlname.partition("?")  # a query string goes after the path as is
        try:
            paths = {
                size: reverse(
                    urlname, args=[state[size][a] if isinstance(a, str) else a for a in args]
                )
                + (f"?{query}" if query else "")
                for size in ("big", "small")
            }
        except NoReverseMatch:
            missing.append(name)
            continue
        pages.append({"name": name, "kind": kind, "role": role, "paths": paths})
    return pages, missing


def login_form(get, post, username, password):
    """Log in through the real form (CSRF token from the page); returns the POST's status."""
    for _attempt in range(5):
        page = get("/account/inloggen/")
        if page:
            break
    token = CSRF_RE.search(page).group(1)
    return post(
        "/account/inloggen/",
        {"username": username, "password": password, "csrfmiddlewaretoken": token},
    )


def requests_session(role, state, size="big"):
    s = requests.Session()
    if role in USERNAMES:
        status = login_form(
            lambda p: s.get(BASE + p).text,
            lambda p, d: s.post(BASE + p, data=d, allow_redirects=False).status_code,
            USERNAMES[role],
            state["password"],
        )
        assert status == 302, f"login of {role} failed ({status})"
    elif role == "signer":
        r = s.get(
            BASE + f"/ondertekenen/{state[size]['tokens'][0]}/",
            headers={"X-Forwarded-For": f"10.9.{random.randint(0, 255)}.{random.randint(1, 254)}"},
        )
        assert r.status_code == 200, f"signing link failed ({r.status_code})"
    return s


def count_queries(pages, state):
    """Queries per request of each page on the big and on the small project (warm workers).

    The fewest and the most over one request in each worker: every page reads the database on
    every request, so both are the same, and both must be the same on the big and the small
    project.
    """
    sessions = {}
    for page in pages:
        page["queries"] = {}
        page["queries_most"] = {}
        for size in ("big", "small"):
            key = (page["role"], size if page["role"] == "signer" else "big")
            if key not in sessions:
                sessions[key] = requests_session(page["role"], state, size)
            counts = []
            # Every worker once, so that none is cold any more (PDFs: slow, two are enough).
            for _i in range(2 if page["kind"] == "pdf" else WORKERS + 1):
                r = sessions[key].get(BASE + page["paths"][size], allow_redirects=False)
                assert r.status_code == 200, f"{page['name']} ({size}): {r.status_code}"
                counts.append(int(r.headers["X-Query-Count"]))
                if page["kind"] == "pdf" and size == "big" and _i == 0:
                    # Nobody asked for this PDF before: laid out from scratch, not from the
                    # PDF cache that serves the load below (kvu/pdf.py).
                    page["first_ms"] = round(r.elapsed.total_seconds() * 1000)
            page["queries"][size] = min(counts)
            page["queries_most"][size] = max(counts)
        first = f", first request {page['first_ms']} ms" if "first_ms" in page else ""
        most = page["queries_most"]
        varies = (
            f" (but {most['big']} on the big, {most['small']} on the small in one request)"
            if most != page["queries"]
            else ""
        )
        print(
            f"  {page['name']}: queries big {page['queries']['big']}, "
            f"small {page['queries']['small']}{varies}{first}",
            flush=True,
        )


# ---------------------------------------------------------------------------------------------
# CPU time of the web workers, from the kernel's accounting of each process

CLOCK_TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid: int) -> int:
    """User plus system CPU time of a process (all its threads), in clock ticks.

    From /proc/<pid>/stat (fields 14 and 15, utime and stime, see proc(5)). The command name in
    field 2 is in parentheses and may itself hold spaces or parentheses, so the fields are
    counted from the last ")".
    """
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # fields[0] is field 3, the state
    return int(fields[11]) + int(fields[12])


def workers_cpu_ticks(server) -> dict[int, int]:
    """CPU ticks of each web worker (the gunicorn master's children) at this moment."""
    ticks = {}
    for worker in psutil.Process(server.pid).children():
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):  # it just exited
            ticks[worker.pid] = cpu_ticks(worker.pid)
    return ticks


def cpu_ms_per_request(before: dict[int, int], after: dict[int, int], requests_done: int):
    """The workers' CPU milliseconds per request between two readings of workers_cpu_ticks.

    A worker that appeared in between counts from zero (all of its CPU time is in the window); a
    worker that exited in between took its time with it, so the result is then marked.
    """
    ticks = sum(now - before.get(pid, 0) for pid, now in after.items())
    return {
        "cpu_ms_per_request": (
            round(ticks * 1000 / CLOCK_TICKS_PER_S / requests_done, 2) if requests_done else None
        ),
        "cpu_ticks": ticks,
        "workers_replaced": set(before) != set(after),
    }


# ---------------------------------------------------------------------------------------------
# Load with locust (closed loop: each user sends its next request when the last one is answered)


def measure(page, users, state, server):
    ready = []
    path = page["paths"]["big"]
    role = page["role"]

    class PageUser(FastHttpUser):
        host = BASE
        wait_time = constant(0)
        network_timeout = 300.0
        connection_timeout = 60.0

        def on_start(self):
            if role in USERNAMES:
                login_form(
                    lambda p: self.client.get(p, name="setup").text,
                    lambda p, d: (
                        self.client.post(p, data=d, name="setup", allow_redirects=False).status_code
                    ),
                    USERNAMES[role],
                    state["password"],
                )
            elif role == "signer":
                self.client.get(
                    f"/ondertekenen/{state['big']['tokens'][0]}/",
                    name="setup",
                    headers={"X-Forwarded-For": f"10.8.{len(ready)}.1"},
                )
            ready.append(1)

        @task
        def get(self):
            with self.client.get(
                path, name="page", allow_redirects=False, catch_response=True
            ) as r:
                if r.status_code != 200:
                    r.failure(f"status {r.status_code}")

    env = Environment(user_classes=[PageUser])
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    deadline = time.monotonic() + 60
    while len(ready) < users and time.monotonic() < deadline:
        gevent.sleep(0.05)
    gevent.sleep(0.5)  # warm-up
    # CPU time and requests are counted over the same window: the requests in flight when it
    # opens are counted (they end inside it), those in flight when it closes are not, so in
    # steady load the partial requests at its two edges make up for each other.
    env.stats.reset_all()
    cpu_before = workers_cpu_ticks(server)
    started = time.monotonic()
    stats = env.stats.get("page", "GET")
    # At least SECONDS, and for slow pages (PDFs) at least one answer per user, within limits.
    while True:
        gevent.sleep(0.1)
        elapsed = time.monotonic() - started
        if elapsed >= SECONDS and (stats.num_requests >= max(users, 3) or elapsed >= 120):
            break
    cpu = cpu_ms_per_request(cpu_before, workers_cpu_ticks(server), stats.num_requests)
    result = {
        "requests": stats.num_requests,
        "rps": round(stats.num_requests / elapsed, 1),
        "p50_ms": stats.get_response_time_percentile(0.5),
        "p95_ms": stats.get_response_time_percentile(0.95),
        "max_ms": round(stats.max_response_time or 0),
        "errors": stats.num_failures,
        **cpu,
    }
    runner.quit()
    settle()
    return result


def settle(limit=300):
    """Wait until the server has finished the requests the stopped users left behind."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        started = time.monotonic()
        with contextlib.suppress(requests.RequestException):
            requests.get(BASE + "/bench/ceiling/", timeout=limit)
        if time.monotonic() - started < 0.2:
            return
        gevent.sleep(0.5)


# ---------------------------------------------------------------------------------------------
# Soak: 16 users mixing reads and writes, with a gunicorn and a task worker restarted mid-run


def soak(server, state, pages):
    mail_dir = WORKDIR / "mail"
    shutil.rmtree(mail_dir, ignore_errors=True)
    mail_dir.mkdir(parents=True)
    TASK_WORKER["proc"] = start_task_worker()
    started_at = query("SELECT now()")[0][0]
    big = state["big"]
    leader_paths = [
        p["paths"]["big"] for p in pages if p["role"] == "leader" and p["kind"] != "pdf"
    ]
    participations = [
        row[0]
        for row in query(
            "SELECT id FROM partners_participation WHERE project_id = %s", [big["project"]]
        )
    ]
    tokens = list(big["tokens"][1:]) + list(state["small"]["tokens"][1:])
    random.shuffle(tokens)
    contacts_made, signatures_made = [], []
    outcome = {"requests": 0, "server_errors": 0, "connection_errors": 0, "other_errors": 0}
    errors = []
    ready = []

    def record(r, name):
        outcome["requests"] += 1
        if r.status_code == 0:
            outcome["connection_errors"] += 1
        elif r.status_code >= 500:
            outcome["server_errors"] += 1
        elif r.status_code >= 400:
            outcome["other_errors"] += 1
        else:
            return True
        errors.append(f"{name}: {r.status_code} {str(r.error)[:120] if r.error else ''}")
        return False

    class Leader(FastHttpUser):
        host = BASE
        network_timeout = 300.0
        connection_timeout = 60.0
        fixed_count = 12
        wait_time = between(0, 0.5)

        def on_start(self):
            login_form(
                lambda p: self.client.get(p).text,
                lambda p, d: self.client.post(p, data=d, allow_redirects=False).status_code,
                USERNAMES["leader"],
                state["password"],
            )
            ready.append(1)

        @task(1)
        def read(self):
            with self.client.get(
                random.choice(leader_paths),
                name="read",
                allow_redirects=False,
                catch_response=True,
            ) as r:
                record(r, "read")

        @task(1)
        def log_contact(self):
            pk = random.choice(participations)
            url = f"/projecten/{big['project']}/partners/{pk}/"
            with self.client.get(url, name="participation", catch_response=True) as r:
                if not record(r, "participation"):
                    return
                token = CSRF_RE.search(r.text).group(1)
            marker = f"soak-{uuid.uuid4()}"
            data = {
                "csrfmiddlewaretoken": token,
                "contact-occurred_at": "2026-11-27T20:00",
                "contact-channel": "phone",
                "contact-direction": "outgoing",
                "contact-summary": marker,
                "contact-outcome": "",
                "contact-follow_up_on": "",
            }
            with self.client.post(
                url + "contact/",
                data=data,
                name="log contact",
                allow_redirects=False,
                catch_response=True,
            ) as r:
                if record(r, "log contact"):
                    if r.status_code == 302:
                        contacts_made.append(marker)
                    else:
                        errors.append(f"log contact: {r.status_code} (form refused)")

    class Signer(FastHttpUser):
        host = BASE
        network_timeout = 300.0
        connection_timeout = 60.0
        fixed_count = 4
        # Each signature costs the task worker a PDF (the signer's receipt): a realistic pace.
        wait_time = between(4, 8)

        @task
        def sign(self):
            if not tokens:
                with self.client.get(
                    "/verificatie/", name="verification", catch_response=True
                ) as r:
                    record(r, "verification")
                return
            token = tokens.pop()
            # Each partner signs from its own address, as through our proxy in production.
            headers = {"X-Forwarded-For": f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.7"}
            with self.client.get(
                f"/ondertekenen/{token}/",
                name="signing link",
                headers=headers,
                catch_response=True,
            ) as r:
                if not record(r, "signing link"):
                    return
                csrf, sha = CSRF_RE.search(r.text), SHA_RE.search(r.text)
                if not (csrf and sha):
                    errors.append("signing page without form")
                    outcome["other_errors"] += 1
                    return
            data = {
                "csrfmiddlewaretoken": csrf.group(1),
                "action": "sign",
                "signer_name": "Soak Ondertekenaar",
                "signer_function": "Eigenaar",
                "consent": "on",
                "text_sha256": sha.group(1),
            }
            with self.client.post(
                "/ondertekenen/",
                data=data,
                name="sign",
                headers=headers,
                allow_redirects=False,
                catch_response=True,
            ) as r:
                if record(r, "sign") and r.status_code == 302:
                    signatures_made.append(token)

    faults = []

    def fault(label, action):
        try:
            action()
            faults.append({"at_s": round(time.monotonic() - t0, 1), "fault": label})
        except Exception as error:  # a failed fault injection is reported, not hidden
            faults.append(
                {"at_s": round(time.monotonic() - t0, 1), "fault": f"{label} FAILED: {error}"}
            )
        print(f"  fault: {faults[-1]}", flush=True)

    def restart_task_worker():
        # A restart lets the running task finish (a PDF receipt can take a while on a busy
        # machine); a task killed half-way would stay RUNNING in django-tasks-db for good.
        stop(TASK_WORKER["proc"], timeout=180)
        TASK_WORKER["proc"] = start_task_worker()

    def kill_one_worker():
        children = psutil.Process(server.pid).children()
        os.kill(random.choice(children).pid, signal.SIGTERM)

    env = Environment(user_classes=[Leader, Signer])
    runner = env.create_local_runner()
    runner.start(16, spawn_rate=16)
    # The clock starts once the 12 leaders have logged in (argon2 is slow on purpose).
    deadline = time.monotonic() + 120
    while len(ready) < 12 and time.monotonic() < deadline:
        gevent.sleep(0.1)
    t0 = time.monotonic()
    env.stats.reset_all()  # the latencies below are those of the soak, not of the log-ins
    schedule = [
        (
            SOAK_SECONDS * 0.25,
            "SIGHUP to gunicorn (all workers replaced)",
            lambda: server.send_signal(signal.SIGHUP),
        ),
        (
            SOAK_SECONDS * 0.4,
            "task worker stopped (SIGTERM) and started again",
            restart_task_worker,
        ),
        (SOAK_SECONDS * 0.55, "SIGTERM to one gunicorn worker", kill_one_worker),
        (
            SOAK_SECONDS * 0.7,
            "task worker stopped (SIGTERM) and started again",
            restart_task_worker,
        ),
    ]
    for at, label, action in schedule:
        gevent.sleep(max(0, t0 + at - time.monotonic()))
        fault(label, action)
    gevent.sleep(max(0, t0 + SOAK_SECONDS - time.monotonic()))
    runner.quit()
    duration = time.monotonic() - t0
    # Latency per kind of request, faults included: the reads come right after other users'
    # writes.
    latency = {
        name: {
            "requests": entry.num_requests,
            "p50_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "max_ms": round(entry.max_response_time or 0),
        }
        for (name, _method), entry in sorted(env.stats.entries.items())
        if entry.num_requests
    }

    # Let the task worker finish the queue (bounded), then count what is there.
    drain_started = time.monotonic()
    pending = None
    while time.monotonic() - drain_started < 240:
        pending = query(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult"
            " WHERE enqueued_at >= %s AND status IN ('READY', 'RUNNING')",
            [started_at],
        )[0][0]
        if pending == 0:
            break
        time.sleep(1)
    drain_s = round(time.monotonic() - drain_started, 1)
    stop(TASK_WORKER["proc"])

    found_contacts = {
        row[0]
        for row in query("SELECT summary FROM partners_contactmoment WHERE summary LIKE 'soak-%%'")
    }
    from partners.declaration.signing import hash_token

    hashes = [hash_token(t) for t in signatures_made] or ["-"]
    found_signatures = query(
        """SELECT count(DISTINCT s.id) FROM partners_signature s
        JOIN partners_signingtoken t ON t.invitation_id = s.invitation_id
        WHERE t.token_hash = ANY(%s) AND s.decision = 'signed'""",
        [hashes],
    )[0][0]
    tasks = dict(
        query(
            "SELECT status, count(*) FROM django_tasks_database_dbtaskresult"
            " WHERE enqueued_at >= %s GROUP BY status",
            [started_at],
        )
    )
    mails = sum(
        f.read_text(errors="replace").count("\nMessage-ID: ")
        + f.read_text(errors="replace").startswith("Message-ID: ")
        for f in mail_dir.iterdir()
    )
    # Two e-mails per signature stored during the soak (the signer's receipt, the leader's
    # notice): also for a signature whose answer the client did not see as a redirect.
    stored = query("SELECT count(*) FROM partners_signature WHERE answered_at >= %s", [started_at])
    expected_mails = 2 * stored[0][0]
    result = {
        "seconds": round(duration),
        "users": 16,
        **outcome,
        "requests_per_s": round(outcome["requests"] / duration, 1),
        "contacts_logged": len(contacts_made),
        "contacts_found": len(found_contacts & set(contacts_made)),
        "signatures_made": len(signatures_made),
        "signatures_found": found_signatures,
        "tasks": tasks,
        "tasks_pending_after_drain": pending,
        "queue_drained_in_s": drain_s,
        "emails_expected": expected_mails,
        "emails_sent": mails,
        "faults": faults,
        "latency_ms": latency,
        "first_errors": errors[:10],
    }
    result["holds"] = (
        outcome["requests"] > 0
        and result["contacts_logged"] > 0
        and result["signatures_made"] > 0
        and outcome["server_errors"] == 0
        and outcome["connection_errors"] == 0
        and result["contacts_found"] == result["contacts_logged"]
        and result["signatures_found"] == result["signatures_made"]
        and pending == 0
        and set(tasks) <= {"SUCCESSFUL"}
        and mails == expected_mails
        and all("FAILED" not in f["fault"] for f in faults)
    )
    return result


# ---------------------------------------------------------------------------------------------
# Report


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    import django
    import gunicorn

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": query("SHOW server_version")[0][0],
        "gunicorn": f"{gunicorn.__version__}, {WORKERS} sync workers",
        "clock_ticks_per_s": CLOCK_TICKS_PER_S,
        "locust": locust.__version__,
        "load_average_at_start": LOAD_AT_START,
    }


def cpu_snapshot():
    """CPU seconds per process not started by this run: the machine is shared with others."""
    mine = {os.getpid(), *(p.pid for p in psutil.Process().children(recursive=True))}
    snap = {}
    for p in psutil.process_iter(["pid", "cmdline", "name", "cpu_times"]):
        if p.pid in mine or p.info["cpu_times"] is None:
            continue
        cmd = " ".join(p.info["cmdline"] or [p.info["name"] or "?"])[:90]
        snap[p.pid] = (p.info["cpu_times"].user + p.info["cpu_times"].system, cmd)
    return snap


def others_busy(before, after, seconds):
    """The other processes that used the most CPU during the run (share of one CPU)."""
    used = [(cpu - before.get(pid, (0.0, ""))[0], cmd) for pid, (cpu, cmd) in after.items()]
    used.sort(reverse=True)
    return [f"{share / seconds:.0%} of a CPU: {cmd}" for share, cmd in used[:5] if share > 1]


def evaluate(pages, ceiling, admin):
    for page in pages:
        for n in USERS:
            row = page[f"users_{n}"]
            row["x_ceiling"] = round(row["rps"] / ceiling[f"users_{n}"]["rps"], 3)
            row["x_admin"] = round(row["rps"] / admin[f"users_{n}"]["rps"], 2)
            own, base = row["cpu_ms_per_request"], ceiling[f"users_{n}"]["cpu_ms_per_request"]
            # The view's own work: what the page costs beyond the middleware stack.
            row["cpu_ms_above_ceiling"] = (
                round(own - base, 2) if own is not None and base is not None else None
            )
        checks = {"no errors": all(page[f"users_{n}"]["errors"] == 0 for n in USERS)}
        if page["kind"] != "ref":
            checks["queries constant"] = all(
                page[key]["big"] == page[key]["small"] for key in ("queries", "queries_most")
            )
        if page["kind"] in ("html", "list"):
            checks["p95 < 150 ms at 8 users"] = page["users_8"]["p95_ms"] < 150
        if page["kind"] == "list":
            checks["as fast as admin list"] = page["users_8"]["rps"] >= admin["users_8"]["rps"]
        if page["kind"] == "pdf":
            checks["PDF < 2 s (first, laid out)"] = page["first_ms"] < 2000
            checks["PDF < 2 s (p95, 1 user)"] = page["users_1"]["p95_ms"] < 2000
            checks["PDF < 2 s (p95, 8 users)"] = page["users_8"]["p95_ms"] < 2000
        page["checks"] = checks


def _cpu(row):
    if row.get("cpu_ms_per_request") is None:
        return "–"
    return f"{row['cpu_ms_per_request']}{'*' if row['workers_replaced'] else ''}"


def table(results):
    lines = [
        "| page | queries (big/small) | 1 user: req/s | p50 | p95 | CPU ms | 8 users: req/s | p50"
        " | p95 | CPU ms | CPU ms above ceiling (8) | errors | × ceiling (8) | × admin (8)"
        " | targets |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for page in results["pages"]:
        one, eight = page["users_1"], page["users_8"]
        q = page.get("queries", {})
        most = page.get("queries_most", q)
        queries = f"{q.get('big', '–')}/{q.get('small', '–')}"
        if most != q:
            queries += f" (at most {most['big']}/{most['small']})"
        above = eight.get("cpu_ms_above_ceiling")
        checks = page.get("checks", {})
        verdict = "; ".join(f"{'✔' if ok else '✘'} {label}" for label, ok in checks.items())
        lines.append(
            f"| {page['name']} | {queries} | {one['rps']} | {one['p50_ms']} | {one['p95_ms']} |"
            f" {_cpu(one)} | {eight['rps']} | {eight['p50_ms']} | {eight['p95_ms']} |"
            f" {_cpu(eight)} | {'–' if above is None else above} |"
            f" {one['errors'] + eight['errors']} | {eight['x_ceiling']} | {eight['x_admin']} |"
            f" {verdict} |"
        )
    return "\n".join(lines)


def write_doc(results):
    m = results["machine"]
    s = results["soak"]
    block = "\n".join(
        [
            "<!-- bench:begin (written by bench/run.py; edit outside these markers) -->",
            f"Run of {results['finished_at']} at scale {results['scale']} "
            f"({', '.join(f'{v:,} {k}' for k, v in results['volumes'].items())}); "
            f"`make bench` took {results['total_s']:.0f} s.",
            "",
            f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GB, {m['os']}; "
            f"Python {m['python']}, Django {m['django']}, PostgreSQL {m['postgresql']}, "
            f"gunicorn {m['gunicorn']}, locust {m['locust']} on the same machine. "
            f"Load average at start: {m['load_average_at_start']}.",
            "",
            table(results),
            "",
            "CPU ms: the web workers' CPU time (user + system, from /proc/<pid>/stat) per request"
            " over the measuring window; * marks a window in which a worker was replaced.",
            "",
            "PDFs laid out from scratch (the first request, before any was cached): "
            + ", ".join(
                f"{p['name']} {p['first_ms']} ms" for p in results["pages"] if "first_ms" in p
            )
            + ". Under load the same unchanged PDF is served from the PDF cache.",
            "",
            "Memory of each web process after the load (resident, with its PDF cache): "
            f"{results['worker_memory']['workers_rss_mb']} "
            "MB.",
            "",
            f"CSV import ({results['csv_import']['rows']:,} rows, "
            f"{results['csv_import']['bytes']:,} bytes, in the background task): checking every "
            f"row through the page forms {results['csv_import']['check_seconds']} s, the whole "
            f"task (checking, then saving in one transaction) {results['csv_import']['seconds']} s;"
            f" {results['csv_import']['imported']:,} organisations and "
            f"{results['csv_import']['persons']:,} contact persons imported "
            f"({results['csv_import']['status']}).",
            "",
            "Pages not measured because they do not exist (yet): "
            f"{results['missing_pages'] or 'none'}.",
            "",
            f"Soak ({s['seconds']} s, {s['users']} users): {s['requests']} requests, "
            f"{s['server_errors']} server errors, {s['connection_errors']} connection errors, "
            f"{s['other_errors']} other errors; contacts logged {s['contacts_logged']}, found "
            f"{s['contacts_found']}; signatures made {s['signatures_made']}, found "
            f"{s['signatures_found']}; tasks {s['tasks']}; e-mails expected "
            f"{s['emails_expected']}, sent {s['emails_sent']} (queue drained in "
            f"{s['queue_drained_in_s']} s). Faults: "
            + "; ".join(f"{f['at_s']} s {f['fault']}" for f in s["faults"])
            + f". **{'Holds' if s['holds'] else 'Does not hold'}.** Latency during the soak "
            "(p50 / p95 / max, ms; faults included): "
            + "; ".join(
                f"{name} ({v['requests']}) {v['p50_ms']} / {v['p95_ms']} / {v['max_ms']}"
                for name, v in s.get("latency_ms", {}).items()
            )
            + ".",
            "<!-- bench:end -->",
        ]
    )
    text = (
        DOC.read_text()
        if DOC.exists()
        else "# Performance\n\n<!-- bench:begin -->\n<!-- bench:end -->\n"
    )
    text = re.sub(r"<!-- bench:begin.*?<!-- bench:end -->", lambda _m: block, text, flags=re.S)
    DOC.write_text(text)


def csv_import() -> dict:
    """bench/csv_import.py against the bench database, in a process of its own."""
    done = subprocess.run(
        [PY, str(ROOT / "bench" / "csv_import.py")],
        cwd=ROOT,
        env={**ENV, "LOG_LEVEL": "WARNING"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def worker_memory(server) -> dict:
    """Resident memory of each gunicorn worker (MB), with its PDF cache."""
    workers = psutil.Process(server.pid).children()
    return {
        "workers_rss_mb": sorted(round(w.memory_info().rss / 2**20) for w in workers),
        "arbiter_rss_mb": round(psutil.Process(server.pid).memory_info().rss / 2**20),
    }


def main():
    signal.signal(signal.SIGTERM, lambda *_a: sys.exit("stopped (SIGTERM)"))
    t_start = time.monotonic()
    cpu_before = cpu_snapshot()
    WORKDIR.mkdir(parents=True, exist_ok=True)
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    timings, state = prepare()
    pages, missing = resolve_pages(state)
    server = None
    try:
        server = start_server()
        if os.environ.get("BENCH_SOAK_ONLY") == "1":  # development: try the soak alone
            print(json.dumps(soak(server, state, pages), indent=2))
            return
        if ONLY_PAGES:
            pages = [p for p in pages if p["name"] in ONLY_PAGES]
        print("Queries per request (big project / small project):", flush=True)
        count_queries(pages, state)
        print(f"Load: {SECONDS:.0f} s per page at {USERS} users", flush=True)
        for page in pages:
            for n in USERS:
                page[f"users_{n}"] = measure(page, n, state, server)
                r = page[f"users_{n}"]
                print(
                    f"  {page['name']:24} {n} users: {r['rps']:7.1f} req/s  p50 {r['p50_ms']:5} ms"
                    f"  p95 {r['p95_ms']:5} ms  CPU {r['cpu_ms_per_request']} ms/request"
                    f"  errors {r['errors']}",
                    flush=True,
                )
        memory = worker_memory(server)
        print(f"Memory of the web processes after the load: {memory}", flush=True)
        if ONLY_PAGES:
            return
        print(f"Soak: {SOAK_SECONDS:.0f} s, 16 users, with faults", flush=True)
        soak_result = soak(server, state, pages)
    finally:
        stop(TASK_WORKER["proc"])
        stop(server)
    print("CSV import: 30,000 rows through the background task", flush=True)
    csv_result = csv_import()
    print(f"  {csv_result}", flush=True)
    ceiling = next(p for p in pages if p["kind"] == "ref" and p["role"] is None)
    admin = next(p for p in pages if p["kind"] == "ref" and p["role"] == "staff")
    evaluate(pages, ceiling, admin)
    results = {
        "finished_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "scale": SCALE,
        "volumes": state["volumes"],
        "machine": machine(),
        "timings": timings,
        "seconds_per_measurement": SECONDS,
        "pages": [
            {k: v for k, v in p.items() if k != "paths"} | {"path": p["paths"]["big"]}
            for p in pages
        ],
        "missing_pages": missing,
        "worker_memory": memory,
        "soak": soak_result,
        "csv_import": csv_result,
        "total_s": round(time.monotonic() - t_start),
    }
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["machine"]["other_processes_during_run"] = others_busy(
        cpu_before, cpu_snapshot(), time.monotonic() - t_start
    )
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    write_doc(results)
    print()
    print(table(results))
    print()
    print("Soak:", json.dumps(soak_result, indent=2, ensure_ascii=False))
    print(
        f"\nWritten {RESULTS.relative_to(ROOT)} and {DOC.relative_to(ROOT)};"
        f" {results['total_s']} s."
    )


if __name__ == "__main__":
    main()
