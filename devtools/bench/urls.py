"""The portal's URLs plus the floor of the benchmark (only under devtools.bench.settings)."""

from django.urls import path

from config.urls import handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as portal

from . import views

urlpatterns = [path("bench/floor/", views.floor, name="bench_floor"), *portal]
