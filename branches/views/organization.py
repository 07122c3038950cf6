"""HTML views of the branches app: thin, they call selectors and services."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from anding.forms import add_service_errors
from anding.generic import KeptFormMixin, ObjectListView, OnceOnlyFormMixin, ScopedDetailView, parse_int

from .. import selectors, services
from ..choices import OrgKind
from ..filtersets import MemberFilterSet
from ..forms import MemberForm
from ..models import OrgChange, PartyMember

__all__ = [
    "MemberCreateView",
    "MemberDetailView",
    "MemberListView",
    "MemberUpdateView",
    "OrganizationDetailView",
    "OrganizationTreeView",
]


class OrganizationTreeView(LoginRequiredMixin, TemplateView):
    """The whole tree in scope, in one query, with cumulative member counts."""

    template_name = "branches/organization_tree.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(nodes=selectors.organization_tree_full(self.request.user), **kwargs)


class OrganizationDetailView(ScopedDetailView):
    """A town, general branch or village: its officers, its units and (for a village) its members."""

    selector = selectors.organization_get
    template_name = "branches/organization_detail.html"
    context_object_name = "organization"

    def get_context_data(self, **kwargs):
        user, org = self.request.user, self.object
        children = selectors.organization_tree(user).filter(parent=org)
        context = {
            "ancestors": selectors.ancestors(org, user),
            "officers": selectors.officers(org),
            "children": children,
            "changes": OrgChange.objects.restrict(user)
            .filter(organization=org)
            .select_related("old_parent", "new_parent")[:10],
            "can_add_member": org.kind == OrgKind.VILLAGE
            and selectors.organization_list(user, "change").filter(pk=org.pk).exists(),
        }
        if org.kind == OrgKind.VILLAGE:
            members = selectors.member_list(user).filter(branch=org).current()
            context["members"] = members[:20]
            context["member_total"] = members.count()
        return super().get_context_data(**context, **kwargs)


def _member_columns():
    return [
        (gettext_lazy("name"), lambda m: m.name),
        (gettext_lazy("gender"), lambda m: m.get_gender_display()),
        (gettext_lazy("birth date"), lambda m: m.birth_date),
        (gettext_lazy("ID number"), lambda m: m.id_number_masked),
        (gettext_lazy("phone"), lambda m: m.phone_masked),
        (
            gettext_lazy("general branch"),
            lambda m: m.branch.parent.name if m.branch.parent.kind == OrgKind.GENERAL else "",
        ),
        (gettext_lazy("branch"), lambda m: m.branch.name),
        (gettext_lazy("status"), lambda m: m.get_status_display()),
        (gettext_lazy("joined (probationary) on"), lambda m: m.joined_on),
        (gettext_lazy("full member since"), lambda m: m.full_member_on),
    ]


class MemberListView(ObjectListView):
    model = PartyMember
    template_name = "branches/member_list.html"
    filterset_class = MemberFilterSet
    sort_fields = {"name": "name", "branch": "branch__lft", "status": "status", "joined": "joined_on"}
    default_sort = "branch"
    export_name = "members"

    @property
    def export_columns(self):
        return _member_columns()

    def get_base_queryset(self):
        return selectors.member_list(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add_member"] = (
            selectors.organization_list(self.request.user, "change").filter(kind=OrgKind.VILLAGE).exists()
        )
        return context


class MemberDetailView(ScopedDetailView):
    selector = selectors.member_get
    template_name = "branches/member_detail.html"
    context_object_name = "member"

    def get_context_data(self, **kwargs):
        member = self.object
        can_edit = selectors.member_list(self.request.user, "change").filter(pk=member.pk).exists()
        return super().get_context_data(
            ancestors=selectors.ancestors(member.branch, self.request.user) + [member.branch],
            can_edit=can_edit,
            **kwargs,
        )


class MemberFormView(KeptFormMixin, LoginRequiredMixin, FormView):
    form_class = MemberForm
    template_name = "branches/member_form.html"
    member = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["instance"] = self.member or PartyMember()
        return kwargs

    def form_valid(self, form):
        try:
            member = services.member_save(
                actor=self.request.user,
                member=form.instance,
                changed=form.changed_data,
                version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved %(name)s.") % {"name": member.name})
        return redirect(member)

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.member, **kwargs)


class MemberCreateView(OnceOnlyFormMixin, MemberFormView):
    def get_initial(self):
        initial = super().get_initial()
        branch = parse_int(self.request.GET.get("branch"))
        if branch is not None:
            initial["branch"] = branch
        return initial

    def dispatch(self, request, *args, **kwargs):
        if (
            request.user.is_authenticated
            and not selectors.organization_list(request.user, "change").filter(kind=OrgKind.VILLAGE).exists()
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class MemberUpdateView(MemberFormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.member = selectors.member_get(request.user, kwargs["pk"])
            if not selectors.member_list(request.user, "change").filter(pk=self.member.pk).exists():
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
