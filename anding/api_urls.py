"""The API's root: each app's router, the OpenAPI schema and its docs page (assets served locally)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from anding.auth import LockoutObtainAuthToken
from branches.api.urls import router as branches_router
from development.api.urls import router as development_router
from services.api.urls import router as services_router

urlpatterns = [
    path("", include(branches_router.urls)),
    path("", include(services_router.urls)),
    path("", include(development_router.urls)),
    path("token/", LockoutObtainAuthToken.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
