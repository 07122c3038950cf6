"""HTML views of the branches app: thin, they call selectors and actions."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anding.generic import ObjectEditView, ObjectListView, OnceOnlyFormMixin, ScopedDetailView, ScopedSummaryView

from .. import actions, selectors
from ..choices import OrgKind
from ..filtersets import MemberFilterSet
from ..forms import MemberForm
from ..models import Organization, OrgChange, PartyMember
from ..tables import MemberTable

__all__ = [
    "MemberCreateView",
    "MemberDetailView",
    "MemberListView",
    "MemberUpdateView",
    "OrganizationDetailView",
    "OrganizationTreeView",
]


class OrganizationTreeView(ScopedSummaryView):
    """The whole tree in scope, in one query, with cumulative member counts."""

    template_name = "branches/organization_tree.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(nodes=selectors.organization_tree_full(self.request.user), **kwargs)


class OrganizationDetailView(ScopedDetailView):
    """A town, general branch or village: its officers, its units and (for a village) its members."""

    model = Organization
    template_name = "branches/organization_detail.html"
    context_object_name = "organization"

    def get_context_data(self, **kwargs):
        user, org = self.request.user, self.object
        children = selectors.organization_tree(user).filter(parent=org)
        context = {
            "ancestors": selectors.ancestors(org, user),
            "officers": selectors.officers(org),
            "answers": selectors.village_answers_to(user, org),
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


class MemberListView(ObjectListView):
    model = PartyMember
    title = gettext_lazy("Party members")
    template_name = "branches/member_list.html"
    filterset_class = MemberFilterSet
    table = MemberTable
    default_sort = "branch"
    export_name = "members"

    def select(self, queryset):
        return selectors.member_rows(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add_member"] = (
            selectors.organization_list(self.request.user, "change").filter(kind=OrgKind.VILLAGE).exists()
        )
        return context


class MemberDetailView(ScopedDetailView):
    model = PartyMember
    template_name = "branches/member_detail.html"
    context_object_name = "member"

    def select(self, queryset):
        return selectors.member_rows(queryset)

    def get_context_data(self, **kwargs):
        member = self.object
        can_edit = selectors.member_list(self.request.user, "change").filter(pk=member.pk).exists()
        return super().get_context_data(
            ancestors=selectors.ancestors(member.branch, self.request.user) + [member.branch],
            can_edit=can_edit,
            **kwargs,
        )


class MemberFormView(ObjectEditView):
    form_class = MemberForm
    member = None

    def get_title(self) -> str:
        return _("Edit %(name)s") % {"name": self.member.name} if self.member else _("Add a member")

    def get_cancel_url(self) -> str:
        return self.member.get_absolute_url() if self.member else reverse("branches:member_list")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["instance"] = self.member or PartyMember()
        return kwargs

    def perform(self, form):
        return actions.member_save(
            actor=self.request.user,
            member=form.instance,
            changed=form.changed_data,
            version=form.cleaned_data.get("version"),
        )

    def success_message(self, member, form) -> str:
        return _("Saved %(name)s.") % {"name": member.name}

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.member, **kwargs)


class MemberCreateView(OnceOnlyFormMixin, MemberFormView):
    def get_initial(self):
        initial = super().get_initial()
        branch = self.request.GET.get("branch")
        if branch and branch.isdigit():
            initial["branch"] = int(branch)
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
