"""Parts shared by the pages of the services app."""

import types

from django.core.exceptions import PermissionDenied

from anding.generic import ScopedObjectMixin

__all__ = ["OnScopedObject", "crumb"]


def crumb(name, url):
    """A breadcrumb step that is not a record: a name and where it leads."""
    return types.SimpleNamespace(name=name, get_absolute_url=url)


class OnScopedObject(ScopedObjectMixin):
    """A form page acting on one scoped object: 404 outside the scope, then 403 unless `allowed(user, obj)`."""

    def allowed(self, user, obj) -> bool:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.setup_object()
            if not self.allowed(request.user, self.object):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def setup_object(self):
        self.object = self.get_object()

    def get_cancel_url(self) -> str:
        return self.object.get_absolute_url()
