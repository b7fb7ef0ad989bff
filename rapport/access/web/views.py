"""Sign-in, profile, people directory and the administration pages for the organisation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rapport.access.models import Office, Role, Team, User
from rapport.access.services import session_forget, session_record_login


class LoginView(auth_views.LoginView):
    template_name = "access/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        # django.contrib.auth.login() rotates the session key; then remember the session so it can
        # be ended when the person is deactivated or changes password.
        response = super().form_valid(form)
        session_record_login(request=self.request, user=form.get_user())
        return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    key = request.session.session_key
    logout(request)
    session_forget(session_key=key)
    messages.info(request, "You are signed out.")
    return redirect("access:login")


def _require_admin(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.is_administrator:
        raise PermissionDenied("Only administrators can manage the organisation.")
    return user


@login_required
def profile(request: HttpRequest) -> HttpResponseBase:
    return render(request, "access/profile.html", {"profile_user": request.user})


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    users = User.objects.active().select_related("role", "team", "office")
    return render(request, "access/directory.html", {"users": users})


@login_required
def admin_users(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    users = User.objects.select_related("role", "team", "office", "manager")
    return render(request, "access/admin/users.html", {"users": users})


@login_required
def admin_roles(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    return render(request, "access/admin/roles.html", {"roles": Role.objects.all()})


@login_required
def admin_teams(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    return render(request, "access/admin/teams.html", {"teams": Team.objects.select_related("office", "lead")})


@login_required
def admin_offices(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    return render(request, "access/admin/offices.html", {"offices": Office.objects.all()})
