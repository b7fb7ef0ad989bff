"""Sign-in, profile, people directory and the administration pages for the organisation."""

from __future__ import annotations

from typing import Any, Protocol

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from rapport.access import permissions, selectors, sign_in_events
from rapport.access.models import (
    ApiToken,
    FieldPermission,
    Office,
    Role,
    RolePermission,
    Team,
    User,
    UserSession,
)
from rapport.access.services import (
    api_token_create,
    api_token_revoke,
    session_forget,
    session_record_login,
    user_deactivate,
    user_reactivate,
    user_set_password,
)
from rapport.access.web.forms import (
    OfficeForm,
    ProfileForm,
    RoleForm,
    TeamForm,
    TokenForm,
    UserForm,
)


class LoginView(auth_views.LoginView):
    template_name = "access/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        # django.contrib.auth.login() rotates the session key; then remember the session so it can
        # be ended when the person is deactivated or changes password.
        response = super().form_valid(form)
        session_record_login(request=self.request, user=form.get_user())
        sign_in_events.signed_in(request=self.request, user=form.get_user())
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        sign_in_events.sign_in_failed(request=self.request, email=form.data.get("username", ""))
        return super().form_invalid(form)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    key = request.session.session_key
    if request.user.is_authenticated:
        sign_in_events.signed_out(user=request.user, session_key=key)
    logout(request)
    session_forget(session_key=key)
    messages.info(request, "You are signed out.")
    return redirect("access:login")


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "login_required runs first"
    return user


def _require_admin(request: HttpRequest) -> User:
    """The administration area is for administrators; what they may do there is the engine's."""
    user = request.user
    if not isinstance(user, User) or not user.is_administrator:
        raise PermissionDenied("Only administrators can manage the organisation.")
    return user


def _secure_form[F: BaseForm](form: F, policy: permissions.Policy) -> F:
    """Drop the fields hidden from the role; disable the read-only ones (Django then ignores
    whatever is posted for a disabled field and keeps the record's value)."""
    for name in list(form.fields):
        if name in policy.hidden_fields:
            del form.fields[name]
        elif name in policy.read_only_fields:
            form.fields[name].disabled = True
    return form


# Profile ------------------------------------------------------------------------------------------


def _profile_context(
    request: HttpRequest,
    *,
    details_form: ProfileForm | None = None,
    password_form: PasswordChangeForm | None = None,
    token_form: TokenForm | None = None,
    new_secret: str | None = None,
    new_token: ApiToken | None = None,
) -> dict[str, Any]:
    me = _signed_in(request)
    return {
        "details_form": details_form
        or _secure_form(ProfileForm(instance=me), permissions.policy_for(me, "user")),
        "password_form": password_form or PasswordChangeForm(user=me),
        "token_form": token_form or TokenForm(),
        "tokens": selectors.tokens_of(me),
        "sessions": selectors.sessions_of(me),
        "current_session_key": request.session.session_key,
        "new_secret": new_secret,
        "new_token": new_token,
    }


@login_required
def profile(request: HttpRequest) -> HttpResponseBase:
    me = _signed_in(request)
    if request.method == "POST":
        form = _secure_form(
            ProfileForm(request.POST, instance=User.objects.get(pk=me.pk)),
            permissions.policy_for(me, "user"),
        )
        if form.is_valid():
            form.save_as(acting_user=me)
            messages.success(request, "Your details are saved.")
            return redirect("access:profile")
        return render(request, "access/profile.html", _profile_context(request, details_form=form))
    return render(request, "access/profile.html", _profile_context(request))


