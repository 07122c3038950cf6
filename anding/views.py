"""Top-floor views: the dashboard, composed from every app's providers, the password change, the health check, and the
404 answer."""

import hashlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.db import connection, transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, TemplateView
from rest_framework.exceptions import NotFound

from . import audit, jobs, kept, registry
from .charts import Section
from .exports import XLSX_CONTENT_TYPE, xlsx_response
from .models import Job

__all__ = ["DashboardView", "JobView", "PasswordChangeView", "healthz", "job_download", "page_not_found"]

FRESH_SECONDS = 24 * 3600  # the date is in the key: a day is as long as a kept dashboard can serve


class DashboardView(LoginRequiredMixin, TemplateView):
    """The person's to-do list first, then the figures of their scope (each app lends a panel).

    For a town or anything narrower (the organizations an app names, `fresh_nodes`), both are kept in the cache under
    the versions of those organizations' subtrees (`anding.kept`): read again after any change there, and
    never otherwise. The figures of a scope an app calls wide (a district's, the city's: sums over thousands of
    villages that take seconds), which change every minute somewhere, are kept for DASHBOARD_CACHE_SECONDS, per
    user and language, and say when they were read; its to-do list is read on each request."""

    template_name = "dashboard.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            sheets = [panel.sheet() for panel in self.panels() if isinstance(panel, Section)]
            audit.record("export", detail={"list": "dashboard", "rows": sum(len(rows) for _t, _h, rows in sheets)})
            return xlsx_response("dashboard", *sheets)
        return super().get(request, *args, **kwargs)

    def panels(self) -> list:
        """Each app's panels at the user's scope; a provider lends one panel, a list of them, or nothing."""
        panels = []
        for provider in registry.providers("dashboard"):
            lent = provider(self.request.user)
            panels += lent if isinstance(lent, list) else [lent] if lent else []
        return panels

    def figures(self) -> dict:
        """The panels and sections rendered (`html`), the sections' index (`contents`: key, title) and, for figures
        kept in the cache, when they were read (`as_of`)."""
        user = self.request.user
        scope = next((s for provider in registry.providers("dashboard_cache") if (s := provider(user))), None)
        key = None
        if scope is not None and settings.DASHBOARD_CACHE_SECONDS > 0:
            parts = f"{user.pk}|{get_language()}|{timezone.localdate()}|{scope}"
            key = "dashboard:" + hashlib.sha256(parts.encode()).hexdigest()
            figures = cache.get(key)
            if figures is not None:
                return figures
        panels = self.panels()
        sections = [p for p in panels if isinstance(p, Section)]
        figures = {
            "html": render_to_string("includes/dashboard_figures.html", {"panels": panels, "sections": sections}),
            "contents": [(s.key, str(s.title)) for s in sections],
            "as_of": timezone.now() if key is not None else None,
        }
        if key is not None:
            cache.set(key, figures, settings.DASHBOARD_CACHE_SECONDS)
        return figures

    def read(self) -> dict:
        user = self.request.user
        todos = [item for provider in registry.providers("todo") for item in provider(user)]
        return {"todos": todos, "figures": self.figures()}

    def kept(self) -> dict:
        """The to-do list and the figures, from the cache while the subtrees they are read from are unchanged."""
        name = kept.key(self.request.user, "dashboard")
        if name is None:
            return self.read()
        found = kept.get(name)
        if found is None:
            with transaction.atomic():  # read on the primary, which the versions follow; a replica may lag behind
                found = self.read()
            kept.put(name, found, FRESH_SECONDS)
        return found

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **self.kept(), cache_minutes=max(1, round(settings.DASHBOARD_CACHE_SECONDS / 60)), **kwargs
        )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change (the old password, then the new one twice, through the password rule), on the
    portal's pages: where an expired password sends its user (anding.accounts). The change is an audit event and
    leads back to the page asked for (`next`, on this site)."""

    template_name = "registration/password_change_form.html"

    def next_url(self) -> str:
        url = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(url, {self.request.get_host()}, self.request.is_secure()):
            return url
        return ""

    def get_context_data(self, **kwargs):
        from .accounts import expired_message, password_expired

        expired = expired_message() if password_expired(self.request.user) else ""
        return super().get_context_data(next=self.next_url(), password_expired=expired, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)  # audited as every password change is (anding.audit)
        return redirect(self.next_url()) if self.next_url() else response


@never_cache
def healthz(request):
    """200 when the database answers a round trip, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def page_not_found(request, exception):
    """404 for a URL that no route matches (`handler404`): under /api/ the API's own JSON body, as for an object
    out of scope, so that a client always reads JSON there; elsewhere the site's page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)


class JobView(LoginRequiredMixin, DetailView):
    """A background job's progress, then its download: for the user who asked for it only (404 for anyone else)."""

    template_name = "job.html"
    context_object_name = "job"

    def get_queryset(self):
        return Job.objects.filter(user=self.request.user)

    def get_template_names(self):
        return ["job.html"] if self.object.kind == Job.EXPORT else [f"jobs/{self.object.kind}.html", "job.html"]

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"keep_hours": settings.JOB_KEEP_HOURS}


@login_required
def job_download(request, pk):
    job = get_object_or_404(Job, pk=pk, user=request.user, status=Job.Status.DONE, kind=Job.EXPORT)
    try:
        file = jobs.job_file(job).open("rb")
    except FileNotFoundError:
        raise Http404 from None
    audit.record("export_download", obj=job, detail={"file": job.filename, "rows": job.done})
    return FileResponse(file, as_attachment=True, filename=job.filename, content_type=XLSX_CONTENT_TYPE)
