"""API for products, price lists, line items and orders (registered by pipeline/api/urls.py)."""

from __future__ import annotations

from rest_framework.routers import BaseRouter


def register(router: BaseRouter) -> None:
    pass
