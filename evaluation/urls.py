from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.index, name="index"),
    path("schools/", views.schools, name="schools"),
    path("schools/<int:school_id>/", views.school, name="school"),
    path("schools/<int:school_id>/scorecard.pdf", views.school_pdf, name="school_pdf"),
    path("districts/<int:district_id>/", views.district, name="district"),
    path("districts/<int:district_id>/scorecards.xlsx", views.district_xlsx, name="district_xlsx"),
]
