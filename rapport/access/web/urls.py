from django.urls import path

from rapport.access.web import views

app_name = "access"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("people/", views.directory, name="directory"),
    path("admin/users/", views.admin_users, name="admin-users"),
    path("admin/roles/", views.admin_roles, name="admin-roles"),
    path("admin/teams/", views.admin_teams, name="admin-teams"),
    path("admin/offices/", views.admin_offices, name="admin-offices"),
]
