"""A small rate limiter on the database, for the public and password-reset endpoints.

django-ratelimit needs memcached or Redis for atomic counters; this application keeps all its
state in PostgreSQL (DESIGN.md), so we count in a table with an atomic UPDATE ... SET count =
count + 1 instead. One row per client, limit and time window.
"""

import datetime
import functools
import hashlib

from django.db import IntegrityError, transaction
from django.db.models import F
from django.shortcuts import render
from django.utils import timezone

from kvu.models import RateLimitCounter
from kvu.security import client_ip

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'5/m' -> (5, 60): at most 5 requests per 60 seconds."""
    count, unit = rate.split("/")
    return int(count), _UNITS[unit]


def _key_and_window(group: str, client: str, period: int, now: datetime.datetime):
    window = datetime.datetime.fromtimestamp(
        int(now.timestamp()) // period * period, tz=datetime.UTC
    )
    return hashlib.sha256(f"{group}\x00{client}".encode()).hexdigest(), window


def count(group: str, client: str, *, period: int) -> int:
    """The count of `client` for `group` in the current window, without counting a request."""
    key, window = _key_and_window(group, client, period, timezone.now())
    counter = RateLimitCounter.objects.filter(key=key, window_start=window).first()
    return counter.count if counter else 0


def hit(group: str, client: str, *, period: int, now: datetime.datetime | None = None) -> int:
    """Count one request of `client` for `group` and return the count in the current window."""
    now = now or timezone.now()
    key, window = _key_and_window(group, client, period, now)
    with transaction.atomic():
        counters = RateLimitCounter.objects.filter(key=key, window_start=window)
        if not counters.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateLimitCounter.objects.create(key=key, window_start=window, count=1)
                # A new window: forget this client's windows of more than a day ago.
                RateLimitCounter.objects.filter(
                    key=key, window_start__lt=now - datetime.timedelta(days=1)
                ).delete()
                return 1
            except IntegrityError:
                counters.update(count=F("count") + 1)
        return counters.values_list("count", flat=True).get()


def ratelimit(*, group: str, rate: str, methods=("POST",)):
    """Answer 429 with a Dutch page when a client exceeds `rate` on this view."""
    limit, period = parse_rate(rate)

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and hit(group, client_ip(request), period=period) > limit:
                return render(request, "429.html", status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
