from django.urls import path

from servicetorg.accounts import gdpr_views, staff_views

app_name = "staff"
urlpatterns = [
    path("", staff_views.staff_list, name="list"),
    path("<int:user_id>/", staff_views.staff_edit, name="edit"),
    path("innsyn/", gdpr_views.access_report, name="access_report"),
]
