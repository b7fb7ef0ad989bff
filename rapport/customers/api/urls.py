"""This app's collections, registered on the API router by rapport.api.urls."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from rapport.customers.api.views import AccountViewSet, ContactViewSet


def register(router: BaseRouter) -> None:
    router.register("accounts", AccountViewSet, basename="account")
    router.register("contacts", ContactViewSet, basename="contact")
