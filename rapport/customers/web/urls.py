from django.urls import URLPattern, URLResolver, path

from rapport.customers.web import views
from rapport.web.records import record_urls

app_name = "customers"

urlpatterns: list[URLPattern | URLResolver] = [
    *record_urls(
        "accounts",
        "account",
        list_view=views.AccountList,
        detail=views.AccountDetail,
        form=views.AccountEdit,
        delete=views.AccountDelete,
    ),
    path(
        "accounts/<int:pk>/structure/",
        views.AccountStructure.as_view(),
        name="account-structure",
    ),
    *record_urls(
        "contacts",
        "contact",
        list_view=views.ContactList,
        detail=views.ContactDetail,
        form=views.ContactEdit,
        delete=views.ContactDelete,
    ),
]
