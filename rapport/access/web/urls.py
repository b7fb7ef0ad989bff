from django.urls import path

from rapport.access.web import recycle, views

app_name = "access"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/password/", views.profile_password, name="profile-password"),
    path("profile/tokens/", views.token_create, name="token-create"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("people/", views.directory, name="directory"),
    path("people/<int:pk>/", views.person, name="person"),
    path("admin/users/", views.admin_users, name="admin-users"),
    path("admin/users/new/", views.admin_user_create, name="admin-user-create"),
    path("admin/users/<int:pk>/", views.admin_user_edit, name="admin-user-edit"),
    path(
        "admin/users/<int:pk>/deactivate/",
        views.admin_user_deactivate,
        name="admin-user-deactivate",
    ),
    path(
        "admin/users/<int:pk>/reactivate/",
        views.admin_user_reactivate,
        name="admin-user-reactivate",
    ),
    path("admin/roles/", views.admin_roles, name="admin-roles"),
    path("admin/roles/new/", views.admin_role_create, name="admin-role-create"),
    path("admin/roles/<int:pk>/", views.admin_role_edit, name="admin-role-edit"),
    path(
        "admin/roles/<int:pk>/delete/",
        recycle.admin_record_delete,
        {"kind": "role"},
        name="admin-role-delete",
    ),
    path("admin/teams/", views.admin_teams, name="admin-teams"),
    path("admin/teams/new/", views.admin_team_create, name="admin-team-create"),
    path("admin/teams/<int:pk>/", views.admin_team_edit, name="admin-team-edit"),
    path(
        "admin/teams/<int:pk>/delete/",
        recycle.admin_record_delete,
        {"kind": "team"},
        name="admin-team-delete",
    ),
    path("admin/offices/", views.admin_offices, name="admin-offices"),
    path("admin/offices/new/", views.admin_office_create, name="admin-office-create"),
    path("admin/offices/<int:pk>/", views.admin_office_edit, name="admin-office-edit"),
    path("admin/permissions/", views.admin_permissions, name="admin-permissions"),
    path(
        "admin/permissions/<int:pk>/fields/",
        views.admin_permission_fields,
        name="admin-permission-fields",
    ),
    path(
        "admin/offices/<int:pk>/delete/",
        recycle.admin_record_delete,
        {"kind": "office"},
        name="admin-office-delete",
    ),
]
