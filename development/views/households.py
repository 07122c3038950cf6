"""Pages of "general branch + N households": the resources (with their trainings), the trainings, the shared sales,
and their forms (new and corrected). Scope is the bases'; writes go through `development.actions`."""

from django.db.models import Sum
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anding.generic import ObjectEditView, ObjectListView, OnceOnlyFormMixin, ScopedDetailView

from .. import actions
from ..filtersets import ResourceFilterSet, SaleFilterSet, TrainingFilterSet
from ..forms import ResourceForm, SaleForm, TrainingForm
from ..models import BranchResource, ResourceTraining, SharedSale
from ..permissions import branch_generals, can_change_record
from ..tables import ResourceTable, SaleTable, TrainingTable
from .common import OnScopedObject, crumb
from .partnerships import BranchRecorderMixin

__all__ = [
    "ResourceAddView",
    "ResourceDetailView",
    "ResourceEditView",
    "ResourceListView",
    "SaleAddView",
    "SaleEditView",
    "SaleListView",
    "TrainingAddView",
    "TrainingEditView",
    "TrainingListView",
]


def _resources_crumb():
    return crumb(_("General branch resources"), reverse("development:resource_list"))


def _sales_crumb():
    return crumb(_("Shared sales"), reverse("development:sale_list"))


class ResourceListView(ObjectListView):
    model = BranchResource
    title = gettext_lazy("General branch + N households: resources")
    template_name = "development/resource_list.html"
    filterset_class = ResourceFilterSet
    table = ResourceTable
    default_sort = "name"
    export_name = "branch-resources"

    def select(self, queryset):
        return queryset.select_related("general_branch", "member").annotate(trained=Sum("trainings__person_times"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_add=branch_generals(self.request.user).exists(), **kwargs)


class ResourceDetailView(ScopedDetailView):
    model = BranchResource
    template_name = "development/resource_detail.html"
    context_object_name = "resource"

    def select(self, queryset):
        return queryset.select_related("general_branch", "member__branch")

    def get_context_data(self, **kwargs):
        trainings = list(self.object.trainings.order_by("-date", "-pk"))
        households = list(self.object.households.select_related("village").order_by("village__lft", "number"))
        return super().get_context_data(
            ancestors=[_resources_crumb()],
            trainings=trainings,
            households=households,
            trained=sum(t.person_times for t in trainings),
            can_add=branch_generals(self.request.user).filter(pk=self.object.general_branch_id).exists(),
            **kwargs,
        )


class ResourceAddView(OnceOnlyFormMixin, BranchRecorderMixin, ObjectEditView):
    form_class = ResourceForm
    title = gettext_lazy("Add a resource of the general branch")
    cancel_url = reverse_lazy("development:resource_list")

    def perform(self, form):
        return actions.resource_add(actor=self.request.user, **form.cleaned_data)

    def success_message(self, resource, form) -> str:
        return _("Added %(resource)s.") % {"resource": resource}

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=[_resources_crumb()], **kwargs)


class ResourceEditView(OnScopedObject, ObjectEditView):
    model = BranchResource
    form_class = ResourceForm

    def allowed(self, user, obj) -> bool:
        return branch_generals(user).filter(pk=obj.general_branch_id).exists()

    def get_title(self) -> str:
        return _("Change: %(resource)s") % {"resource": self.object}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        r = self.object
        return {
            "general_branch": r.general_branch_id,
            "kind": r.kind,
            "name": r.name,
            "specialty": r.specialty,
            "member": r.member_id,
            "households": list(r.households.values_list("pk", flat=True)),
        }

    def perform(self, form):
        return actions.resource_add(actor=self.request.user, resource=self.object, **form.cleaned_data)

    def success_message(self, resource, form) -> str:
        return _("Saved: %(resource)s.") % {"resource": resource}

    def get_context_data(self, **kwargs):
        crumbs = [_resources_crumb(), crumb(str(self.object), self.object.get_absolute_url())]
        return super().get_context_data(ancestors=crumbs, **kwargs)


