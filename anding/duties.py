"""Separation of duties (三员分立) and the personal-data permissions: which groups exist and what each may do.

The three administrator roles are Django groups whose permissions are set here, in code, and put back after every
`migrate` (a post_migrate receiver): an edit of a group's permissions in the admin lasts until the next deploy, and
`manage.py check_duties` reports it meanwhile. No user may hold two of them, nor an administrator role together
with a position in the tree or a permission on personal data; a superuser exists only for break-glass
(settings.BREAK_GLASS_SUPERUSERS). See docs/SECURITY.md, "Separation of duties".

- The system administrator restructures the tree and manages accounts; reads no member's personal data.
- The security administrator grants roles (positions, and the groups of accounts); reads no audit event.
- The audit administrator reads and exports the audit trail, and nothing else.

Two more groups carry the personal-data permissions, granted to people (the demo: the town cadres) by the
security administrator: revealing a full ID number and exporting the roster.
"""

from django.conf import settings

from . import registry

__all__ = [
    "ADMIN_ROLES",
    "ADMIN_SCOPES",
    "AUDIT_ADMIN",
    "EXPORT_MEMBERS",
    "GROUP_PERMISSIONS",
    "ID_NUMBER_REVEALERS",
    "MEMBER_EXPORTERS",
    "PERSONAL_DATA_PERMISSIONS",
    "REVEAL_ID_NUMBER",
    "SECURITY_ADMIN",
    "SYSTEM_ADMIN",
    "admin_roles",
    "duty_problems",
    "holds_position",
    "opens_whole_tree",
    "sync_groups",
]

# The groups (their names are data: they are the same in every language).
SYSTEM_ADMIN = "系统管理员"
SECURITY_ADMIN = "安全管理员"
AUDIT_ADMIN = "审计管理员"
ADMIN_ROLES = (SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN)
ID_NUMBER_REVEALERS = "身份证号查看"
MEMBER_EXPORTERS = "党员名册导出"

REVEAL_ID_NUMBER = "branches.reveal_id_number"
EXPORT_MEMBERS = "branches.export_members"

GROUP_PERMISSIONS = {
    SYSTEM_ADMIN: {
        "branches.view_organization",
        "branches.add_organization",
        "branches.change_organization",
        "branches.view_orgchange",
        "anding.view_user",
        "anding.add_user",
        "anding.change_user",
    },
    SECURITY_ADMIN: {
        "branches.view_organization",
        "branches.view_position",
        "branches.add_position",
        "branches.change_position",
        "anding.view_user",
        "anding.change_user",
    },
    AUDIT_ADMIN: {"anding.view_auditevent"},
    ID_NUMBER_REVEALERS: {REVEAL_ID_NUMBER},
    MEMBER_EXPORTERS: {EXPORT_MEMBERS},
}

# What marks a user as holding a role, whichever way they got the permission (its group, another group, or a
# permission of their own): the permissions only that role has.
ROLE_MARKERS = {
    SYSTEM_ADMIN: {"branches.add_organization", "branches.change_organization", "anding.add_user"},
    SECURITY_ADMIN: {"branches.add_position", "branches.change_position"},
    AUDIT_ADMIN: {"anding.view_auditevent"},
}

# Permissions on personal data: no administrator holds any of them.
PERSONAL_DATA_PERMISSIONS = {
    f"{app}.{verb}_{model}"
    for app, model in [
        ("branches", "partymember"),
        ("branches", "recruitmentcase"),
        ("services", "household"),
        ("services", "servicerecord"),
    ]
    for verb in ("view", "add", "change", "delete")
} | {REVEAL_ID_NUMBER, EXPORT_MEMBERS}

# The models whose every row an administrator role sees (in the admin, where its permissions let it in): the tree's
# structure to restructure it or to place a position, the positions to grant them. Never a personal-data model.
ADMIN_SCOPES = {
    ("branches.organization", "view"): {SYSTEM_ADMIN, SECURITY_ADMIN},
    ("branches.orgchange", "view"): {SYSTEM_ADMIN},
    ("branches.position", "view"): {SECURITY_ADMIN},
}


def admin_roles(user) -> set[str]:
    """The administrator groups `user` is in (read once per request; only staff can hold one)."""
    if user is None or not user.is_authenticated or not user.is_staff:
        return set()
    if "_admin_roles" not in user.__dict__:
        user.__dict__["_admin_roles"] = set(user.groups.filter(name__in=ADMIN_ROLES).values_list("name", flat=True))
    return user.__dict__["_admin_roles"]


def holds_position(user) -> bool:
    """Whether `user` holds a position in the tree (which opens personal data through the scope): asked of the
    apps through the registry, the core knowing none."""
    return any(provider(user) for provider in registry.providers("user_positions"))


def opens_whole_tree(user, model, action: str) -> bool:
    """Whether an administrator role of `user` opens every row of `model` for `action` (ADMIN_SCOPES)."""
    roles = ADMIN_SCOPES.get((model._meta.label_lower, action))
    return bool(roles) and bool(roles & admin_roles(user))


def sync_groups(**kwargs) -> None:
    """Create the groups and give each exactly its permissions (post_migrate: after every migrate)."""
    from django.contrib.auth.models import Group, Permission

    for name, perms in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = [_permission(Permission, perm) for perm in sorted(perms)]
        group.permissions.set([p for p in wanted if p is not None])


def _permission(Permission, perm: str):
    app_label, codename = perm.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def _perm_names(perms) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in perms}


def duty_problems() -> list[str]:
    """Every breach of the separation of duties, as sentences; empty when there is none."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    User = get_user_model()
    problems = []
    groups = {
        g.name: g
        for g in Group.objects.filter(name__in=GROUP_PERMISSIONS).prefetch_related("permissions__content_type")
    }
    for name, perms in GROUP_PERMISSIONS.items():
        if name not in groups:
            problems.append(f"The group {name!r} is missing (run migrate).")
            continue
        have = _perm_names(groups[name].permissions.all())
        if have != perms:
            extra, missing = sorted(have - perms), sorted(perms - have)
            problems.append(f"The group {name!r} has other permissions than documented: +{extra} -{missing}.")

    break_glass = {User.normalize_username(name) for name in settings.BREAK_GLASS_SUPERUSERS}
    for user in User.objects.filter(is_superuser=True).order_by("username"):
        if user.username not in break_glass:
            problems.append(
                f"{user.username}: a superuser not listed in BREAK_GLASS_SUPERUSERS (see docs/SECURITY.md)."
            )

    from .accounts import reserved_name_accounts

    for user in reserved_name_accounts():
        problems.append(f"{user.username}: an active account with a default or shared name (RESERVED_USERNAMES).")

    users = (
        User.objects.filter(is_superuser=False)
        .prefetch_related("groups__permissions__content_type", "user_permissions__content_type")
        .order_by("username")
    )
    for user in users:
        perms = _perm_names(user.user_permissions.all())
        in_groups = set()
        for group in user.groups.all():
            in_groups.add(group.name)
            perms |= _perm_names(group.permissions.all())
        roles = {role for role in ADMIN_ROLES if role in in_groups or perms & ROLE_MARKERS[role]}
        if len(roles) > 1:
            problems.append(f"{user.username}: holds {len(roles)} administrator roles ({', '.join(sorted(roles))}).")
        if roles and perms & PERSONAL_DATA_PERMISSIONS:
            problems.append(
                f"{user.username}: an administrator with permissions on personal data "
                f"({', '.join(sorted(perms & PERSONAL_DATA_PERMISSIONS))})."
            )
        if roles and holds_position(user):
            problems.append(f"{user.username}: an administrator holding a position in the tree.")
    return problems