@login_required
@require_POST
def profile_password(request: HttpRequest) -> HttpResponseBase:
    me = _signed_in(request)
    form = PasswordChangeForm(user=me, data=request.POST)
    if not form.is_valid():
        return render(request, "access/profile.html", _profile_context(request, password_form=form))
    user_set_password(
        acting_user=me, user=me, password=form.cleaned_data["new_password1"], request=request
    )
    messages.success(
        request, "Password changed. Every other browser signed in as you was signed out."
    )
    return redirect("access:profile")


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponseBase:
    me = _signed_in(request)
    form = TokenForm(request.POST)
    context: dict[str, Any]
    if form.is_valid():
        try:
            new = api_token_create(
                acting_user=me, user=me, name=form.cleaned_data["name"], expires_at=form.expires_at
            )
        except ValueError as error:
            form.add_error(None, str(error))
            context = _profile_context(request, token_form=form)
        else:
            # The secret goes into this response only: it is never stored, so it cannot be shown
            # again after the page is left.
            context = _profile_context(request, new_secret=new.secret, new_token=new.token)
    else:
        context = _profile_context(request, token_form=form)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "access/profile.html#tokens", context)
    return render(request, "access/profile.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponseBase:
    me = _signed_in(request)
    token = get_object_or_404(ApiToken, pk=pk, user=me)
    api_token_revoke(acting_user=me, token=token)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "access/profile.html#token-row", {"token": token})
    messages.success(request, f"The token “{token.name}” is revoked.")
    return redirect(reverse("access:profile") + "#tokens")


# Directory ----------------------------------------------------------------------------------------


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    viewer = _signed_in(request)
    policy = permissions.check(viewer, "read", "user")
    filters = selectors.UserFilters.from_query(request.GET, allow_inactive=False)
    return render(
        request,
        "access/directory.html",
        {
            "filters": filters,
            "page": selectors.people_page(filters, request.GET.get("page"), viewer=viewer),
            "choices": selectors.filter_choices(viewer=viewer),
            "hidden": policy.hidden_fields,
        },
    )


@login_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = _signed_in(request)
    policy = permissions.check(viewer, "read", "user")
    shown = selectors.person_detail(pk=pk, viewer=viewer)
    if shown is None:
        raise Http404("No such person.")
    reports = permissions.mask_hidden(
        viewer,
        "user",
        permissions.scope_queryset(
            viewer, "user", User.objects.active().filter(manager=shown).select_related("role")
        ),
    )
    return render(
        request,
        "access/person.html",
        {
            "person": shown,
            "reports": reports,
            "hidden": policy.hidden_fields,
            "can_edit": viewer.is_administrator and policy.can("edit"),
        },
    )


# Administration -----------------------------------------------------------------------------------


class _SavingForm(Protocol):
    def is_valid(self) -> bool: ...
    def save_as(self, *, acting_user: User) -> Model: ...


