from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("<int:resource_id>/files/<int:attachment_id>/", views.download, name="download"),
    path("mine/", views.my_downloads, name="my_downloads"),
]
