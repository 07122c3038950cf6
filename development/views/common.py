"""Parts shared by the pages of the development app."""

from services.views.common import OnScopedObject, crumb

__all__ = ["OnScopedObject", "crumb"]
