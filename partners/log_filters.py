"""A logging filter that blanks personal links and secret addresses out of every log line.

Django logs the path of a request answered with 4xx/5xx ("Too Many Requests: /ondertekenen/…/")
and the development server logs every path; a signing link, a team invitation link
(kvu/team/urls.py), a survey link (analysis/surveys/urls.py), the secret of a calendar feed
(meetings/urls.py) or of a project's logging address (partners/inbox/, which the SMTP server's
own log names) must never end up in a log file.
Kept free of model imports: logging is configured before the apps are loaded.
"""

import logging
import re

TOKEN_PATH = re.compile(r"(/ondertekenen/|/team/uitnodiging/|/enquete/)[A-Za-z0-9_\-]{20,}")
LOGGING_ADDRESS = re.compile(r"(logboek\+)[A-Za-z0-9]{16,}", re.IGNORECASE)
FEED_PATH = re.compile(r"(/agenda/)[^/\s\"]+(?=/overleggen\.ics)")


def redact(text: str) -> str:
    text = TOKEN_PATH.sub(r"\1[verborgen]", text)
    text = LOGGING_ADDRESS.sub(r"\1[verborgen]", text)
    return FEED_PATH.sub(r"\1[verborgen]", text)


class RedactSigningTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
