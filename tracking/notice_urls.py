from django.urls import path

from .views import reports as views

app_name = "notices"

urlpatterns = [
    path("", views.notices, name="list"),
    path("read/", views.notices_mark_read, name="mark_read"),
]
