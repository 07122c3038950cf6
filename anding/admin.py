"""Admin of users and the read-only audit trail."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .auth import AdminLockoutAuthenticationForm
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
    list_display = ["username", "full_name", "is_active", "is_staff", "is_superuser", "last_login"]
    search_fields = ["username", "full_name"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "phone", "email"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["username", "full_name", "password1", "password2"]})]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "actor_name", "ip_address", "action", "object_type", "object_repr", "result"]
    list_filter = ["action", "result", "object_type", "at"]
    search_fields = ["actor_name", "object_repr", "object_id", "ip_address"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
