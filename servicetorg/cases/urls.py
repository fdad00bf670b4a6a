from django.urls import path

from servicetorg.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("<str:case_id>/", views.mine_detail, name="mine_detail"),
]
