"""Admin of users and the read-only audit trail."""

import csv
import json
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from . import accounts, audit, duties
from .auth import AdminLockoutAuthenticationForm, current_locks, unlock
from .exports import local_time, safe_cell, xlsx_response
from .forms import restrict_form_fields
from .models import AuditEvent, User


class ScopedAdminMixin:
    """Admin changelists, change forms and inlines see only the user's scope, like every other read, and every
    foreign-key and many-to-many choice offers only what the user may pick (superusers: everything)."""

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user)

    def get_form(self, request, obj=None, **kwargs):
        return _scoped_form(super().get_form(request, obj, **kwargs), request.user)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = _scoped_form(formset.form, request.user)
        return formset


def _scoped_form(form_class, user):
    """`form_class` whose every choice field (the model's and the form's own) is limited to `user`'s scope."""

    class ScopedForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            restrict_form_fields(self, user)

    ScopedForm.__name__ = form_class.__name__
    return ScopedForm


class ReadOnlyAdminMixin:
    """For records only the application writes (audit events, workflow history): the admin shows, never edits."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.site_header = _("Anding Party-Building Portal administration")
admin.site.site_title = _("Anding portal admin")
admin.site.login_form = AdminLockoutAuthenticationForm


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts, split between the administrator roles (anding.duties): the system administrator creates accounts,
    edits their names and contacts, sets passwords and deactivates; the security administrator grants the roles
    (the groups, and staff access to the admin). Nobody but a superuser changes a superuser, grants superuser or
    single permissions, and no one changes their own roles or gets two administrator roles. The security
    administrator also unlocks locked accounts and removes the authenticator app of someone who lost it (the
    user's page lists the locks and has the buttons; the list has an action), never for their own account."""

    list_display = ["username", "full_name", "is_active", "is_staff", "is_superuser", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups"]
    search_fields = ["username", "full_name"]
    account_fields = ["username", "full_name", "phone", "email", "is_active"]
    role_fields = ["is_staff", "groups"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "phone", "email"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["username", "full_name", "password1", "password2"]})]
    actions = ["unlock_accounts"]

    def _is_security_admin(self, request) -> bool:
        # The superuser too: break-glass exists for when no security administrator is left (docs/SECURITY.md).
        return request.user.is_superuser or duties.SECURITY_ADMIN in duties.admin_roles(request.user)

    def has_unlock_permission(self, request, obj=None):
        return self._is_security_admin(request) and (obj is None or obj.pk != request.user.pk)

    @admin.action(description=_("Unlock the selected accounts"), permissions=["unlock"])
    def unlock_accounts(self, request, queryset):
        unlocked = 0
        for user in queryset.exclude(pk=request.user.pk):
            if current_locks(user):
                unlock(user, None, request=request)
                unlocked += 1
        self.message_user(request, _("Accounts unlocked: %(count)d.") % {"count": unlocked})

    def get_urls(self):
        return [
            path("<path:object_id>/unlock/", self.admin_site.admin_view(self.unlock_view), name="anding_user_unlock"),
            path(
                "<path:object_id>/otp-reset/",
                self.admin_site.admin_view(self.otp_reset_view),
                name="anding_user_otp_reset",
            ),
            *super().get_urls(),
        ]

    def _target(self, request, object_id):
        if request.method != "POST":
            return None
        return get_object_or_404(self.get_queryset(request), pk=object_id)

    def unlock_view(self, request, object_id):
        """Unlock the account for one client address (`address`), or for all when none is given."""
        user = self._target(request, object_id)
        if user is None:
            return HttpResponseNotAllowed(["POST"])
        if not self.has_unlock_permission(request, user):
            raise PermissionDenied
        unlock(user, request.POST.get("address") or None, request=request)
        self.message_user(request, _("The account %(name)s is unlocked.") % {"name": user.username})
        return redirect(reverse("admin:anding_user_change", args=[user.pk]))

    def otp_reset_view(self, request, object_id):
        """Remove the user's authenticator app (lost or broken): audited as `otp_reset`."""
        user = self._target(request, object_id)
        if user is None:
            return HttpResponseNotAllowed(["POST"])
        if not self.has_unlock_permission(request, user):
            raise PermissionDenied
        accounts.reset_second_factor(user, request=request)
        self.message_user(
            request,
            _("The authenticator app of %(name)s is removed: they set up a new one at their next login.")
            % {"name": user.username},
        )
        return redirect(reverse("admin:anding_user_change", args=[user.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        user = self.get_object(request, object_id)
        extra = {}
        if user is not None and self.has_view_permission(request, user):
            extra = {
                "account_locks": current_locks(user),
                "has_device": TOTPDevice.objects.filter(user=user).exists(),
                "can_unlock": self.has_unlock_permission(request, user),
            }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        # Single permissions are granted to no one: roles are groups.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "user_permissions"]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return []
        roles = duties.admin_roles(request.user)
        editable = set()
        if duties.SYSTEM_ADMIN in roles:
            editable |= set(self.account_fields)
        if duties.SECURITY_ADMIN in roles and obj.pk != request.user.pk:
            editable |= set(self.role_fields)
        everything = [f for _name, options in self.get_fieldsets(request, obj) for f in options["fields"]]
        return [f for f in everything if f not in editable and f != "password"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        # Setting a password is account management: the system administrator's, not the security administrator's
        # (who could otherwise take over an account).
        if not (request.user.is_superuser or duties.SYSTEM_ADMIN in duties.admin_roles(request.user)):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "groups" in form.base_fields:
            form = type(form.__name__, (OneRoleFormMixin, form), {})
        return form


class OneRoleFormMixin:
    def clean_groups(self):
        groups = self.cleaned_data["groups"]
        roles = [g.name for g in groups if g.name in duties.ADMIN_ROLES]
        if len(roles) > 1:
            raise ValidationError(
                _("No one may hold two administrator roles (%(roles)s): choose one."),
                code="two_admin_roles",
                params={"roles": "、".join(roles)},
            )
        if roles and self.instance.pk and duties.holds_position(self.instance):
            raise ValidationError(
                _("An administrator holds no position in the tree: end this user's positions first."),
                code="admin_with_position",
            )
        return groups


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit trail, for the audit administrator (the only role with `view_auditevent`): read only, filtered,
    and exported as it is filtered (Excel or CSV), the export itself an audit event."""

    list_display = ["at", "actor_name", "ip_address", "action", "object_type", "object_id", "object_repr", "result"]
    list_filter = ["action", "result", "object_type", "at"]
    search_fields = ["actor_name", "object_repr", "object_id", "ip_address"]
    date_hierarchy = "at"
    readonly_fields = [
        *(f.name for f in AuditEvent._meta.fields if f.name not in ("prev_hash", "hash")),
        "changes",
        "object_history",
        "prev_hash",
        "hash",
    ]
    change_list_template = "admin/anding/auditevent/change_list.html"
    export_fields = ["at", "actor_name", "ip_address", "action", "object_type", "object_id", "object_repr", "result"]

    @admin.display(description=_("before and after"))
    def changes(self, event):
        """A history event's detail (anding.history) as a table: each changed field, its value before and after."""
        before, after = (event.detail or {}).get("before"), (event.detail or {}).get("after")
        if not isinstance(before, dict) or not isinstance(after, dict):
            return "-"
        label, shown = _field_labels(event.object_type), _values_shown(event.object_type)
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
            (
                (label(name), shown(name, before.get(name)), shown(name, after.get(name)))
                for name in {**before, **after}
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("field"),
            _("before"),
            _("after"),
            rows,
        )

    @admin.display(description=_("history of this object"))
    def object_history(self, event):
        """A link to every event of the same object, oldest first: its history."""
        if not event.object_type or not event.object_id:
            return "-"
        query = urlencode({"object_type": event.object_type, "object_id": event.object_id, "o": "1"})
        return format_html(
            '<a href="{}?{}">{}</a>', reverse("admin:anding_auditevent_changelist"), query, _("All its events")
        )

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_view)
        return [path("export/<str:fmt>/", export, name="anding_auditevent_export"), *super().get_urls()]

    def export_view(self, request, fmt):
        if fmt not in ("xlsx", "csv"):
            raise Http404
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = self.get_changelist_instance(request).get_queryset(request).order_by("at", "pk")
        headers = [str(AuditEvent._meta.get_field(f).verbose_name) for f in self.export_fields] + [_("details")]
        data = [
            [
                local_time(e.at),
                *(getattr(e, f) for f in self.export_fields[1:]),
                json.dumps(e.detail, ensure_ascii=False),
            ]
            for e in rows.iterator()
        ]
        audit.record(
            "export",
            detail={"list": "audit-events", "format": fmt, "rows": len(data), "query": request.GET.urlencode()},
        )
        if fmt == "xlsx":
            return xlsx_response("audit", (AuditEvent._meta.verbose_name_plural, headers, data))
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localtime():%Y%m%d-%H%M}.csv"'
        response.write("\ufeff")  # Excel opens UTF-8 CSV with the mark
        writer = csv.writer(response)
        writer.writerow(headers)
        writer.writerows([safe_cell(value) for value in row] for row in data)
        return response


def _field_labels(object_type: str):
    """name -> the field's verbose name in the model named `object_type` ("app.model"), or the name itself."""
    try:
        opts = apps.get_model(object_type)._meta
    except (LookupError, ValueError):
        return lambda name: name

    def label(name):
        try:
            return opts.get_field(name).verbose_name
        except FieldDoesNotExist:
            return name

    return label


def _values_shown(object_type: str):
    """(name, stored value) -> what to show: a foreign key as the record it names now, with its id ("第二联村党总支
    (3)"), when that record still exists; anything else as stored."""
    try:
        opts = apps.get_model(object_type)._meta
    except (LookupError, ValueError):
        opts = None

    def shown(name, value):
        if value is None:
            return "-"
        try:
            field = opts.get_field(name) if opts else None
        except FieldDoesNotExist:
            field = None
        if field is not None and field.many_to_one and str(value).isdigit():
            related = field.related_model._base_manager.filter(pk=value).first()
            return f"{related} ({value})" if related is not None else value
        return value

    return shown
