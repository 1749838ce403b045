"""The floor of the benchmark: what any page costs at least."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from operators.models import Operator


@login_required
def floor(request):
    """Behind the same middleware and login as every page: one query, a small template."""
    operator = Operator.objects.only("name", "slug").order_by("pk").first()
    return render(request, "bench/floor.html", {"operator": operator})
