"""The hours ledger's pages: teachers' claims and QR sign-in, coordinators' management."""

from django.urls import path

from .views import claims, dashboard, nudge, sessions, targets

app_name = "ledger"

urlpatterns = [
    # Teachers
    path("claims/", claims.my_claims, name="my_claims"),
    path("claims/<int:pk>/file/", claims.claim_file, name="claim_file"),
    path("checkin/<str:token>/", sessions.checkin, name="checkin"),
    # Coordinators
    path("manage/", sessions.manage_index, name="manage"),
    path("manage/sessions/", sessions.session_list, name="session_list"),
    path("manage/sessions/new/", sessions.session_create, name="session_create"),
    path("manage/sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("manage/sessions/<int:pk>/qr.png", sessions.session_qr, name="session_qr"),
    path("manage/sessions/<int:pk>/template.xlsx", sessions.session_template, name="session_template"),
    path("manage/sessions/<int:pk>/projector/", sessions.session_projector, name="session_projector"),
    path("manage/sessions/<int:pk>/import/", sessions.session_import, name="session_import"),
    path("manage/imports/<int:pk>/", sessions.import_preview, name="import_preview"),
    path("manage/imports/<int:pk>/progress/", sessions.import_progress, name="import_progress"),
    path("manage/claims/", claims.manage_claims, name="manage_claims"),
    path("manage/claims/<int:pk>/decide/", claims.claim_decide, name="claim_decide"),
    path("manage/claims/approve/", claims.claims_bulk_approve, name="claims_bulk_approve"),
    path("manage/teachers/<int:pk>/", targets.teacher_ledger, name="teacher_ledger"),
    path("manage/targets/", targets.targets, name="targets"),
    path("manage/behind/", nudge.behind, name="behind"),
    path("manage/audit/", targets.audit_log, name="audit_log"),
]

# The teacher's own training page (我的研修) keeps its namespace `tracking` at /me/training/.
my_training = ([path("", dashboard.dashboard, name="dashboard")], "tracking")
