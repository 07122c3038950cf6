"""Pages of the village-affairs inspection (村务监督检查): the shared case pages, the rectification items on the
case's page, and the pages to add an item (the general branch), report on one (the village) and verify one (the
general branch)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from anding.generic import ObjectEditView, parse_int
from anding.tables import Column

from ... import actions
from ...forms import InspectionItemForm, ItemReportForm
from ...models import AffairsInspection
from ...permissions import has_role_over
from ...roles import POWER_ROLES, VILLAGE_ROLES
from ...tables import CaseTable
from .base import CaseDetailView, CaseObjectMixin, CasePages, case_crumbs

__all__ = ["PAGES"]

S = AffairsInspection.Status


class InspectionDetailView(CaseDetailView):
    def extra_context_for(self, case) -> dict:
        user, open_ = self.request.user, case.is_open
        return {
            "items": list(case.items.select_related("verified_by")),
            "today": timezone.localdate(),
            "can_add_item": open_ and has_role_over(user, case.village, POWER_ROLES),
            "can_report": case.status in (S.ISSUED, S.RECTIFYING) and has_role_over(user, case.village, VILLAGE_ROLES),
            "can_verify": case.status == S.RECTIFYING and has_role_over(user, case.village, POWER_ROLES),
        }


class ItemPageMixin(CaseObjectMixin):
    """A page on the items of an inspection, for holders of `roles` over its village while it is in `states`."""

    model = AffairsInspection
    roles = POWER_ROLES
    states = (S.DRAFT, S.ISSUED, S.RECTIFYING)

    def refusal(self):
        if not has_role_over(self.request.user, self.case.village, self.roles):
            raise PermissionDenied
        if self.case.status not in self.states:
            messages.warning(
                self.request,
                _("This cannot be done while the case is “%(status)s”.") % {"status": self.case.get_status_display()},
            )
            return redirect(self.case)
        return None

    def get(self, request, *args, **kwargs):
        return self.refusal() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.refusal() or super().post(request, *args, **kwargs)

    def get_cancel_url(self):
        return self.case.get_absolute_url()

    def success_response(self, record):
        return redirect(self.case)

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=case_crumbs(self.model, self.case), **kwargs)


class ItemAddView(ItemPageMixin, ObjectEditView):
    form_class = InspectionItemForm
    submit_label = gettext_lazy("Add the item")

    def get_title(self):
        return _("Add a rectification item: %(title)s") % {"title": self.case.title}

    def perform(self, form):
        return actions.inspection_add_item(actor=self.request.user, case=self.case, **form.cleaned_data)

    def success_message(self, item, form):
        return _("Added “%(what)s”.") % {"what": item.what}


class ItemReportView(ItemPageMixin, ObjectEditView):
    form_class = ItemReportForm
    roles = VILLAGE_ROLES
    states = (S.ISSUED, S.RECTIFYING)
    submit_label = gettext_lazy("Report the follow-up")

    def get_title(self):
        return _("Report on a rectification item: %(title)s") % {"title": self.case.title}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case}

    def get_initial(self):
        return {"item": parse_int(self.request.GET.get("item"))}

    def perform(self, form):
        return actions.inspection_report_item(actor=self.request.user, **form.cleaned_data)

    def success_message(self, item, form):
        return _("Reported on “%(what)s”.") % {"what": item.what}


class ItemVerifyView(ItemPageMixin, View):
    """Verify an item the village reported done (POST only, from the items table)."""

    http_method_names = ["post"]
    states = (S.RECTIFYING,)

    def post(self, request, *args, **kwargs):
        refused = self.refusal()
        if refused:
            return refused
        item = get_object_or_404(self.case.items, pk=parse_int(request.POST.get("item")) or 0)
        try:
            actions.inspection_verify_item(actor=request.user, item=item)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Verified “%(what)s”.") % {"what": item.what})
        return redirect(self.case)


def _route(suffix, view, name):
    return path(f"affairs-inspection/<int:pk>/{suffix}/", view.as_view(), name=f"affairs_inspection_{name}")


PAGES = CasePages(
    AffairsInspection,
    fields=["title", "area", "inspected_on", "inspectors", "findings"],
    table=CaseTable.extend(Column("area", gettext_lazy("area"), "get_area_display", order_by="area")),
    detail_view=InspectionDetailView,
    extra_urls=[
        _route("add-item", ItemAddView, "add_item"),
        _route("report-item", ItemReportView, "report_item"),
        _route("verify-item", ItemVerifyView, "verify_item"),
    ],
)
