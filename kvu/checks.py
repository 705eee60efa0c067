"""Deployment checks of our own settings (`manage.py check --deploy`)."""

from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0", ""}


@register(Tags.security, deploy=True)
def check_public_addresses(app_configs=None, **kwargs):
    """Links in e-mails and QR codes use SITE_URL, mail goes out from DEFAULT_FROM_EMAIL: in
    production neither may point at this machine."""
    errors = []
    site = urlsplit(settings.SITE_URL)
    if site.hostname in LOCAL_HOSTS or site.hostname is None or site.scheme != "https":
        errors.append(
            Error(
                f"SITE_URL is {settings.SITE_URL!r}: links and QR codes in e-mails and PDFs "
                "would point at this machine.",
                hint="Set SITE_URL to the public https address, e.g. https://kvu.gemeente.nl.",
                id="kvu.E001",
            )
        )
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    domain = address.rpartition("@")[2].lower()
    if "@" not in address or domain in LOCAL_HOSTS or "." not in domain:
        errors.append(
            Error(
                f"DEFAULT_FROM_EMAIL is {settings.DEFAULT_FROM_EMAIL!r}: mail from a local "
                "address is refused or lands in spam.",
                hint="Set DEFAULT_FROM_EMAIL, e.g. 'KVU-werkplaats <kvu@gemeente.nl>'.",
                id="kvu.E002",
            )
        )
    return errors
