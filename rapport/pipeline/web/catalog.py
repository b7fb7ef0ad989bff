"""Pages for products, price lists, line items and orders (mounted by pipeline/web/urls.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
