"""Generic views shared by every app: scoped lists with filters, sorting, pagination and Excel export, scoped
pages of one object, the form page and the saving of a form through a service.

Scope lives here, not in each view (NetBox's generic views): a view names its `model` (or a `queryset` of it) and
the `scope_action`, and the base restricts the rows to the user's scope before anything else. A selector hooked in
through `select()` only adds joins and annotations, so a view that forgets one still shows nothing out of scope.
A page that reads through selectors taking the user (a summary of the whole scope) says so by subclassing
`ScopedSummaryView`; `tests/test_view_scope.py` lists every view that is built on neither.
"""

import datetime
import re
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView, TemplateView

from . import audit, jobs
from .exports import xlsx_response
from .forms import add_service_errors
from .kept import KeptPageMixin
from .middleware import restored_form_data
from .models import AuditEvent, FormSubmission
from .pagination import DeferredJoinPaginator, count_estimable
from .scoping import get_or_404

__all__ = [
    "AuditedReadMixin",
    "FormPageMixin",
    "KeptFormMixin",
    "ObjectEditView",
    "ObjectListView",
    "OnceOnlyFormMixin",
    "ScopedDetailView",
    "ScopedObjectMixin",
    "ScopedSummaryView",
    "ServiceFormMixin",
    "parse_int",
]

_ASCII_INT = re.compile(r"[0-9]{1,18}")


def parse_int(value: str | None) -> int | None:
    """A whole number from a query or form parameter, written in ASCII digits (at most 18, so that it fits a
    database integer); None for anything else. Not `str.isdigit()`: that also passes "²", which `int()` refuses,
    and "١", which `int()` reads as 1."""
    if value is None or not _ASCII_INT.fullmatch(value):
        return None
    return int(value)


class ScopedObjectMixin(LoginRequiredMixin):
    """Reads of `model` (or of `queryset`) limited to the user's scope for `scope_action`, then given their joins
    and annotations by `select()`; `get_object()` finds one of them by the URL's `pk` (404 outside the scope)."""

    model = None
    queryset = None
    scope_action = "view"
    pk_url_kwarg = "pk"

    def scoped_queryset(self, action: str | None = None):
        rows = self.queryset if self.queryset is not None else self.model._default_manager
        return self.select(rows.all().restrict(self.request.user, action or self.scope_action))

    def select(self, queryset):
        """Joins and annotations of the rows (a selector's work); the rows are already in scope."""
        return queryset

    def get_object(self, queryset=None):
        rows = self.scoped_queryset() if queryset is None else queryset
        return get_or_404(rows, pk=self.kwargs[self.pk_url_kwarg])  # out of scope: 404, and audited


class ScopedSummaryView(LoginRequiredMixin, KeptPageMixin, TemplateView):
    """A page that summarizes the user's whole scope (the tree, completeness, a meeting pack) through selectors
    that take the user and restrict every read themselves."""


