"""Background task of the partners app: a confirmed CSV import, checked row by row, saved at once.

The rows are checked outside any transaction, so the progress written on the way is visible to
the page that polls it; then every row is saved in one transaction, together with the "done"
mark, so that an import is either complete or absent.
"""

import logging

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partners import csv_io
from partners.models import CsvImport, CsvImportStatus

logger = logging.getLogger("partners.csv")

# A file of 30,000 faulty rows should not give a status row of megabytes.
MAX_MESSAGES = 200


@task
def import_partners(csv_import_id: int) -> None:
    # Claimed with one conditional update: a task that is run twice imports once.
    claimed = CsvImport.objects.filter(pk=csv_import_id, status=CsvImportStatus.QUEUED).update(
        status=CsvImportStatus.CHECKING, updated_at=timezone.now()
    )
    if not claimed:
        return
    csv_import = CsvImport.objects.select_related("project__municipality", "created_by").get(
        pk=csv_import_id
    )
    # No request here: the audit trail gets the user who confirmed the import from set_actor.
    with translation.override(csv_import.language), set_actor(csv_import.created_by):
        try:
            run_import(csv_import)
        except Exception:
            logger.exception("CSV import %s stopped", csv_import_id)
            _finish(
                csv_import,
                CsvImportStatus.FAILED,
                messages=[_("The import stopped unexpectedly; nothing has been changed.")],
            )
            raise


def run_import(csv_import: CsvImport) -> None:
    project = csv_import.project

    # The import's own bookkeeping, not a user's change of project data (the imported rows are
    # ordinary saves): update() keeps each progress note one cheap UPDATE.
    def progress(rows_done, rows_total, faulty):
        CsvImport.objects.filter(pk=csv_import.pk).update(
            rows_done=rows_done,
            rows_total=rows_total,
            errors_so_far=faulty,
            updated_at=timezone.now(),
        )

    plan = csv_io.plan_import(project=project, content=csv_import.content, progress=progress)
    csv_import.refresh_from_db(fields=["rows_done", "rows_total", "errors_so_far"])
    if not plan.is_valid:
        messages = [*plan.errors, *(csv_io.row_message(row) for row in plan.faulty_rows)]
        if len(messages) > MAX_MESSAGES:
            more = len(messages) - MAX_MESSAGES
            messages = [
                *messages[:MAX_MESSAGES],
                _("… and %(count)s more rows with problems.") % {"count": more},
            ]
        _finish(csv_import, CsvImportStatus.FAILED, messages=messages)
        return

    csv_import.status = CsvImportStatus.SAVING
    csv_import.save(update_fields=["status", "updated_at"])
    try:
        with transaction.atomic():
            counts = csv_io.apply_import(project=project, plan=plan, user=csv_import.created_by)
            _finish(csv_import, CsvImportStatus.DONE, counts=counts)
    except (ValidationError, IntegrityError) as error:
        # Someone changed an organisation between the check and the save (a KvK number taken).
        details = error.messages if isinstance(error, ValidationError) else []
        _finish(
            csv_import,
            CsvImportStatus.FAILED,
            messages=[
                _("The import could not be saved; nothing has been changed. Check the file."),
                *details,
            ],
        )


def _finish(csv_import, status, *, messages=(), counts=None):
    csv_import.status = status
    csv_import.messages = list(messages)
    csv_import.counts = counts or {}
    # The file held contact persons' data and is not needed any more.
    csv_import.content = ""
    csv_import.save(update_fields=["status", "messages", "counts", "content", "updated_at"])
