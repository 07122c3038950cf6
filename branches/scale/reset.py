"""Deleting a generated tree and everything recorded under it, in one pass per table (a plain DELETE with a
condition: Django's collector would load millions of rows to cascade them one by one). Children before parents;
the foreign keys are checked when the transaction commits, so the order only has to leave nothing behind. The
accounts stay: the audit trail may name them, and the next run reuses them."""

from development.models import Pairing, PairingProgress
from services.models import Household, HouseholdVisit, ServiceCentre, ServiceRecord, ServiceSession

from ..models import (
    AgendaItem,
    CaseEvent,
    Meeting,
    MeetingAttendance,
    MonthlyReport,
    OrganizationGuidance,
    PartyMember,
    Position,
    ReportTransition,
    Task,
    TaskAssignment,
    TaskProgress,
)

__all__ = ["delete_generated"]


def _plan(tree_id: int, centres: str):
    """(queryset) in deletion order."""
    visit = HouseholdVisit
    session = ServiceSession
    return [
        visit.topics.through.objects.filter(householdvisit__household__village__tree_id=tree_id),
        visit.cadres.through.objects.filter(householdvisit__household__village__tree_id=tree_id),
        visit.objects.filter(household__village__tree_id=tree_id),
        Household.objects.filter(village__tree_id=tree_id),
        ServiceRecord.objects.filter(session__centre__code__startswith=centres),
        ServiceRecord.objects.filter(village__tree_id=tree_id),
        session.departments.through.objects.filter(servicesession__centre__code__startswith=centres),
        session.staff.through.objects.filter(servicesession__centre__code__startswith=centres),
        session.objects.filter(centre__code__startswith=centres),
        ServiceCentre.general_branches.through.objects.filter(servicecentre__code__startswith=centres),
        ServiceCentre.objects.filter(code__startswith=centres),
        PairingProgress.objects.filter(pairing__lead_village__tree_id=tree_id),
        Pairing.helped_villages.through.objects.filter(pairing__lead_village__tree_id=tree_id),
        Pairing.objects.filter(lead_village__tree_id=tree_id),
        CaseEvent.objects.filter(village__tree_id=tree_id),
        OrganizationGuidance.objects.filter(village__tree_id=tree_id),
        TaskProgress.objects.filter(assignment__task__issued_by__tree_id=tree_id),
        TaskAssignment.objects.filter(task__issued_by__tree_id=tree_id),
        Task.objects.filter(issued_by__tree_id=tree_id),
        MeetingAttendance.objects.filter(meeting__organization__tree_id=tree_id),
        AgendaItem.objects.filter(meeting__organization__tree_id=tree_id),
        Meeting.objects.filter(organization__tree_id=tree_id),
        ReportTransition.objects.filter(report__village__tree_id=tree_id),
        MonthlyReport.objects.filter(village__tree_id=tree_id),
        PartyMember.objects.filter(branch__tree_id=tree_id),
        Position.liaison_villages.through.objects.filter(position__organization__tree_id=tree_id),
        Position.objects.filter(organization__tree_id=tree_id),
    ]


def delete_generated(root, prefix: str, progress) -> None:
    """Delete the tree of `root` (inside the caller's transaction and tree lock)."""
    from ..models import Organization

    steps = _plan(root.tree_id, f"{prefix.lower()}-t")
    progress.stage("deleting the earlier data", len(steps) + 1)
    for queryset in steps:
        queryset._raw_delete(queryset.db)
        progress.advance(1)
    tree = Organization._base_manager.filter(tree_id=root.tree_id)
    tree._raw_delete(tree.db)
    progress.advance(1)
    progress.finish()
