from django.urls import path

from servicetorg.accounts import staff_views

app_name = "staff"
urlpatterns = [
    path("", staff_views.staff_list, name="list"),
    path("<int:user_id>/", staff_views.staff_edit, name="edit"),
]
