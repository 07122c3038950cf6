"""Who may do what in the services app, answered from the positions read once per request (plus, once per request,
the user's department)."""

from branches.choices import OrgKind
from branches.models import Organization
from branches.permissions import active_positions, has_role_over

from .roles import OPEN_SESSION_ROLES, STAFF_ROLES, VISIT_SCOPE_ROLES

__all__ = [
    "can_close_follow_up",
    "can_keep_visits",
    "can_open_session",
    "can_record",
    "kept_villages",
    "may_keep_visits",
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
