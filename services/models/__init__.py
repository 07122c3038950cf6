"""Models of the services app: the "55819" reference data and service days; household visits."""

from .reference import Department, DepartmentStaff, ServiceCategory, ServiceCentre, ServiceItem
from .sessions import ServiceRecord, ServiceSession
from .visits import MAX_HOUSEHOLD_SIZE, Household, HouseholdVisit, VisitTopic

__all__ = [
    "MAX_HOUSEHOLD_SIZE",
    "Department",
    "DepartmentStaff",
    "Household",
    "HouseholdVisit",
    "ServiceCategory",
    "ServiceCentre",
    "ServiceItem",
    "ServiceRecord",
    "ServiceSession",
    "VisitTopic",
]
