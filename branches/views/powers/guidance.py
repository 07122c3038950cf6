"""Pages of organization-building guidance (组织建设指导): the shared case pages with the power's fields."""

from django.utils.translation import gettext_lazy

from anding.tables import Column

from ...models import OrganizationGuidance
from ...tables import MD_UP, CaseTable
from .base import CasePages

__all__ = ["PAGES"]

PAGES = CasePages(
    OrganizationGuidance,
    fields=["title", "subject", "method", "guidance", "requirements", "due_on"],
    table=CaseTable.extend(Column("subject", gettext_lazy("subject"), "get_subject_display", order_by="subject", css=MD_UP)),
)
