"""Running a piece of work in several threads at the same moment, for the race tests."""

import threading

import pytest
from django.db import connection, connections

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers, so there is no race to test; CI runs PostgreSQL",
)


def race(count, work, *, timeout=120) -> list:
    """Run `work(i)` in `count` threads released together; each one's result or exception."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def run(i):
        try:
            barrier.wait()
            outcomes[i] = work(i)
        except Exception as error:  # the test inspects every outcome
            outcomes[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes


def race_split(count, work) -> tuple[list, list]:
    """`race()`, split into (results, errors)."""
    outcomes = race(count, work)
    errors = [o for o in outcomes if isinstance(o, Exception)]
    return [o for o in outcomes if not isinstance(o, Exception)], errors
