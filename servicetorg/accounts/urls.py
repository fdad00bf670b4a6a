from django.urls import path

from servicetorg.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.staff_home, name="home"),
    path("logg-inn/", views.staff_login, name="login"),
    path("logg-inn/kode/", views.staff_token, name="token"),
    path("logg-ut/", views.staff_logout, name="logout"),
]
