"""Pages of the recruitment pre-review (党员发展预审): the shared case pages, opened for a recruitment case that
reached step 12 (the village and the title follow from it)."""

from django.utils.translation import gettext_lazy

from anding.generic import parse_int
from anding.tables import Column

from ...forms import PreReviewEditForm, PreReviewOpenForm
from ...models import RecruitmentPreReview
from ...tables import CaseTable
from .base import CaseDetailView, CasePages

__all__ = ["PAGES"]


class PreReviewDetailView(CaseDetailView):
    def select(self, queryset):
        return super().select(queryset).select_related("recruitment")


class RecruitmentInitial:
    """The open page reached from a recruitment case (`?recruitment=<id>`) has that case chosen."""

    def get_initial(self):
        value = parse_int(self.request.GET.get("recruitment"))
        return {"recruitment": value} if value else {}


class PreReviewPages(CasePages):
    """The case pages with the pre-review's own forms to open and correct it."""

    def view(self, base, suffix, **attrs):
        if suffix == "OpenView":
            base = type("PreReviewOpenBase", (RecruitmentInitial, base), {})
            attrs["form_class"] = PreReviewOpenForm
        elif suffix == "EditView":
            attrs["form_class"] = PreReviewEditForm
        return super().view(base, suffix, **attrs)


PAGES = PreReviewPages(
    RecruitmentPreReview,
    fields=["summary", "due_on"],
    table=CaseTable.extend(Column("candidate", gettext_lazy("candidate"), "recruitment.name"), name="PreReviewTable"),
    detail_view=PreReviewDetailView,
)
