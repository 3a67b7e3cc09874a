"""Class delivery URLs, mounted at /me/classes/ (teacher pages; coordinator pages under manage/)."""

from django.urls import path

from .views import manage, teacher

app_name = "delivery"

urlpatterns = [
    path("", teacher.my_classes, name="my_classes"),
    path("log/", teacher.log_start, name="log_start"),
    path("history/", teacher.history, name="history"),
    path("history/<int:pk>/withdraw/", teacher.withdraw, name="withdraw"),
    path("<int:class_id>/log/", teacher.log, name="log"),
    path("<int:class_id>/visits/", teacher.visits, name="visits"),
    path("manage/", manage.manage_classes, name="manage_classes"),
    path("manage/class/<int:class_id>/", manage.manage_class, name="manage_class"),
    path("manage/log/<int:pk>/edit/", manage.manage_activity_edit, name="manage_activity_edit"),
    path("manage/log/<int:pk>/void/", manage.manage_activity_void, name="manage_activity_void"),
    path("manage/schools/", manage.manage_schools, name="manage_schools"),
    path("manage/schools/<int:school_id>/lectures/", manage.manage_lectures, name="manage_lectures"),
    path("manage/lectures/<int:pk>/void/", manage.manage_lecture_void, name="manage_lecture_void"),
]
