"""Documents: files attached to a project or to one of its objects, checked by their content.

A document is stored in the private "documents" storage (settings.STORAGES) under a random
name and is only ever served by `download`, after the user's municipality has been checked.
The kind of file is read from its first bytes, not taken from its name: a small signature check
rather than a library, because the Office formats need a look inside the ZIP container
([Content_Types].xml, OpenDocument's `mimetype` entry), which the libraries on offer (filetype,
puremagic) guess from the first bytes only, and python-magic needs libmagic on every machine.
"""

import hashlib
import io
import logging
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db import models, transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kvu.access import get_project_for_user
from kvu.http import safe_next
from kvu.models import Document, Project

logger = logging.getLogger("kvu.documents")

# --- what a file is, by its content ----------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    label: str
    mime: str
    extensions: tuple[str, ...]


PDF = Kind("PDF", "application/pdf", ("pdf",))
DOC = Kind("Word 97-2003", "application/msword", ("doc",))
XLS = Kind("Excel 97-2003", "application/vnd.ms-excel", ("xls",))
PPT = Kind("PowerPoint 97-2003", "application/vnd.ms-powerpoint", ("ppt",))
DOCX = Kind(
    "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ("docx",),
)
XLSX = Kind("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",))
PPTX = Kind(
    "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ("pptx",),
)
ODT = Kind("OpenDocument Text", "application/vnd.oasis.opendocument.text", ("odt",))
ODS = Kind("OpenDocument Spreadsheet", "application/vnd.oasis.opendocument.spreadsheet", ("ods",))
ODP = Kind("OpenDocument Presentation", "application/vnd.oasis.opendocument.presentation", ("odp",))
PNG = Kind("PNG", "image/png", ("png",))
JPEG = Kind("JPEG", "image/jpeg", ("jpg", "jpeg"))
GIF = Kind("GIF", "image/gif", ("gif",))
WEBP = Kind("WebP", "image/webp", ("webp",))

KINDS = (PDF, DOC, XLS, PPT, DOCX, XLSX, PPTX, ODT, ODS, ODP, PNG, JPEG, GIF, WEBP)
BY_EXTENSION = {extension: kind for kind in KINDS for extension in kind.extensions}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE2_KINDS = {"doc": DOC, "xls": XLS, "ppt": PPT}
OPENDOCUMENT = {kind.mime: kind for kind in (ODT, ODS, ODP)}
# The main part's content type in [Content_Types].xml; macro-enabled files have another one and
# are refused.
OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
# An inner entry larger than this is no real [Content_Types].xml (and could be a zip bomb).
ZIP_ENTRY_LIMIT = 1024 * 1024


def _zip_kind(data: bytes) -> Kind | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "mimetype" in names and archive.getinfo("mimetype").file_size <= 200:
            return OPENDOCUMENT.get(archive.read("mimetype").decode("ascii", "replace").strip())
        if "[Content_Types].xml" in names:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > ZIP_ENTRY_LIMIT:
                return None
            types = archive.read(info).decode("utf-8", "replace")
            found = {
                OOXML_MAIN[m]
                for m in re.findall(r'ContentType="([^"]+)"', types)
                if m in OOXML_MAIN
            }
            return found.pop() if len(found) == 1 else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, OSError, EOFError):
        return None
    return None


def sniff(data: bytes, extension: str) -> Kind | None:
    """The kind of file `data` is, by its signature; None when it is none we accept.

    `extension` only decides between the old Office formats, which share one container (OLE2)
    whose inner streams this check does not read.
    """
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(OLE2_MAGIC):
        return OLE2_KINDS.get(extension)
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


def accepted_kinds() -> str:
    return ", ".join(sorted({kind.label.split()[0] for kind in KINDS}))


def clean_file_name(name: str) -> str:
    """The user's file name, for display and download only; refused when it holds a path.

    Django's upload handler already keeps only the last part of a path; this refuses what
    reaches the service otherwise (the demo, an import) rather than guessing.
    """
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        raise ValidationError(_("The file has no name."), code="no_name")
    if "/" in name or "\\" in name or name in {".", ".."} or re.search(r"^[A-Za-z]:", name):
        raise ValidationError(
            _("The file name “%(name)s” contains a path; give the file a plain name."),
            code="path",
            params={"name": name},
        )
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise ValidationError(
            _("The file name contains invisible control characters; rename the file."),
            code="control",
        )
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = (stem[: 199 - len(extension)] + dot + extension) if dot else name[:200]
    return name


