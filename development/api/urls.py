from rest_framework.routers import DefaultRouter

from . import figures, pairings

router = DefaultRouter()
router.include_root_view = False  # the branches router answers the API root
router.register("village-figures", figures.FiguresViewSet, basename="village-figures")
router.register("pairings", pairings.PairingViewSet, basename="pairing")
