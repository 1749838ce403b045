"""URL patterns of the minutes pages, joined into the meetings namespace by meetings/urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
