"""`manage.py smtpd`: the SMTP receiver of the projects' logging addresses (partners/inbox)."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partners.inbox.smtp import controller


class Command(BaseCommand):
    help = (
        "Receive e-mail for the projects' logging addresses on KVU_SMTPD_HOST:KVU_SMTPD_PORT "
        "(behind the municipality's mail relay). Off while no port is configured."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default=None, help="Overrides KVU_SMTPD_HOST.")
        parser.add_argument("--port", type=int, default=None, help="Overrides KVU_SMTPD_PORT.")

    def handle(self, *args, host=None, port=None, **options):
        host = host or settings.KVU_SMTPD_HOST
        port = port or settings.KVU_SMTPD_PORT
        if not port:
            raise CommandError("The SMTP receiver is off: set KVU_SMTPD_PORT to switch it on.")
        server = controller(host=host, port=port)
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_args: stop.set())
        server.start()
        self.stdout.write(
            f"Receiving mail for @{settings.KVU_INBOX_DOMAIN} on {host}:{port} "
            f"(at most {settings.KVU_INBOX_MAX_BYTES} bytes a message)."
        )
        try:
            while not stop.wait(1):
                pass
        finally:
            server.stop()
            self.stdout.write("The SMTP receiver has stopped.")
