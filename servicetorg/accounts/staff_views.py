"""The administrator's staff pages: who works here and in which roles."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from servicetorg.accounts.actions import add_staff_member, set_roles
from servicetorg.accounts.constants import Role
from servicetorg.accounts.decorators import staff_required
from servicetorg.accounts.queries import get_staff_member_for_admin, list_staff_for_admin
from servicetorg.accounts.staff_forms import NewStaffForm, RolesForm


@require_http_methods(["GET", "POST"])
@staff_required(Role.ADMIN)
def staff_list(request: HttpRequest) -> HttpResponse:
    municipality = request.municipality
    form = NewStaffForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        user = add_staff_member(municipality, **form.cleaned_data, actor=request.user)
        set_roles(user, municipality, {Role.CASEWORKER: []}, actor=request.user)
        messages.success(
            request, _("The staff member is added as a caseworker. Adjust the roles below.")
        )
        return redirect("staff:edit", municipality=municipality.slug, user_id=user.pk)
    context = {"people": list_staff_for_admin(municipality), "form": form}
    return render(request, "accounts/staff_list.html", context)


@require_http_methods(["GET", "POST"])
@staff_required(Role.ADMIN)
def staff_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    municipality = request.municipality
    person = get_staff_member_for_admin(municipality, user_id)
    current = {m.role: m.departments for m in person.memberships.filter(municipality=municipality)}
    initial = {"roles": list(current), "departments": ", ".join(current.get(Role.CASEWORKER, []))}
    form = RolesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        roles = form.role_map()
        if person == request.user and Role.ADMIN not in roles:
            form.add_error("roles", _("You cannot remove your own administrator role."))
        else:
            set_roles(person, municipality, roles, actor=request.user)
            messages.success(request, _("The roles are saved."))
            return redirect("staff:list", municipality=municipality.slug)
    return render(request, "accounts/staff_edit.html", {"person": person, "form": form})
