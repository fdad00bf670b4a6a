from django.urls import path
from entries import views

urlpatterns = [
    path("", views.short, name="short"),
    path("form/", views.form_page, name="form"),
    path("insert/", views.insert, name="insert"),
]
