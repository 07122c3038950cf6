from rest_framework.routers import DefaultRouter

from . import funds, plans, sessions, visits

router = DefaultRouter()
router.include_root_view = False  # the branches router answers the API root
router.register("service-sessions", sessions.SessionViewSet, basename="service-session")
router.register("service-records", sessions.RecordViewSet, basename="service-record")
router.register("assessment-plans", plans.PlanViewSet, basename="assessment-plan")
router.register("fund-allocations", funds.AllocationViewSet, basename="fund-allocation")
router.register("fund-expenses", funds.ExpenseViewSet, basename="fund-expense")
router.register("households", visits.HouseholdViewSet, basename="household")
router.register("household-visits", visits.VisitViewSet, basename="household-visit")
