"""HTML views of the branches app: thin, they call selectors and actions."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from anding import duties
from anding.forms import add_service_errors
from anding.generic import (
    AuditedReadMixin,
    FormPageMixin,
    ObjectEditView,
    ObjectListView,
    OnceOnlyFormMixin,
    ScopedDetailView,
    ScopedSummaryView,
    parse_int,
)
from anding.scoping import in_scope

from .. import actions, selectors
from ..choices import OrgKind
from ..filtersets import MemberFilterSet
from ..forms import IdNumberRevealForm, MemberForm
from ..models import Organization, PartyMember
from ..tables import MemberTable

__all__ = [
    "MemberCreateView",
    "MemberDetailView",
    "MemberListView",
    "MemberRevealIdView",
    "MemberUpdateView",
    "OrganizationDetailView",
    "OrganizationTreeView",
]


class OrganizationTreeView(ScopedSummaryView):
    """The tree in scope opened level by level: the top levels, and the units of the node named by `?open=<id>`
    (and of its ancestors), each with cumulative counts. Plain links, no script: a district's page stays short."""

    template_name = "branches/organization_tree.html"

    def get_context_data(self, **kwargs):
        user, pk = self.request.user, parse_int(self.request.GET.get("open"))
        open_node = selectors.organization_get(user, pk) if pk is not None else None  # 404 outside the scope
        nodes = selectors.organization_tree_page(user, open_node)
        return super().get_context_data(nodes=nodes, open_node=open_node, **kwargs)


class OrganizationDetailView(ScopedDetailView):
    """A town, general branch or village: its officers, its units and (for a village) its members."""

    model = Organization
    template_name = "branches/organization_detail.html"
    context_object_name = "organization"

    def get_context_data(self, **kwargs):
        user, org = self.request.user, self.object
        context = {
            "ancestors": selectors.ancestors(org, user),
            "officers": selectors.officers(org),
            "answers": selectors.village_answers_to(user, org),
            "children": selectors.organization_children(user, org),
            "changes": selectors.organization_changes(user, org),
            "can_add_member": org.kind == OrgKind.VILLAGE and in_scope(user, org, "change"),
        }
        if org.kind == OrgKind.VILLAGE:
            context.update(selectors.village_committee_and_groups(org))
            context["can_change_committees"] = actions.can_change_committees(user, org)
            members = selectors.village_members(user, org)
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
    count_estimate_from = 50_000  # the city's 400,884: "about 401,000" on its first pages (anding.pagination)
    export_name = "members"
    export_permission = duties.EXPORT_MEMBERS
    export_limit = "MEMBER_EXPORTS_PER_HOUR"

    def select(self, queryset):
        return selectors.member_rows(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add_member"] = selectors.can_add_members(self.request.user)
        return context


class MemberDetailView(AuditedReadMixin, ScopedDetailView):
    """A member's page: their personal data (masked), so every read is audited (`member_view`)."""

    read_action = "member_view"
    model = PartyMember
    template_name = "branches/member_detail.html"
    context_object_name = "member"

    def select(self, queryset):
        return selectors.member_rows(queryset)

    def get_context_data(self, **kwargs):
        member = self.object
        can_edit = in_scope(self.request.user, member, "change")
        return super().get_context_data(
            ancestors=selectors.ancestors(member.branch, self.request.user) + [member.branch],
            can_edit=can_edit,
            can_reveal=self.request.user.has_perm(duties.REVEAL_ID_NUMBER),
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
        branch = parse_int(self.request.GET.get("branch"))
        if branch is not None:
            initial["branch"] = branch
        return initial

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.can_add_members(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class MemberUpdateView(MemberFormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.member = selectors.member_get(request.user, kwargs["pk"])
            if not in_scope(request.user, self.member, "change"):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class MemberRevealIdView(FormPageMixin, LoginRequiredMixin, FormView):
    """A member's full ID number, for a reason, to someone with the permission: shown once, in this response only
    (not stored in a page one could come back to), the reveal audited (docs/SECURITY.md)."""

    form_class = IdNumberRevealForm
    template_name = "branches/member_reveal_id.html"
    submit_label = gettext_lazy("Show the full number")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.member = selectors.member_get(request.user, kwargs["pk"])  # 404 outside the scope
            if not request.user.has_perm(duties.REVEAL_ID_NUMBER):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        return _("The full ID number of %(name)s") % {"name": self.member.name}

    def get_cancel_url(self) -> str:
        return self.member.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            member=self.member,
            ancestors=selectors.ancestors(self.member.branch, self.request.user) + [self.member.branch],
            **kwargs,
        )

    def form_valid(self, form):
        try:
            number = actions.id_number_reveal(
                actor=self.request.user, member=self.member, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        response = self.render_to_response(self.get_context_data(form=form, revealed=number))
        add_never_cache_headers(response)
        patch_cache_control(response, no_store=True, private=True)
        return response
