from rest_framework.routers import DefaultRouter

from . import sessions, visits

router = DefaultRouter()
router.include_root_view = False  # the branches router answers the API root
router.register("service-sessions", sessions.SessionViewSet, basename="service-session")
router.register("service-records", sessions.RecordViewSet, basename="service-record")
router.register("households", visits.HouseholdViewSet, basename="household")
router.register("household-visits", visits.VisitViewSet, basename="household-visit")
