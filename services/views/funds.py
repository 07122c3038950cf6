"""Pages of the special funds: the allocations in scope (filters, totals per purpose, Excel export), an allocation's
page (its expenses, balance and vouchers, and the form to record an expense), the forms that allocate, correct an
allocation and record an expense, and the download of a voucher. Scope is the bases'; writes go through
`services.actions`."""

import uuid

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from anding import audit
from anding.attachments import attachment_response
from anding.generic import ObjectEditView, ObjectListView, OnceOnlyFormMixin, ScopedDetailView, ScopedObjectMixin

from .. import actions, selectors
from ..filtersets import AllocationFilterSet
from ..forms import AllocationCorrectForm, AllocationForm, ExpenseForm
from ..models import FundAllocation, FundExpense, FundVoucher
from ..permissions import can_allocate, can_record_expense
from ..tables import AllocationTable
from .common import OnScopedObject, crumb

__all__ = [
    "AllocateView",
    "AllocationCorrectView",
    "AllocationDetailView",
    "AllocationListView",
    "ExpenseRecordView",
    "VoucherDownloadView",
]


def _funds_crumb():
    return crumb(_("Special funds"), reverse("services:allocation_list"))


class AllocationListView(ObjectListView):
    model = FundAllocation
    title = gettext_lazy("Special funds")
    template_name = "services/allocation_list.html"
    filterset_class = AllocationFilterSet
    table = AllocationTable
    default_sort = "-year"
    export_name = "special-funds"

    def select(self, queryset):
        return selectors.allocation_rows(queryset)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_allocate=can_allocate(self.request.user),
            totals=selectors.purpose_totals(self.object_list),
            **kwargs,
        )


class AllocationDetailView(ScopedDetailView):
    """An allocation: amount, spent, balance; its expenses with their vouchers; the expense form for those who
    record them."""

    model = FundAllocation
    template_name = "services/allocation_detail.html"
    context_object_name = "allocation"

    def select(self, queryset):
        return selectors.allocation_rows(queryset)

    def get_context_data(self, **kwargs):
        user = self.request.user
        expenses = selectors.expense_rows(FundExpense.objects.restrict(user).filter(allocation=self.object))
        can_record = can_record_expense(user, self.object) and self.object.balance > 0
        return super().get_context_data(
            ancestors=[_funds_crumb()],
            expenses=list(expenses),
            can_correct=can_allocate(user, self.object.organization),
            expense_form=ExpenseForm() if can_record else None,
            form_token=uuid.uuid4(),
            **kwargs,
        )


class AllocateView(OnceOnlyFormMixin, ObjectEditView):
    """The town allocates a year's special fund of a purpose to a node."""

    form_class = AllocationForm
    title = gettext_lazy("Allocate a special fund")
    submit_label = gettext_lazy("Allocate")
    cancel_url = reverse_lazy("services:allocation_list")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_allocate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return actions.allocate(actor=self.request.user, **form.cleaned_data)

    def success_message(self, allocation, form) -> str:
        return _("Allocated: %(allocation)s.") % {"allocation": allocation}

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=[_funds_crumb()], **kwargs)


class AllocationCorrectView(OnScopedObject, ObjectEditView):
    """The town raises or lowers an allocation (never below what is spent), saying why."""

    model = FundAllocation
    form_class = AllocationCorrectForm
    submit_label = gettext_lazy("Save")

    def allowed(self, user, obj) -> bool:
        return can_allocate(user, obj.organization)

    def get_title(self) -> str:
        return _("Correct the allocation: %(allocation)s") % {"allocation": self.object}

    def get_initial(self):
        return {"amount": self.object.amount}

    def perform(self, form):
        return actions.allocation_correct(actor=self.request.user, allocation=self.object, **form.cleaned_data)

    def success_message(self, allocation, form) -> str:
        return _("Allocation corrected: %(allocation)s.") % {"allocation": allocation}

    def get_context_data(self, **kwargs):
        crumbs = [_funds_crumb(), crumb(str(self.object), self.object.get_absolute_url())]
        return super().get_context_data(ancestors=crumbs, **kwargs)


class ExpenseRecordView(OnceOnlyFormMixin, OnScopedObject, ObjectEditView):
    """An expense paid from the allocation, with its voucher; refused when it exceeds the balance."""

    model = FundAllocation
    form_class = ExpenseForm
    submit_label = gettext_lazy("Record")

    def allowed(self, user, obj) -> bool:
        return can_record_expense(user, obj)

    def get_title(self) -> str:
        return _("Record an expense: %(allocation)s") % {"allocation": self.object}

    def get_form_kwargs(self):
        """UploadForm reads the POST and its files from the request (and learns which files were cut off)."""
        kwargs = super().get_form_kwargs()
        kwargs.pop("data", None)
        kwargs.pop("files", None)
        return {**kwargs, "request": self.request if self.request.method == "POST" else None}

    def perform(self, form):
        return actions.expense_record(actor=self.request.user, allocation=self.object, **form.cleaned_data)

    def success_message(self, expense, form) -> str:
        return _("Expense recorded: %(expense)s.") % {"expense": expense}

    def get_context_data(self, **kwargs):
        crumbs = [_funds_crumb(), crumb(str(self.object), self.object.get_absolute_url())]
        return super().get_context_data(ancestors=crumbs, **kwargs)


class VoucherDownloadView(ScopedObjectMixin, View):
    """Download the voucher of an expense in scope (404 outside it); always as a file, never shown inline."""

    model = FundExpense

    def get(self, request, *args, **kwargs):
        expense = self.get_object()
        voucher = get_object_or_404(FundVoucher, expense=expense)
        audit.record("attachment_download", obj=expense, detail={"file": voucher.original_name})
        return attachment_response(voucher)