def _edit(
    request: HttpRequest,
    *,
    form_class: type[BaseForm],
    instance: Model | None,
    template: str,
    list_url: str,
    noun: str,
    record_type: str,
) -> HttpResponse:
    """Create or edit one organisation record: render the form, or save it through its service.

    Hidden fields are left out of the form and read-only ones disabled, so neither is ever
    written; a record out of the administrator's scope is not found.
    """
    admin = _require_admin(request)
    policy = permissions.check(
        admin, "create" if instance is None else "edit", record_type, instance
    )
    if request.method == "POST":
        form = _secure_form(form_class(request.POST, instance=instance), policy)  # type: ignore[call-arg]
        saving: _SavingForm = form  # type: ignore[assignment]
        if form.is_valid():
            try:
                saved = saving.save_as(acting_user=admin)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                verb = "saved" if instance is not None else "created"
                messages.success(request, f"{noun.capitalize()} “{saved}” {verb}.")
                return redirect(list_url)
    else:
        form = _secure_form(form_class(instance=instance), policy)  # type: ignore[call-arg]
    return render(
        request,
        template,
        {
            "form": form,
            "object": instance,
            "noun": noun,
            "list_url": list_url,
            "hidden": policy.hidden_fields,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def admin_users(request: HttpRequest) -> HttpResponse:
    admin = _require_admin(request)
    policy = permissions.check(admin, "read", "user")
    filters = selectors.UserFilters.from_query(request.GET, allow_inactive=True)
    return render(
        request,
        "access/admin/users.html",
        {
            "filters": filters,
            "page": selectors.people_page(filters, request.GET.get("page"), viewer=admin),
            "choices": selectors.filter_choices(viewer=admin),
            "hidden": policy.hidden_fields,
        },
    )


@login_required
def admin_user_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=UserForm,
        instance=None,
        template="access/admin/user_form.html",
        list_url=reverse("access:admin-users"),
        noun="person",
        record_type="user",
    )


@login_required
def admin_user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    return _edit(
        request,
        form_class=UserForm,
        instance=get_object_or_404(User, pk=pk),
        template="access/admin/user_form.html",
        list_url=reverse("access:admin-users"),
        noun="person",
        record_type="user",
    )


@login_required
def admin_user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _require_admin(request)
    target = get_object_or_404(User.objects.select_related("role", "team"), pk=pk)
    # Deactivation is how people are "deleted": they are never removed.
    permissions.check(admin, "delete", "user", target)
    if target.pk == admin.pk:
        messages.error(request, "You cannot deactivate yourself: ask another administrator.")
        return redirect("access:admin-users")
    # Imported here: the turnover wizard lives in a higher layer (quality) that imports access.
    from rapport.quality.scores.turnover import turnover_counts

    if request.method == "POST":
        user_deactivate(acting_user=admin, user=target)
        messages.success(
            request,
            f"{target} is deactivated: their sessions ended and their API tokens are revoked.",
        )
        # Nothing active stays with an inactive user unless chosen: on to the hand-over.
        if any(turnover_counts(user=target).values()):
            return redirect(f"{reverse('scores:turnover')}?user={target.pk}")
        return redirect("access:admin-users")
    return render(
        request,
        "access/admin/user_deactivate.html",
        {
            "target": permissions.mask_hidden(admin, "user", [target])[0],
            "owned_count": sum(turnover_counts(user=target).values()),
            "session_count": UserSession.objects.filter(user=target).count(),
            "token_count": ApiToken.objects.usable().filter(user=target).count(),
            "report_count": User.objects.active().filter(manager=target).count(),
        },
    )


@login_required
@require_POST
def admin_user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _require_admin(request)
    target = get_object_or_404(
        User.objects.select_related("role", "team", "office", "manager"), pk=pk
    )
    policy = permissions.check(admin, "delete", "user", target)
    user_reactivate(acting_user=admin, user=target)
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "access/admin/users.html#user-row",
            {
                "person": permissions.mask_hidden(admin, "user", [target])[0],
                "hidden": policy.hidden_fields,
            },
        )
    messages.success(request, f"{target} can sign in again. Their old API tokens stay revoked.")
    return redirect("access:admin-users")


@login_required
def admin_roles(request: HttpRequest) -> HttpResponse:
    admin = _require_admin(request)
    permissions.check(admin, "read", "role")
    return render(
        request, "access/admin/roles.html", {"roles": selectors.roles_with_counts(viewer=admin)}
    )


@login_required
def admin_role_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=RoleForm,
        instance=None,
        template="access/admin/object_form.html",
        list_url=reverse("access:admin-roles"),
        noun="role",
        record_type="role",
    )


@login_required
def admin_role_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    return _edit(
        request,
        form_class=RoleForm,
        instance=get_object_or_404(Role, pk=pk),
        template="access/admin/object_form.html",
        list_url=reverse("access:admin-roles"),
        noun="role",
        record_type="role",
    )


@login_required
def admin_teams(request: HttpRequest) -> HttpResponse:
    admin = _require_admin(request)
    permissions.check(admin, "read", "team")
    return render(
        request, "access/admin/teams.html", {"teams": selectors.teams_with_counts(viewer=admin)}
    )


@login_required
def admin_team_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=TeamForm,
        instance=None,
        template="access/admin/object_form.html",
        list_url=reverse("access:admin-teams"),
        noun="team",
        record_type="team",
    )


