"""Pages of leadership-adjustment proposals (村级班子调整建议): the shared case pages with the member and posts, and a
page to name the final evaluations of the village behind a draft proposal."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anding.tables import Column

from ... import actions, selectors
from ...forms import AdjustmentSupportForm
from ...models import LeadershipAdjustment
from ...permissions import has_role_over
from ...roles import POWER_ROLES
from ...tables import CaseTable
from .base import CaseDetailView
from .evaluation import CaseFormView, MemberCasePages, _sub_pages

__all__ = ["PAGES"]

S = LeadershipAdjustment.Status


class AdjustmentSupportView(CaseFormView):
    states = (S.DRAFT,)
    form_class = AdjustmentSupportForm
    heading = gettext_lazy("Supporting evaluations")

    def get_form_kwargs(self):
        choices = selectors.adjustment_evaluation_choices(self.request.user, self.case)
        return {**super().get_form_kwargs(), "case": self.case, "choices": choices}

    def perform(self, form):
        return actions.adjustment_support(
            actor=self.request.user,
            case=self.case,
            evaluations=form.cleaned_data["evaluations"],
            version=form.cleaned_data.get("version"),
        )

    def success_message(self, case, form):
        return _("Saved.")


class AdjustmentDetailView(CaseDetailView):
    def extra_context_for(self, case) -> dict:
        return {
            "evaluations": selectors.adjustment_evaluations(case),
            "can_support": case.status == S.DRAFT and has_role_over(self.request.user, case.village, POWER_ROLES),
        }


PAGES = MemberCasePages(
    LeadershipAdjustment,
    fields=["title", "member", "kind", "from_post", "to_post", "reason", "due_on"],
    table=CaseTable.extend(
        Column("member", gettext_lazy("member concerned"), "member.name"),
        Column("kind", gettext_lazy("kind of change"), "get_kind_display", order_by="kind"),
        name="LeadershipAdjustmentTable",
    ),
    detail_view=AdjustmentDetailView,
    extra_urls=_sub_pages(LeadershipAdjustment, {"support": AdjustmentSupportView}),
)
