"""The seven powers at a glance: for each general branch in scope, the open cases of every power; the page of one
general branch with its open cases by power and status and the latest case of each power per village; a village
secretary sees the cases of their village that the powers' rules open to it."""

from django.utils.translation import gettext as _

from anding.generic import ScopedDetailView, ScopedSummaryView

from ... import selectors
from ...choices import OrgKind
from ...models import Organization, Power, case_models
from .base import case_crumbs_root

__all__ = ["GeneralBranchPowersView", "PowerOverviewView"]


class PowerOverviewView(ScopedSummaryView):
    template_name = "branches/powers/overview.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        drill = selectors.drill_down(user, self.request.GET.get("within"))
        models = case_models()
        if drill.groups:  # a city or district: a row per district or town, opened by ?within=
            rows = selectors.power_groups(user, drill)
        else:
            branches = list(selectors.power_general_branches(user).filter(drill.q()))
            rows = selectors.power_matrix(user, branches) if branches else []
        village_cases = []
        if not rows:  # no general branch in scope: a village's cases (a title and a status: no joins)
            village_cases = [(model, list(model.objects.restrict(user)[:10])) for model in models.values()]
        powers = {p.code: p for p in Power.objects.all()}
        return super().get_context_data(
            title=_("Seven powers"),
            models=models,
            powers=[(code, model, powers.get(code)) for code, model in models.items()],
            rows=rows,
            drill=drill,
            village_cases=village_cases,
            **kwargs,
        )


class GeneralBranchPowersView(ScopedDetailView):
    """One general branch's seven powers over the villages now under it."""

    model = Organization
    queryset = Organization.objects.filter(kind=OrgKind.GENERAL)
    template_name = "branches/powers/general_branch.html"
    context_object_name = "branch"

    def get_context_data(self, **kwargs):
        branch = self.object
        villages = list(
            selectors.organization_list(self.request.user).filter(parent=branch, kind=OrgKind.VILLAGE).order_by("lft")
        )
        summaries = selectors.power_overview(self.request.user, branch)
        grid = [(v, [s.latest.get(v.pk) for s in summaries]) for v in villages]
        return super().get_context_data(
            title=_("Seven powers of %(branch)s") % {"branch": branch.name},
            ancestors=case_crumbs_root(),
            summaries=summaries,
            grid=grid,
            **kwargs,
        )
