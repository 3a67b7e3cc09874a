from django.urls import path

from . import dashboard

app_name = "tracking"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
]
