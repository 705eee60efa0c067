"""Access helpers of the partners app: every view reaches partner data through these."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kvu.access import get_project_for_user
from partners.models import Agreement, ContactMoment, CsvImport, Participation, Person


def get_participation_for_user(user, project_pk, pk, *, write=False):
    """Return (project, participation); 404 unless both belong together and are visible."""
    project = get_project_for_user(user, project_pk, write=write)
    qs = Participation.objects.select_related("organisation", "main_contact", "project")
    try:
        participation = qs.get(pk=pk, project=project)
    except (Participation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return project, participation


def get_person_for_user(user, project, pk, *, write=False):
    """A contact person of an organisation in the project's municipality."""
    if write and not project.user_can_write:
        raise PermissionDenied
    try:
        return Person.objects.select_related("organisation").get(
            pk=pk, organisation__municipality_id=project.municipality_id
        )
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_contact_moment_for_user(user, project, pk, *, write=False):
    """A contact moment of one of the project's participations."""
    if write and not project.user_can_write:
        raise PermissionDenied
    try:
        return ContactMoment.objects.select_related("participation__organisation").get(
            pk=pk, project=project
        )
    except (ContactMoment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_csv_import_for_user(user, project_pk, pk):
    """Return (project, import); 404 unless the import is of a project the user may see."""
    project = get_project_for_user(user, project_pk)
    try:
        return project, CsvImport.objects.get(pk=pk, project=project)
    except (CsvImport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_agreement_for_user(user, project_pk, pk, *, write=False):
    """Return (project, agreement); 404 unless the agreement is of a project the user sees."""
    project = get_project_for_user(user, project_pk, write=write)
    try:
        agreement = Agreement.objects.get(pk=pk, project=project)
    except (Agreement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return project, agreement
