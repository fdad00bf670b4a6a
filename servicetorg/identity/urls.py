from django.urls import path

from servicetorg.identity import views

app_name = "identity"
urlpatterns = [
    path("logg-inn/", views.login, name="login"),
    path("logg-inn/ferdig/", views.callback, name="callback"),
    path("logg-inn/aktiv/", views.keepalive, name="keepalive"),
    path("logg-ut/", views.logout, name="logout"),
    path("logg-ut/ferdig/", views.logged_out, name="logged_out"),
    path("logg-ut/frontkanal/", views.frontchannel_logout, name="frontchannel_logout"),
]
