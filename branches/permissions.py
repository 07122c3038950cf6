"""Who may do what to which record, answered from the user's positions (read once per request): the predicates
that the services enforce and the pages and to-do lists ask before offering a button. They read, they never write,
so selectors and services alike may import them."""

from .choices import MeetingStatus, ReportStatus, Role
from .models import Meeting, MonthlyReport, Organization, Position, TaskAssignment
from .roles import CHANGE_ROLES, DEPLOY_ROLES, REPORT_WRITER_ROLES, REVIEW_ROLES
from .tree import node_range

__all__ = [
    "active_positions",
    "can_deploy_task",
    "can_record_meeting",
    "can_report_progress",
    "can_review_meeting",
    "can_review_report",
    "can_write_report",
    "has_role_over",
    "liaison_deputy_ids",
]


def active_positions(user) -> list:
    """The user's active positions with their nodes and the nodes' parents (whom a village answers to), read once per
    request."""
    if "_active_positions" not in user.__dict__:
        user.__dict__["_active_positions"] = list(
            Position.objects.active()
            .filter(user=user)
            .select_related("organization__parent")
            .order_by("organization__lft")
        )
    return user.__dict__["_active_positions"]


def has_role_over(user, node, roles, *, strictly_above: bool = False) -> bool:
    """Whether the user holds, on `node` or one of its ancestors, an active position with one of `roles`.

    Answered from the positions already read for the request: no query. With `strictly_above`, a position on
    `node` itself does not count (the level above reviews).
    """
    if user is None or not user.is_authenticated:
        return False
    target = node_range(node)
    for p in active_positions(user):
        if p.role in roles and node_range(p.organization).contains(target):
            if strictly_above and p.organization_id == node.pk:
                continue
            return True
    return False


def can_record_meeting(user, organization: Organization) -> bool:
    return has_role_over(user, organization, CHANGE_ROLES)


def can_review_meeting(user, meeting: Meeting) -> bool:
    return meeting.status == MeetingStatus.HELD and has_role_over(
        user, meeting.organization, REVIEW_ROLES, strictly_above=True
    )


def can_deploy_task(user, issued_by: Organization) -> bool:
    return issued_by.kind in DEPLOY_ROLES and has_role_over(user, issued_by, DEPLOY_ROLES[issued_by.kind])


def can_report_progress(user, assignment: TaskAssignment) -> bool:
    return has_role_over(user, assignment.assignee, CHANGE_ROLES)


def can_write_report(user, village: Organization) -> bool:
    return has_role_over(user, village, REPORT_WRITER_ROLES)


def liaison_deputy_ids(village: Organization) -> set[int]:
    return set(
        Position.objects.active()
        .filter(role=Role.DEPUTY_SECRETARY, liaison_villages=village)
        .values_list("user_id", flat=True)
    )


def can_review_report(user, report: MonthlyReport, deputies: set[int] | None = None) -> bool:
    """Whether `user` is the reviewer the report waits for now (`deputies`: the village's liaison deputies, when
    the caller has them already)."""
    if deputies is None:
        deputies = liaison_deputy_ids(report.village)
    if report.status == ReportStatus.SUBMITTED and deputies:
        return user.pk in deputies
    if report.status in (ReportStatus.SUBMITTED, ReportStatus.CHECKED):
        return has_role_over(user, report.village, {Role.GENERAL_SECRETARY})
    return False