class ObjectListView(ScopedObjectMixin, KeptPageMixin, ListView):
    """A list of scoped rows. Subclasses give `model`, `select()` (a selector's joins), `filterset_class`, `title`,
    and `table` (an anding.tables.Table: the page's columns, what they sort by, and the Excel export's columns).
    The page is `generic/object_list.html` or a template that extends it."""

    filterset_class = None
    paginate_by = 50
    paginator_class = DeferredJoinPaginator  # the last page about as fast as the first
    count_limit: int | None = None  # count at most this many rows (anding.pagination): a list that can be huge
    # a list that can be huge and must keep exact paging from its end: the planner's estimate, from this many rows, on
    # a wide scope's first pages without filters (anding.pagination.count_estimable)
    count_estimate_from: int | None = None
    sort_fields: dict[str, str] = {}
    default_sort: str = ""
    table = None
    title = ""
    export_name = "export"
    export_permission: str | None = None  # a permission the export needs besides the scope
    export_limit: str | None = None  # the name of a setting: at most this many exports a user and hour

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        return self.paginator_class(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            count_limit=self.count_limit,
            estimate_from=self.count_estimate_from if self.count_estimable() else None,
            **kwargs,
        )

    def count_estimable(self) -> bool:
        if self.count_estimate_from is None:
            return False
        model = self.queryset.model if self.queryset is not None else self.model
        return count_estimable(self.request.user, model, self.request.GET, self.filterset_class, self.scope_action)

    def get_queryset(self):
        queryset = self.scoped_queryset()
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

    def paginate_queryset(self, queryset, page_size):
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        if self.table is not None and paginator.count:  # without the joins only the columns off the page read
            page.object_list = rows = self.table.page_rows(rows, self.request.user)
        return paginator, page, rows, is_paginated

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx" and self.table is not None:
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self):
        """Every row the filters select (not only one page), in the table's export columns; refused (audited) without
        `export_permission` or past `export_limit` exports in the last hour."""
        refusal = self.export_refusal()
        if refusal is not None:
            return refusal
        queryset, query = self.get_queryset(), self.request.GET.urlencode()
        total = queryset.count()
        if total > settings.EXPORT_INLINE_ROWS:  # too long to hold the request open: a job (anding.jobs)
            job = jobs.start_export(self.request, title=f"{self.title} ({total})", total=total)
            audit.record("export", obj=job, detail={"list": self.export_name, "rows": total, "query": query})
            return redirect(job)
        title, headers, data = self.table(queryset).sheet(self.model._meta.verbose_name_plural)
        audit.record("export", detail={"list": self.export_name, "rows": len(data), "query": query})
        return xlsx_response(self.export_name, (title, headers, data))

    def can_export(self) -> bool:
        return self.export_permission is None or self.request.user.has_perm(self.export_permission)

    def export_refusal(self):
        """None when the user may export now; else the refusal (403 or 429), audited."""
        user = self.request.user
        if not self.can_export():
            audit.record(
                "export", result=AuditEvent.Result.FAILURE, detail={"list": self.export_name, "refused": "permission"}
            )
            raise PermissionDenied
        if self.export_limit is None:
            return None
        limit = getattr(settings, self.export_limit)
        since = timezone.now() - datetime.timedelta(hours=1)
        done = AuditEvent.objects.filter(
            actor=user, action="export", result=AuditEvent.Result.SUCCESS, detail__list=self.export_name, at__gte=since
        ).count()
        if done < limit:
            return None
        audit.record("export", result=AuditEvent.Result.FAILURE, detail={"list": self.export_name, "refused": "limit"})
        return render(self.request, "429.html", {"limit": limit}, status=429)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        context.update(
            title=self.title,
            table=self.table(context["object_list"], user=self.request.user) if self.table is not None else None,
            filterset=self.filterset,
            current_sort=self.sort,
            query_string=query.urlencode(),
            export_query=(query.urlencode() + "&" if query else "") + "export=xlsx",
            can_export=self.can_export(),
        )
        return context

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.table is not None and "sort_fields" not in cls.__dict__:
            cls.sort_fields = cls.table.sort_fields  # what the columns' headers sort by


class ScopedDetailView(ScopedObjectMixin, DetailView):
    """A page of one scoped object (404 outside the user's scope)."""


class AuditedReadMixin:
    """A page that shows a person's personal data (a member, a recruit, a household): every read of it is an audit
    event `read_action` naming the object (never the data). Lists are not audited row by row: they show masks."""

    read_action = ""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        audit.record(self.read_action, obj=self.object)
        return response


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


class FormPageMixin:
    """What the one form page (templates/generic/object_edit.html) shows around the form: `title` (or
    `get_title()`), `submit_label`, and `cancel_url` (or `get_cancel_url()`), where the cancel button leads."""

    title = ""
    submit_label = gettext_lazy("Save")
    cancel_url = ""

    def get_title(self) -> str:
        return self.title

    def get_cancel_url(self) -> str:
        return str(self.cancel_url)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("title", self.get_title())
        kwargs.setdefault("submit_label", self.submit_label)
        kwargs.setdefault("cancel_url", self.get_cancel_url())
        return super().get_context_data(**kwargs)


class ServiceFormMixin:
    """A form saved by one service call (HackSoft: writes go through services). `perform(form)` calls the service
    and returns the record; `success_message(record, form)` says what happened; `success_response(record)` leads
    to the record. A refusal (a ValidationError) goes on the form (`refused(form, exc)` may add to it) and the form
    comes back. FormViews get `form_valid`; other views call `submit(form)` with a valid form."""

    def perform(self, form):
        raise NotImplementedError

    def success_message(self, record, form) -> str:
        return ""

    def success_response(self, record):
        return redirect(record)

    def refused(self, form, exc: ValidationError) -> None:
        """Called after the service's reasons are on the form (e.g. to show what is stored now)."""

    def submit(self, form):
        """The response after saving, or None when the service refused (its reasons are then on the form)."""
        try:
            record = self.perform(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            self.refused(form, exc)
            return None
        message = self.success_message(record, form)
        if message:
            messages.success(self.request, message)
        return self.success_response(record)

    def form_valid(self, form):
        return self.submit(form) or self.form_invalid(form)


class ObjectEditView(KeptFormMixin, ServiceFormMixin, FormPageMixin, LoginRequiredMixin, FormView):
    """A form page (after NetBox's ObjectEditView): for logged-in users, its entries kept across a session timeout,
    saved by one service call (`perform`), shown on generic/object_edit.html (or a template extending it). A form
    that creates a record puts OnceOnlyFormMixin in front, so that a second submit creates nothing."""

    template_name = "generic/object_edit.html"
