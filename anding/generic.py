"""Generic views shared by every app: scoped lists with filters, sorting, pagination and Excel export."""

import re
import uuid

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.views.generic import DetailView, ListView

from . import audit
from .exports import xlsx_response
from .middleware import restored_form_data
from .models import FormSubmission

__all__ = ["KeptFormMixin", "ObjectListView", "OnceOnlyFormMixin", "ScopedDetailView", "parse_int"]

_ASCII_INT = re.compile(r"[0-9]{1,18}")


def parse_int(value: str | None) -> int | None:
    """A whole number from a query or form parameter, written in ASCII digits (at most 18, so that it fits a
    database integer); None for anything else. Not `str.isdigit()`: that also passes "²", which `int()` refuses,
    and "١", which `int()` reads as 1."""
    if value is None or not _ASCII_INT.fullmatch(value):
        return None
    return int(value)


class ObjectListView(LoginRequiredMixin, ListView):
    """A list of scoped rows. Subclasses give `get_base_queryset()` (a selector call), `filterset_class`,
    `sort_fields` ({"key": "orm path"}) and `export_columns` ([(header, function of the row)])."""

    filterset_class = None
    paginate_by = 50
    sort_fields: dict[str, str] = {}
    default_sort: str = ""
    export_columns: list = []
    export_name = "export"

    def get_base_queryset(self):
        raise ImproperlyConfigured(f"{type(self).__name__} must define get_base_queryset()")

    def get_queryset(self):
        queryset = self.get_base_queryset()
        self.filterset = None
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(self.request.GET, queryset=queryset, request=self.request)
            queryset = self.filterset.qs if self.filterset.is_valid() else queryset.none()
        sort = self.request.GET.get("sort", self.default_sort)
        self.sort = sort if sort.lstrip("-") in self.sort_fields else self.default_sort
        if self.sort:
            field = self.sort_fields[self.sort.lstrip("-")]
            queryset = queryset.order_by(("-" if self.sort.startswith("-") else "") + field, "pk")
        return queryset

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx" and self.export_columns:
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self):
        rows = self.get_queryset()
        headers = [str(header) for header, _ in self.export_columns]
        data = [[value(row) for _, value in self.export_columns] for row in rows]
        audit.record(
            "export",
            detail={"list": self.export_name, "rows": len(data), "query": self.request.GET.urlencode()},
        )
        title = self.model._meta.verbose_name_plural
        return xlsx_response(self.export_name, title, headers, data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        context.update(
            filterset=self.filterset,
            current_sort=self.sort,
            query_string=query.urlencode(),
            export_query=(query.urlencode() + "&" if query else "") + "export=xlsx",
        )
        return context


class ScopedDetailView(LoginRequiredMixin, DetailView):
    """A page of one scoped object: `selector(user, pk)` answers 404 outside the user's scope."""

    selector = None

    def get_object(self, queryset=None):
        return type(self).selector(self.request.user, self.kwargs["pk"])


class _Undo(Exception):
    def __init__(self, response):
        self.response = response


class OnceOnlyFormMixin:
    """Create forms carry a one-time token (`{% include "includes/form_token.html" %}`). A second submit of the
    same form (a double click, a resubmitted page, a retry after a timeout) creates nothing and lands on what the
    first one created. The token is spent in the transaction that creates the record, so it also holds when both
    requests arrive at once."""

    def _token(self):
        try:
            return uuid.UUID(self.request.POST.get("form_token", ""))
        except ValueError:
            return None

    def get_context_data(self, **kwargs):
        token = self._token() if self.request.method == "POST" else None
        return super().get_context_data(form_token=token or uuid.uuid4(), **kwargs)

    def post(self, request, *args, **kwargs):
        token = self._token()
        if token is None:
            return super().post(request, *args, **kwargs)
        done = FormSubmission.objects.filter(token=token, user=request.user).exclude(url="").first()
        if done:
            return redirect(done.url)
        try:
            with transaction.atomic():
                submission = FormSubmission.objects.create(token=token, user=request.user)
                response = super().post(request, *args, **kwargs)
                if response.status_code not in (301, 302, 303):
                    raise _Undo(response)  # the form or the service refused: the token stays unspent
                submission.url = response["Location"]
                submission.save(update_fields=["url"])
        except _Undo as undo:
            return undo.response
        except IntegrityError:
            # The same form arrived twice at once: the other request created the record.
            done = FormSubmission.objects.filter(token=token, user=request.user).first()
            return redirect(done.url if done and done.url else request.path)
        return response


class KeptFormMixin:
    """A FormView that shows the entries kept across a session timeout (see KeepFormOnTimeoutMiddleware)."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        data = restored_form_data(self.request)
        if data is not None and self.request.method == "GET":
            kwargs["data"] = data
        return kwargs
