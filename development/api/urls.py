from rest_framework.routers import DefaultRouter

from . import figures, households, pairings, partnerships

router = DefaultRouter()
router.include_root_view = False  # the branches router answers the API root
router.register("village-figures", figures.FiguresViewSet, basename="village-figures")
router.register("pairings", pairings.PairingViewSet, basename="pairing")
router.register("partner-events", partnerships.EventViewSet, basename="partner-event")
router.register("branch-resources", households.ResourceViewSet, basename="branch-resource")
router.register("shared-sales", households.SaleViewSet, basename="shared-sale")