def check_file(name: str, data: bytes) -> Kind:
    """The kind of an uploaded file; ValidationError with a message the user understands."""
    limit = settings.KVU_DOCUMENT_MAX_BYTES
    if not data:
        raise ValidationError(
            _("The file “%(name)s” is empty."), code="empty", params={"name": name}
        )
    if len(data) > limit:
        raise ValidationError(
            _("The file “%(name)s” is larger than %(limit)s, the largest size allowed."),
            code="too_large",
            params={"name": name, "limit": filesizeformat(limit)},
        )
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    claimed = BY_EXTENSION.get(extension)
    if claimed is None:
        raise ValidationError(
            _("Files like “%(name)s” cannot be attached. Accepted are: %(kinds)s."),
            code="kind",
            params={"name": name, "kinds": accepted_kinds()},
        )
    found = sniff(data, extension)
    if found is None or extension not in found.extensions:
        raise ValidationError(
            _(
                "The content of “%(name)s” is not what its name says (%(kind)s). "
                "Nothing has been saved."
            ),
            code="mismatch",
            params={"name": name, "kind": claimed.label},
        )
    return found


# --- what a document is attached to -----------------------------------------------------------


def target_value(obj) -> str:
    """The value that names `obj` in the upload form ("partners.participation:12"): "" for the
    project itself. Model labels rather than content type ids, so that a page needs no
    content type lookup (whose per-process cache would make its query count vary)."""
    if obj is None or isinstance(obj, Project):
        return ""
    return f"{obj._meta.label_lower}:{obj.pk}"


def _belongs_to_projects(model) -> bool:
    """Documents attach to the rows whose model says so (`accepts_documents = True`: a partner,
    a contact moment, a meeting) and that belong to one project through a `project` key."""
    if model is None or not getattr(model, "accepts_documents", False):
        return False
    try:
        field = model._meta.get_field("project")
    except FieldDoesNotExist:
        return False
    return isinstance(field, models.ForeignKey) and field.related_model is Project


def get_target(project: Project, value: str):
    """The object of `project` that `value` names (None: the project itself); 404 otherwise."""
    if not value:
        return None
    match = re.fullmatch(r"([a-z0-9_]{1,50})\.([a-z0-9_]{1,50}):([0-9]{1,18})", value)
    if not match:
        raise Http404
    try:
        model = apps.get_model(match[1], match[2])
    except LookupError:
        raise Http404 from None
    if not _belongs_to_projects(model):
        raise Http404
    obj = model._default_manager.filter(pk=int(match[3]), project=project).first()
    if obj is None:
        raise Http404
    return obj


def get_document_for_user(user, project_pk, pk, *, write=False):
    """Return (project, document); 404 unless the document is of a project the user sees."""
    project = get_project_for_user(user, project_pk, write=write)
    try:
        document = Document.objects.select_related("uploaded_by", "content_type").get(
            pk=pk, project=project
        )
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    document.project = project  # keeps the user_can_write annotation
    return project, document


# --- services ---------------------------------------------------------------------------------


def add_document(*, project: Project, target=None, title: str, name: str, data: bytes, user=None):
    """Check and store a file; ValidationError (nothing stored) when it is refused."""
    original_name = clean_file_name(name)
    kind = check_file(original_name, data)
    title = (title or "").strip() or original_name.rpartition(".")[0] or original_name
    document = Document(
        project=project,
        title=title[:200],
        original_name=original_name,
        content_type_detected=kind.mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=user,
    )
    if target is not None:
        document.content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        document.object_id = target.pk
    document.full_clean(exclude=["stored_name"])
    storage = document.storage
    # A random name of our own, never the user's: the project, 32 hex digits, the extension.
    wanted = f"{project.pk}/{secrets.token_hex(16)}.{kind.extensions[0]}"
    document.stored_name = storage.save(wanted, ContentFile(data))
    try:
        with transaction.atomic():
            document.save()
    except BaseException:
        storage.delete(document.stored_name)
        raise
    logger.info("document %s added to project %s", document.pk, project.pk)
    return document


def delete_documents_of(obj) -> None:
    """Delete the documents attached to `obj` (before `obj` itself is deleted), each audited."""
    attached = Document.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
    )
    for document in attached:
        delete_document(document=document)


def delete_document(*, document: Document) -> None:
    """Delete the row (audited); remove_file_after_delete removes the file once committed."""
    document.delete()
    logger.info("document removed from project %s", document.project_id)


def remove_file_after_delete(sender, instance, **kwargs):
    """post_delete of Document: every way a row goes (the delete view, a deleted contact
    moment, a project deleted in the admin, which cascades) takes its file along, once the
    deletion is committed; a rolled-back deletion keeps it."""
    storage, stored_name = instance.storage, instance.stored_name
    transaction.on_commit(lambda: storage.delete(stored_name))


