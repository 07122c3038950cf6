"""Models of the services app: the "55819" reference data and service days."""

from .reference import Department, DepartmentStaff, ServiceCategory, ServiceCentre, ServiceItem
from .sessions import ServiceRecord, ServiceSession

__all__ = [
    "Department",
    "DepartmentStaff",
    "ServiceCategory",
    "ServiceCentre",
    "ServiceItem",
    "ServiceRecord",
    "ServiceSession",
]
