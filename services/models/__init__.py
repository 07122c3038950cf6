"""Models of the services app: the "55819" reference data and service days; special funds."""

from .funds import FundAllocation, FundExpense, FundVoucher
from .plans import AssessmentPlan, PlanIndicator
from .reference import Department, DepartmentStaff, ServiceCategory, ServiceCentre, ServiceItem
from .sessions import ServiceRecord, ServiceSession

__all__ = [
    "AssessmentPlan",
    "Department",
    "DepartmentStaff",
    "FundAllocation",
    "FundExpense",
    "FundVoucher",
    "PlanIndicator",
    "ServiceCategory",
    "ServiceCentre",
    "ServiceItem",
    "ServiceRecord",
    "ServiceSession",
]
