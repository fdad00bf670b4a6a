from django.urls import path

from servicetorg.identity import views

app_name = "identity"
urlpatterns = [
    path("logg-inn/", views.login, name="login"),
    path("logg-ut/", views.logout, name="logout"),
]
