from django.urls import path

from . import views
from .h5p import views as h5p_views

app_name = "courses"

urlpatterns = [
    path("learn/courses/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("learn/lessons/<int:lesson_id>/finish/", views.finish_lesson, name="finish_lesson"),
    path("learn/lessons/<int:lesson_id>/progress/", views.lesson_progress, name="lesson_progress"),
    path("learn/quiz/submit/", views.submit_quiz, name="submit_quiz"),
    path("learn/enrolments/<int:enrolment_id>/attempts/", views.grant_attempts, name="grant_attempts"),
    path("learn/courses/<int:course_id>/assign/", views.assign, name="assign"),
    path("learn/courses/<int:course_id>/enrolments/", views.enrolments, name="enrolments"),
    path("learn/compulsory/not-started/", views.not_started, name="not_started"),
    path("learn/certificates/<str:code>.<str:fmt>", views.certificate_file, name="certificate"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("h5p/<int:content_id>/", h5p_views.activity, name="h5p_activity"),
    path("h5p/<int:content_id>/play/", h5p_views.play, name="h5p_play"),
    path("h5p/libraries/<str:folder>/<path:path>", h5p_views.library_file, name="h5p_library"),
    path("h5p/g/<str:token>/xapi/statements", h5p_views.statement, name="h5p_statement"),
    path("h5p/g/<str:token>/state", h5p_views.user_state, name="h5p_state"),
    path("h5p/g/<str:token>/<path:path>", h5p_views.content_file, name="h5p_file"),
]