# --- forms and views --------------------------------------------------------------------------


class DocumentForm(forms.Form):
    # Rendered by hand in templates/kvu/documents/_upload_form.html, for every page it is on.
    file = forms.FileField(
        label=gettext_lazy("File"),
        allow_empty_file=True,  # refused with our own message, in check_file
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
    target = forms.CharField(required=False, widget=forms.HiddenInput)


def _targets(documents) -> dict:
    """The objects the documents are attached to, by (content type id, object id): one query
    per kind of object on the page, not one per document."""
    wanted = {}
    for document in documents:
        if document.content_type_id:
            wanted.setdefault(document.content_type, set()).add(document.object_id)
    found = {}
    for content_type, ids in wanted.items():
        model = content_type.model_class()
        if model is None:
            continue
        for obj in model._base_manager.filter(pk__in=ids):
            found[(content_type.pk, obj.pk)] = obj
    return found


def _attached_label(document) -> str:
    kind = document.content_type.model_class() if document.content_type_id else None
    if kind is None:
        return _("the project")
    return str(kind._meta.verbose_name)


def document_list(request, project_pk):
    """All documents of a project, newest first, with what each is attached to."""
    project = get_project_for_user(request.user, project_pk)
    documents = Document.objects.filter(project=project).select_related(
        "uploaded_by", "content_type"
    )
    page = Paginator(documents, 50).get_page(request.GET.get("page"))
    targets = _targets(page.object_list)
    rows = []
    for document in page:
        target = targets.get((document.content_type_id, document.object_id))
        rows.append(
            {
                "document": document,
                "attached_to": _attached_label(document),
                "url": target.get_absolute_url() if hasattr(target, "get_absolute_url") else "",
            }
        )
    return render(
        request,
        "kvu/documents/list.html",
        {
            "project": project,
            "page": page,
            "rows": rows,
            "form": DocumentForm() if project.user_can_write else None,
            "limit": settings.KVU_DOCUMENT_MAX_BYTES,
        },
    )


@require_POST
def document_upload(request, project_pk):
    project = get_project_for_user(request.user, project_pk, write=True)
    fallback = reverse("document_list", args=[project.pk])
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        problems = [
            f"{form.fields[name].label or name}: {error}"
            for name, errors in form.errors.items()
            for error in errors
        ]
        messages.error(
            request,
            _("The document has not been saved: %(problems)s") % {"problems": " ".join(problems)},
        )
        return redirect(safe_next(request, fallback))
    target = get_target(project, form.cleaned_data["target"])
    upload = form.cleaned_data["file"]
    limit = settings.KVU_DOCUMENT_MAX_BYTES
    # Read one byte past the limit at most: enough to know the file is too large.
    data = upload.read(limit + 1)
    try:
        document = add_document(
            project=project,
            target=target,
            title=form.cleaned_data["title"],
            name=upload.name,
            data=data,
            user=request.user,
        )
    except ValidationError as error:
        messages.error(
            request,
            _("The document has not been saved: %(problems)s")
            % {"problems": " ".join(error.messages)},
        )
        return redirect(safe_next(request, fallback))
    messages.success(request, _("“%(title)s” has been attached.") % {"title": document.title})
    return redirect(safe_next(request, fallback))


def _content_disposition(name: str) -> str:
    """RFC 6266: an ASCII fallback for old clients and the exact name as UTF-8 in filename*."""
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    fallback = re.sub(r"[^A-Za-z0-9._ -]", "_", fallback).strip() or "document"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def document_download(request, project_pk, pk):
    _project, document = get_document_for_user(request.user, project_pk, pk)
    try:
        handle = document.storage.open(document.stored_name, "rb")
    except FileNotFoundError:
        logger.error("document %s: file missing in storage", document.pk)
        raise Http404 from None
    response = FileResponse(handle, content_type=document.content_type_detected)
    response["Content-Disposition"] = _content_disposition(document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Should a browser still open it (a PDF viewer, an image), it may run and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_http_methods(["GET", "POST"])
def document_delete(request, project_pk, pk):
    project, document = get_document_for_user(request.user, project_pk, pk, write=True)
    fallback = reverse("document_list", args=[project.pk])
    if request.method == "POST":
        title = document.title
        delete_document(document=document)
        messages.success(request, _("“%(title)s” has been deleted.") % {"title": title})
        return redirect(safe_next(request, fallback))
    return render(
        request,
        "kvu/documents/confirm_delete.html",
        {"project": project, "document": document, "next": safe_next(request, fallback)},
    )
