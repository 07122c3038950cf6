from rest_framework.routers import DefaultRouter

from . import figures, households, pairings, partnerships

router = DefaultRouter()
router.include_root_view = False  # the branches router answers the API root
router.register("village-figures", figures.FiguresViewSet, basename="village-figures")
router.register("pairings", pairings.PairingViewSet, basename="pairing")
router.register("pairing-progress", pairings.ProgressViewSet, basename="pairing-progress")
router.register("partners", partnerships.PartnerViewSet, basename="partner")
router.register("partner-events", partnerships.EventViewSet, basename="partner-event")
router.register("branch-resources", households.ResourceViewSet, basename="branch-resource")
router.register("resource-trainings", households.TrainingViewSet, basename="resource-training")
router.register("shared-sales", households.SaleViewSet, basename="shared-sale")
