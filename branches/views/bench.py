"""The benchmark's bare reference page: the first 50 members in the user's scope (for the village secretary, the
members of their village) through the same scoping, rendered with a minimal template and nothing else: what
Django itself does on this machine for such a page. Registered only when settings.BENCH is on (`make bench`
sets it for its own server), never in production URLs."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..models import PartyMember


@login_required
def bare_members(request):
    members = PartyMember.objects.restrict(request.user).order_by("name", "id")
    rows = members.values_list("name", "gender", "birth_date", "status")[:50]
    return render(request, "bench/bare_members.html", {"rows": rows})