@login_required
def admin_team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    return _edit(
        request,
        form_class=TeamForm,
        instance=get_object_or_404(Team, pk=pk),
        template="access/admin/object_form.html",
        list_url=reverse("access:admin-teams"),
        noun="team",
        record_type="team",
    )


@login_required
def admin_offices(request: HttpRequest) -> HttpResponse:
    admin = _require_admin(request)
    permissions.check(admin, "read", "office")
    return render(
        request,
        "access/admin/offices.html",
        {"offices": selectors.offices_with_counts(viewer=admin)},
    )


@login_required
def admin_office_create(request: HttpRequest) -> HttpResponse:
    return _edit(
        request,
        form_class=OfficeForm,
        instance=None,
        template="access/admin/object_form.html",
        list_url=reverse("access:admin-offices"),
        noun="office",
        record_type="office",
    )


@login_required
def admin_office_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    return _edit(
        request,
        form_class=OfficeForm,
        instance=get_object_or_404(Office, pk=pk),
        template="access/admin/object_form.html",
        list_url=reverse("access:admin-offices"),
        noun="office",
        record_type="office",
    )


# The permission matrix --------------------------------------------------------------------------


def _require_matrix_editor(request: HttpRequest) -> User:
    """Administrators see the matrix; a read-only role never changes it."""
    admin = _require_admin(request)
    if request.method == "POST" and admin.role is not None and admin.role.is_read_only:
        raise PermissionDenied("A read-only role cannot change permissions.")
    return admin


@login_required
def admin_permissions(request: HttpRequest) -> HttpResponse:
    """Roles and record types: create / read / edit / delete and the visibility scope."""
    admin = _require_matrix_editor(request)
    rows = selectors.permission_matrix()
    scopes = {value for value, _label in RolePermission.Scope.choices}
    if request.method == "POST":
        with transaction.atomic():
            for row in rows:
                for cell in row.cells:
                    key = f"{row.role.pk}-{cell.record_type}"
                    scope = request.POST.get(f"scope-{key}", cell.scope)
                    if scope not in scopes:
                        raise ValidationError(f"Unknown visibility {scope!r}.")
                    permissions.permission_set(
                        acting_user=admin,
                        role=row.role,
                        record_type=cell.record_type,
                        can_create=f"create-{key}" in request.POST,
                        can_read=f"read-{key}" in request.POST,
                        can_edit=f"edit-{key}" in request.POST,
                        can_delete=f"delete-{key}" in request.POST,
                        scope=scope,
                    )
        messages.success(request, "Permissions saved. They apply from the next page people open.")
        return redirect("access:admin-permissions")
    return render(
        request,
        "access/admin/permissions.html",
        {
            "rows": rows,
            "record_types": rows[0].cells if rows else (),
            "actions": permissions.ACTIONS,
            "scopes": RolePermission.Scope.choices,
        },
    )


@login_required
def admin_permission_fields(request: HttpRequest, pk: int) -> HttpResponse:
    """One role's field rules: each secured field visible, read-only or hidden."""
    admin = _require_matrix_editor(request)
    role = get_object_or_404(Role, pk=pk)
    rules = selectors.field_rules(role)
    accesses = {value for value, _label in FieldPermission.Access.choices}
    if request.method == "POST":
        with transaction.atomic():
            for rule in rules:
                access = request.POST.get(f"field-{rule.record_type}-{rule.field_name}", "")
                if access and access not in accesses:
                    raise ValidationError(f"Unknown field access {access!r}.")
                permissions.field_permission_set(
                    acting_user=admin,
                    role=role,
                    record_type=rule.record_type,
                    field_name=rule.field_name,
                    access=access or None,
                )
        messages.success(request, f"Field rules of “{role}” saved.")
        return redirect("access:admin-permission-fields", pk=role.pk)
    return render(
        request,
        "access/admin/permissions_fields.html",
        {"role": role, "rules": rules, "accesses": FieldPermission.Access.choices},
    )
