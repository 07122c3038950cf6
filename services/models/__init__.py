"""Models of the services app: the "55819" reference data and service days; tailored assessment plans; special funds;
household visits."""

from .funds import FundAllocation, FundExpense, FundVoucher
from .plans import AssessmentPlan, PlanIndicator
from .reference import Department, DepartmentStaff, ServiceCategory, ServiceCentre, ServiceItem
from .sessions import ServiceRecord, ServiceSession
from .visits import MAX_HOUSEHOLD_SIZE, Household, HouseholdVisit, VisitTopic

__all__ = [
    "MAX_HOUSEHOLD_SIZE",
    "AssessmentPlan",
    "Department",
    "DepartmentStaff",
    "FundAllocation",
    "FundExpense",
    "FundVoucher",
    "Household",
    "HouseholdVisit",
    "PlanIndicator",
    "ServiceCategory",
    "ServiceCentre",
    "ServiceItem",
    "ServiceRecord",
    "ServiceSession",
    "VisitTopic",
]
