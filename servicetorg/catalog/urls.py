from django.urls import path

from servicetorg.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.front, name="front"),
    path("tema.css", views.theme, name="theme"),
    path("tjenester/<slug:slug>/", views.service, name="service"),
]
