from django.urls import path

from .views import reports as views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("completion/", views.report_page, {"key": "completion"}, name="completion"),
    path("completion/chart.json", views.chart_data, {"key": "completion"}, name="completion_chart"),
    path("staffing/", views.report_page, {"key": "staffing"}, name="staffing"),
    path("staffing/chart.json", views.chart_data, {"key": "staffing"}, name="staffing_chart"),
    path("<slug:key>/export/", views.export, name="export"),
    path("exports/<uuid:job_id>/", views.export_job, name="export_job"),
    path("exports/<uuid:job_id>/progress.json", views.export_progress, name="export_progress"),
    path("exports/<uuid:job_id>/download/", views.export_download, name="export_download"),
    path("teachers/<int:teacher_id>/", views.teacher_detail, name="teacher"),
]
