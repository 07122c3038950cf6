"""Models of the services app: the "55819" reference data and service days; special funds."""

from .funds import FundAllocation, FundExpense, FundVoucher
from .reference import Department, DepartmentStaff, ServiceCategory, ServiceCentre, ServiceItem
from .sessions import ServiceRecord, ServiceSession

__all__ = [
    "Department",
    "DepartmentStaff",
    "FundAllocation",
    "FundExpense",
    "FundVoucher",
    "ServiceCategory",
    "ServiceCentre",
    "ServiceItem",
    "ServiceRecord",
    "ServiceSession",
]
