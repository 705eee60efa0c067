"""Views of the sources: CCV's ten as a checklist, a source's edit page and its documents."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from analysis.access import get_analysis_for_user, get_source_for_user
from analysis.models import INDISPENSABLE_SOURCES
from analysis.sources import selectors, services
from analysis.sources.forms import SourceForm
from kvu.concurrency import locked
from kvu.documents import DocumentForm


def sources(request, project_pk):
    project, analysis = get_analysis_for_user(request.user, project_pk)
    items = selectors.sources_of(analysis)
    documents = selectors.documents_of(project, items)
    return render(
        request,
        "analysis/sources/list.html",
        {
            "project": project,
            "analysis": analysis,
            "rows": [(source, documents[source.pk]) for source in items],
            "progress": selectors.indispensable_progress(items),
            "indispensable_count": len(INDISPENSABLE_SOURCES),
            "here": _("Sources"),
        },
    )


def _list_url(project, source=None):
    url = reverse("sources", args=[project.pk])
    return f"{url}#source-{source.kind}" if source else url


def _edit_page(request, project, source, form, upload_form=None):
    return render(
        request,
        "analysis/sources/edit.html",
        {
            "project": project,
            "source": source,
            "form": form,
            "upload_form": upload_form or DocumentForm(),
            "documents": selectors.documents_of(project, [source])[source.pk],
            "limit": settings.KVU_DOCUMENT_MAX_BYTES,
            "back": _list_url(project, source),
            "here": source.get_kind_display(),
            "parent_url": _list_url(project),
            "parent_label": _("Sources"),
        },
    )


@require_http_methods(["GET", "POST"])
def source_edit(request, project_pk, pk):
    project, _analysis, source = get_source_for_user(request.user, project_pk, pk, write=True)
    form = SourceForm(request.POST or None, instance=source, project=project)
    if request.method == "POST":
        with locked(source):
            if form.is_valid():
                data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
                services.update_source(source=source, **data)
                messages.success(request, _("“%(source)s” has been saved.") % {"source": source})
                return redirect(_list_url(project, source))
        messages.error(request, _("Nothing has been saved; correct the fields with a message."))
    return _edit_page(request, project, source, form)


@require_POST
def source_document_add(request, project_pk, pk):
    project, _analysis, source = get_source_for_user(request.user, project_pk, pk, write=True)
    back = reverse("source_edit", args=[project.pk, source.pk]) + "#documents"
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
        return redirect(back)
    upload = form.cleaned_data["file"]
    # One byte past the limit at most: enough to know the file is too large.
    data = upload.read(settings.KVU_DOCUMENT_MAX_BYTES + 1)
    try:
        document = services.add_source_document(
            project=project,
            source=source,
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
        return redirect(back)
    messages.success(request, _("“%(title)s” has been attached.") % {"title": document.title})
    return redirect(back)
