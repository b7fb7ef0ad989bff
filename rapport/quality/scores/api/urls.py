"""This app's collections, registered on the API router by rapport.api.urls."""

from __future__ import annotations

from rest_framework.routers import BaseRouter


def register(router: BaseRouter) -> None:
    pass
