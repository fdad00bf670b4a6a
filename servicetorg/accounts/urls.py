from django.urls import path

from servicetorg.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.staff_home, name="home"),
    path("logg-inn/", views.staff_login, name="login"),
    path("logg-inn/kode/", views.staff_token, name="token"),
    path("logg-inn/oidc/<int:provider_id>/", views.staff_oidc_start, name="oidc_start"),
    path("logg-inn/oidc/ferdig/", views.staff_oidc_callback, name="oidc_callback"),
    path("logg-ut/", views.staff_logout, name="logout"),
    path("logg-ut/ferdig/", views.staff_logged_out, name="logged_out"),
]
