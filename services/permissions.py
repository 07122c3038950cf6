"""Who may do what in the services app, answered from the positions read once per request (plus, once per request,
the user's department)."""

from anding.scoping import ALL, in_scope, scope_ranges
from branches.choices import OrgKind
from branches.models import Organization
from branches.permissions import active_positions, has_role_over
from branches.tree import ranges_q

from .choices import PlanStatus
from .roles import ALLOCATE_ROLES, OPEN_SESSION_ROLES, SPEND_ROLES, STAFF_ROLES, VISIT_SCOPE_ROLES

__all__ = [
    "can_allocate",
    "can_close_follow_up",
    "can_decide_plan",
    "can_keep_visits",
    "can_open_session",
    "can_record",
    "can_record_actuals",
    "can_record_expense",
    "can_set_plan",
    "kept_villages",
    "may_keep_visits",
    "plan_villages",
    "spends_anywhere",
    "staff_department",
]


def staff_department(user):
    """The department the user works for, when they hold an active department-staff position; else None."""
    if user is None or not user.is_authenticated:
        return None
    if "_staff_department" not in user.__dict__:
        department = None
        if any(p.role in STAFF_ROLES for p in active_positions(user)):
            from .models import DepartmentStaff

            link = DepartmentStaff.objects.select_related("department").filter(user=user).first()
            department = link.department if link else None
        user.__dict__["_staff_department"] = department
    return user.__dict__["_staff_department"]


def can_open_session(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    roles = {p.role for p in active_positions(user)}
    return bool(roles & (OPEN_SESSION_ROLES - STAFF_ROLES)) or staff_department(user) is not None


def can_record(user) -> bool:
    """Department staff record what their department handled."""
    return staff_department(user) is not None


def can_close_follow_up(user, record) -> bool:
    department = staff_department(user)
    return department is not None and record.department_id == department.pk


def plan_villages(user, action: str = "change"):
    """The villages whose assessment plans `user` may `action` ("change": set them; "approve": decide them)."""
    from branches.choices import OrgKind
    from branches.models import Organization

    from .models import AssessmentPlan

    ranges = scope_ranges(user, AssessmentPlan, action)
    villages = Organization.objects.filter(kind=OrgKind.VILLAGE)
    if ranges is ALL:
        return villages
    return villages.filter(ranges_q(ranges))


def can_set_plan(user, plan) -> bool:
    """The officers of the village's general branch set its plan (while it is a draft or returned)."""
    return plan.editable and in_scope(user, plan, "change")


def can_decide_plan(user, plan) -> bool:
    """The town approves or returns a submitted plan."""
    return plan.status == PlanStatus.SUBMITTED and in_scope(user, plan, "approve")


def can_record_actuals(user, plan) -> bool:
    """The general branch records the actual values of an approved plan."""
    return plan.status == PlanStatus.APPROVED and in_scope(user, plan, "change")


def can_allocate(user, organization=None) -> bool:
    """The town allocates special funds to the nodes below it (and corrects them); without `organization`: whether
    the user allocates anywhere (to offer the button)."""
    if user is None or not user.is_authenticated:
        return False
    if organization is None:
        return any(p.role in ALLOCATE_ROLES for p in active_positions(user))
    return has_role_over(user, organization, ALLOCATE_ROLES)


def can_record_expense(user, allocation) -> bool:
    """The officers holding a position on the allocation's node itself, or the town over it, record its expenses."""
    if user is None or not user.is_authenticated:
        return False
    node = allocation.organization_id
    return can_allocate(user, allocation.organization) or any(
        p.role in SPEND_ROLES and p.organization_id == node for p in active_positions(user)
    )


def spends_anywhere(user) -> bool:
    """Whether the user holds a position that records the expenses of some node's funds."""
    return user is not None and user.is_authenticated and any(p.role in SPEND_ROLES for p in active_positions(user))


def may_keep_visits(user) -> bool:
    """Whether the user keeps any village's register and visits (the buttons of the lists)."""
    if user is None or not user.is_authenticated:
        return False
    return any(p.role in VISIT_SCOPE_ROLES["change"] for p in active_positions(user))


def can_keep_visits(user, village) -> bool:
    """Whether the user keeps the register and the visits of `village` (an officer over it)."""
    if user is None or not user.is_authenticated:
        return False
    return has_role_over(user, village, VISIT_SCOPE_ROLES["change"])


def kept_villages(user) -> list:
    """The villages in scope whose register and visits the user keeps, in the tree's order (one query)."""
    villages = Organization.objects.restrict(user).filter(kind=OrgKind.VILLAGE).order_by("tree_id", "lft")
    return [v for v in villages if can_keep_visits(user, v)]
