"""The WSGI entry point that gunicorn loads."""

import gc
import importlib


def test_the_wsgi_module_freezes_what_lives_as_long_as_the_process():
    """Frozen objects are skipped by the garbage collector's full collections (kvu/wsgi.py)."""
    gc.unfreeze()
    try:
        wsgi = importlib.reload(importlib.import_module("kvu.wsgi"))
        assert callable(wsgi.application)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
