"""A logging filter that blanks signing tokens and calendar feed secrets out of every log line.

Django logs the path of a request answered with 4xx/5xx ("Too Many Requests: /ondertekenen/…/")
and the development server logs every path; a signing link or the secret of a calendar feed
(meetings/urls.py) must never end up in a log file.
Kept free of model imports: logging is configured before the apps are loaded.
"""

import logging
import re

TOKEN_PATH = re.compile(r"(/ondertekenen/)[A-Za-z0-9_\-]{20,}")
FEED_PATH = re.compile(r"(/agenda/)[^/\s\"]+(?=/overleggen\.ics)")


def redact(text: str) -> str:
    return FEED_PATH.sub(r"\1[verborgen]", TOKEN_PATH.sub(r"\1[verborgen]", text))


class RedactSigningTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
