from django.contrib import admin
from django.urls import include, path

from servicetorg.catalog import views as catalog_views
from servicetorg.municipalities.views import set_language
from servicetorg.submissions import views as submission_views

municipality_patterns = [
    path("", include("servicetorg.catalog.urls")),
    path("", include("servicetorg.submissions.urls")),
    path("ansatte/", include("servicetorg.accounts.staff_urls")),
    path("saksbehandling/", include("servicetorg.cases.staff_urls")),
    path("tjenestebygger/", include("servicetorg.catalog.builder.urls")),
    path("innsikt/", include("servicetorg.insights.urls")),
]

urlpatterns = [
    path("", catalog_views.home, name="home"),
    path("i18n/sprak/", set_language, name="set_language"),
    path("", include("servicetorg.identity.urls")),
    path("mine-saker/", include("servicetorg.cases.urls")),
    path("vedlegg/<str:attachment_id>/", submission_views.attachment, name="attachment"),
    path("admin/", admin.site.urls),
    path("ansatt/", include("servicetorg.accounts.urls")),
    path("testid/", include("servicetorg.identity.testid.urls")),
    path("<slug:municipality>/", include(municipality_patterns)),
]
