from django.urls import path

from servicetorg.catalog.builder import (
    library_views,
    preview_views,
    transfer_views,
    translation_views,
    versions_views,
    views,
)

app_name = "builder"
urlpatterns = [
    path("", views.services, name="services"),
    path("ny/", views.new_service, name="new"),
    # Before "<slug>/", which would take these names for services.
    path("bibliotek/", library_views.library, name="library"),
    path("bibliotek/<int:service_id>/ta-i-bruk/", library_views.adopt, name="adopt"),
    path("importer/", transfer_views.import_file, name="import"),
    path("<slug:slug>/", views.overview, name="overview"),
    path("<slug:slug>/om-tjenesten/", views.edit_service, name="service"),
    path("<slug:slug>/steg/<str:step_key>/", views.edit_step, name="step"),
    path("<slug:slug>/felt/<str:key>/", views.edit_field, name="field"),
    path("<slug:slug>/vedtaksbrev/", views.edit_letters, name="letters"),
    path("<slug:slug>/oversettelser/", translation_views.translations, name="translations"),
    path("<slug:slug>/endre/", views.change, name="change"),
    path("<slug:slug>/publiser/", views.publish, name="publish"),
    path("<slug:slug>/forhandsvisning/", preview_views.preview, name="preview"),
    path(
        "<slug:slug>/forhandsvisning/steg/<int:index>/",
        preview_views.preview_step,
        name="preview_step",
    ),
    path("<slug:slug>/versjoner/", versions_views.versions, name="versions"),
    path("<slug:slug>/versjoner/sammenlign/", versions_views.version_diff, name="version_diff"),
    path(
        "<slug:slug>/versjoner/<int:number>/gjenopprett/",
        versions_views.restore,
        name="restore",
    ),
    path("<slug:slug>/del/", versions_views.share, name="share"),
    path("<slug:slug>/oppstrom/", library_views.upstream, name="upstream"),
    path("<slug:slug>/eksport.yaml", transfer_views.export, {"fmt": "yaml"}, name="export_yaml"),
    path("<slug:slug>/eksport.json", transfer_views.export, {"fmt": "json"}, name="export_json"),
]
