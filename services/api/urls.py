from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.include_root_view = False  # the branches router answers the API root
router.register("service-sessions", views.SessionViewSet, basename="service-session")
router.register("service-records", views.RecordViewSet, basename="service-record")
