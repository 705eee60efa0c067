"""The working group pages: choose its members among the signatories of the declaration, and
the contact person who represents each member."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kvu.access import get_project_for_user
from kvu.concurrency import save_locked
from partners.models import WorkingGroupMember
from partners.workgroup.access import get_member_for_user
from partners.workgroup.forms import MemberPersonForm, WorkingGroupForm
from partners.workgroup.services import set_working_group


@require_http_methods(["GET", "POST"])
def working_group(request, project_pk):
    write = request.method == "POST"
    project = get_project_for_user(request.user, project_pk, write=write)
    members = list(
        WorkingGroupMember.objects.filter(participation__project=project).select_related(
            "participation__organisation", "person", "added_by"
        )
    )
    form = WorkingGroupForm(
        request.POST or None,
        project=project,
        initial={"members": [m.participation_id for m in members]},
    )
    if request.method == "POST" and form.is_valid():
        set_working_group(
            project=project, participations=form.cleaned_data["members"], user=request.user
        )
        messages.success(request, _("The working group has been saved."))
        return redirect("working_group", project_pk=project.pk)
    return render(
        request,
        "partners/workgroup.html",
        {"project": project, "form": form, "members": members},
    )


@require_http_methods(["GET", "POST"])
def member_person(request, project_pk, pk):
    project, member = get_member_for_user(request.user, project_pk, pk, write=True)
    form = MemberPersonForm(request.POST or None, instance=member)
    if request.method == "POST" and save_locked(form):
        messages.success(
            request,
            _("%(name)s is now represented in the working group by %(person)s.")
            % {
                "name": member.participation.organisation.name,
                "person": member.person.name if member.person else _("nobody yet"),
            },
        )
        return redirect("working_group", project_pk=project.pk)
    return render(
        request,
        "partners/workgroup_member.html",
        {"project": project, "member": member, "form": form},
    )