class TrainingAddView(OnceOnlyFormMixin, OnScopedObject, ObjectEditView):
    """A training the resource gave: its topic and person-times."""

    model = BranchResource
    form_class = TrainingForm
    submit_label = gettext_lazy("Record")

    def allowed(self, user, obj) -> bool:
        return branch_generals(user).filter(pk=obj.general_branch_id).exists()

    def get_title(self) -> str:
        return _("Record a training: %(resource)s") % {"resource": self.object}

    def perform(self, form):
        return actions.training_add(actor=self.request.user, resource=self.object, **form.cleaned_data)

    def success_message(self, training, form) -> str:
        return _("Recorded: %(training)s.") % {"training": training}

    def success_response(self, training):
        return redirect(self.object)

    def get_context_data(self, **kwargs):
        crumbs = [_resources_crumb(), crumb(str(self.object), self.object.get_absolute_url())]
        return super().get_context_data(ancestors=crumbs, **kwargs)


class TrainingEditView(OnScopedObject, ObjectEditView):
    """Correct a training (a mistyped date or count of person-times)."""

    model = ResourceTraining
    form_class = TrainingForm

    def select(self, queryset):
        return queryset.select_related("resource")

    def allowed(self, user, obj) -> bool:
        return can_change_record(user, obj)

    def get_title(self) -> str:
        return _("Correct: %(training)s") % {"training": self.object}

    def get_initial(self):
        return {name: getattr(self.object, name) for name in ("date", "topic", "person_times")}

    def perform(self, form):
        return actions.training_correct(actor=self.request.user, training=self.object, **form.cleaned_data)

    def success_message(self, training, form) -> str:
        return _("Saved: %(training)s.") % {"training": training}

    def get_context_data(self, **kwargs):
        resource = self.object.resource
        crumbs = [_resources_crumb(), crumb(str(resource), resource.get_absolute_url())]
        return super().get_context_data(ancestors=crumbs, **kwargs)


class TrainingListView(ObjectListView):
    model = ResourceTraining
    title = gettext_lazy("Trainings by the general branches' resources")
    template_name = "development/training_list.html"
    filterset_class = TrainingFilterSet
    table = TrainingTable
    default_sort = "-date"
    export_name = "resource-trainings"

    def select(self, queryset):
        return queryset.select_related("resource__general_branch")

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=[_resources_crumb()], **kwargs)


class SaleListView(ObjectListView):
    model = SharedSale
    title = gettext_lazy("Shared sales")
    template_name = "development/sale_list.html"
    filterset_class = SaleFilterSet
    table = SaleTable
    default_sort = "-date"
    export_name = "shared-sales"

    def select(self, queryset):
        return queryset.select_related("general_branch")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(can_add=branch_generals(self.request.user).exists(), **kwargs)
        if self.filterset is not None and self.filterset.is_valid():
            context["sums"] = self.filterset.qs.aggregate(jin=Sum("quantity_jin"), yuan=Sum("amount"))
        return context


class SaleAddView(OnceOnlyFormMixin, BranchRecorderMixin, ObjectEditView):
    form_class = SaleForm
    title = gettext_lazy("Record a shared sale")
    cancel_url = reverse_lazy("development:sale_list")

    def perform(self, form):
        return actions.sale_add(actor=self.request.user, **form.cleaned_data)

    def success_message(self, sale, form) -> str:
        return _("Recorded: %(sale)s.") % {"sale": sale}

    def success_response(self, sale):
        return redirect("development:sale_list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=[_sales_crumb()], **kwargs)


class SaleEditView(OnScopedObject, ObjectEditView):
    """Correct a shared sale (a mistyped quantity or amount)."""

    model = SharedSale
    form_class = SaleForm

    def allowed(self, user, obj) -> bool:
        return can_change_record(user, obj)

    def get_title(self) -> str:
        return _("Correct: %(sale)s") % {"sale": self.object}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        names = ["product", "channel", "quantity_jin", "amount", "date"]
        return {"general_branch": self.object.general_branch_id, **{n: getattr(self.object, n) for n in names}}

    def perform(self, form):
        return actions.sale_add(actor=self.request.user, sale=self.object, **form.cleaned_data)

    def success_message(self, sale, form) -> str:
        return _("Saved: %(sale)s.") % {"sale": sale}

    def get_context_data(self, **kwargs):
        return super().get_context_data(ancestors=[_sales_crumb()], **kwargs)
