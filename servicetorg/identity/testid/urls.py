from django.urls import path

from servicetorg.identity.testid import views

app_name = "testid"
urlpatterns = [
    path(".well-known/openid-configuration", views.discovery, name="discovery"),
    path("jwks", views.jwks, name="jwks"),
    path("authorize", views.authorize, name="authorize"),
    path("token", views.token, name="token"),
    path("logout", views.logout, name="logout"),
]
