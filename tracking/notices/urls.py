from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("", views.notices, name="list"),
    path("read/", views.notices_mark_read, name="mark_read"),
]
