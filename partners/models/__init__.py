"""Models of the partners app: outreach.py (outreach) and declaration.py (signing)."""

from partners.models.declaration import *  # noqa: F403
from partners.models.outreach import *  # noqa: F403
from partners.models.workgroup import *  # noqa: F403
