from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.activities, name="activities"),
    path("<int:pk>/photo/", views.activity_photo, name="activity_photo"),
]
