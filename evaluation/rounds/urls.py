from django.urls import path

from . import views

app_name = "evaluation_rounds"

urlpatterns = [
    path("facilities/", views.facility_list, name="facilities"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility"),
    path("facilities/<int:pk>/evidence/", views.facility_evidence, name="facility_evidence"),
    path("district-duties/", views.duty_list, name="duties"),
    path("district-duties/<int:district_id>/staff/", views.duty_staff, name="duty_staff"),
    path("district-duties/staff/<int:pk>/end/", views.duty_staff_end, name="duty_staff_end"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:round_pk>/schools/<int:school_id>/", views.application_detail, name="application"),
]
