from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("completion/", views.report_page, {"key": "completion"}, name="completion"),
    path("completion/chart.json", views.chart_data, {"key": "completion"}, name="completion_chart"),
    path("delivery/", views.report_page, {"key": "delivery"}, name="delivery"),
    path("delivery/chart.json", views.chart_data, {"key": "delivery"}, name="delivery_chart"),
    path("parents/", views.report_page, {"key": "parents"}, name="parents"),
    path("parents/chart.json", views.chart_data, {"key": "parents"}, name="parents_chart"),
    path("staffing/", views.report_page, {"key": "staffing"}, name="staffing"),
    path("staffing/chart.json", views.chart_data, {"key": "staffing"}, name="staffing_chart"),
    path("resources/", views.report_page, {"key": "resources"}, name="resources"),
    path("resources/chart.json", views.chart_data, {"key": "resources"}, name="resources_chart"),
    path("<slug:key>/export/", views.export, name="export"),
    path("exports/<uuid:job_id>/", views.export_job, name="export_job"),
    path("exports/<uuid:job_id>/progress.json", views.export_progress, name="export_progress"),
    path("exports/<uuid:job_id>/download/", views.export_download, name="export_download"),
    path("teachers/<int:teacher_id>/", views.teacher_detail, name="teacher"),
]
