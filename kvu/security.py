"""Security plumbing: the client's address, session limits, log-in limits, and the security log."""

import hashlib
import hmac
import logging
import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import render

logger = logging.getLogger("kvu.security")


def client_ip(request) -> str:
    """The client's address; behind our own TLS proxy, the address that proxy saw."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # The proxy appends the address it saw; anything before it is client-supplied.
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def pseudonym(value: str) -> str:
    """A keyed hash that lets the log correlate events without holding personal data."""
    digest = hmac.new(settings.SECRET_KEY.encode(), value.lower().encode(), hashlib.sha256)
    return digest.hexdigest()[:12]


class IdleSessionMiddleware:
    """Keeps a signed-in user's session alive while they work, without a write on every page.

    A session ends SESSION_COOKIE_AGE after it was last saved. Django can save it on every
    request (SESSION_SAVE_EVERY_REQUEST), which makes every page view an UPDATE; here it is saved
    when SESSION_TOUCH_SECONDS have passed since the last save, so the idle limit holds to within
    that margin. Sits just inside SessionMiddleware, which saves on the way out.
    """

    KEY = "_kvu_touched_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(self.KEY, 0) >= settings.SESSION_TOUCH_SECONDS:
                request.session[self.KEY] = now
        return response


class AbsoluteSessionLimitMiddleware:
    """Ends a session a fixed time after log-in, however active the user is.

    The inactivity timeout is Django's own SESSION_COOKIE_AGE, kept fresh by
    IdleSessionMiddleware.
    """

    KEY = "_kvu_login_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault(self.KEY, int(time.time()))
            if time.time() - started > settings.SESSION_ABSOLUTE_AGE:
                logger.info("session ended: absolute limit reached (user id %s)", request.user.pk)
                logout(request)
        return self.get_response(request)


def log_login(sender, request, user, **kwargs):
    now = int(time.time())
    request.session[AbsoluteSessionLimitMiddleware.KEY] = now
    request.session[IdleSessionMiddleware.KEY] = now  # logging in saves the session anyway
    logger.info("login succeeded (user id %s)", user.pk)


def log_logout(sender, request, user, **kwargs):
    logger.info("logout (user id %s)", getattr(user, "pk", None))


def log_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))
    logger.warning("login failed (username pseudonym %s)", pseudonym(username))
    if request is not None:
        from kvu import ratelimit  # it imports this module

        ratelimit.hit(LOGIN_FAILURES, client_ip(request), period=_login_failure_period())


LOGIN_FAILURES = "login-failures-per-address"


def _login_failure_period() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


class LoginAddressLimitMiddleware:
    """Refuses log-ins from an address that failed too often, whatever the user names tried.

    django-axes locks one user name per address (AXES_LOCKOUT_PARAMETERS); trying one password on
    many user names gets past that. Failures per address are counted by log_login_failed in
    windows of the axes cool-off time, with a higher limit, since colleagues may share an address.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.resolver_match.view_name != settings.LOGIN_URL:
            return None
        from kvu import ratelimit

        address = client_ip(request)
        failures = ratelimit.count(LOGIN_FAILURES, address, period=_login_failure_period())
        if failures < settings.LOGIN_FAILURES_PER_ADDRESS:
            return None
        logger.warning("login refused: too many failures from address %s", pseudonym(address))
        return render(request, "429.html", status=429)


def axes_client_ip(request) -> str:
    return client_ip(request)
