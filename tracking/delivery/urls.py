"""Class delivery URLs, mounted at /me/classes/ (teacher pages; coordinator pages under manage/)."""

from django.urls import path

from . import views

app_name = "delivery"

urlpatterns = [
    path("", views.my_classes, name="my_classes"),
    path("log/", views.log_start, name="log_start"),
    path("history/", views.history, name="history"),
    path("<int:class_id>/log/", views.log, name="log"),
    path("<int:class_id>/visits/", views.visits, name="visits"),
    path("manage/", views.manage_classes, name="manage_classes"),
    path("manage/class/<int:class_id>/", views.manage_class, name="manage_class"),
    path("manage/log/<int:pk>/edit/", views.manage_activity_edit, name="manage_activity_edit"),
    path("manage/log/<int:pk>/void/", views.manage_activity_void, name="manage_activity_void"),
    path("manage/schools/", views.manage_schools, name="manage_schools"),
    path("manage/schools/<int:school_id>/lectures/", views.manage_lectures, name="manage_lectures"),
    path("manage/lectures/<int:pk>/void/", views.manage_lecture_void, name="manage_lecture_void"),
]
