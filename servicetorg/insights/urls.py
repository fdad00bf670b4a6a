from django.urls import path

from servicetorg.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("naboer/", views.neighbours_page, name="neighbours"),
    path("gevinst/", views.gain_settings, name="gains"),
    path("rapport/", views.report, name="report"),
    path("eksport/<slug:table>.<slug:fmt>", views.export, name="export"),
]
