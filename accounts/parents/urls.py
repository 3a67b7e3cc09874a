from django.urls import path

from . import views

app_name = "family"

urlpatterns = [
    path("join/", views.signup, name="signup"),
    path("privacy/", views.privacy, name="privacy"),
    path("delete/", views.delete_account, name="delete"),
    path("codes/", views.join_codes, name="join_codes"),
    path("codes/<int:pk>/", views.join_code, name="join_code"),
    path("codes/<int:pk>/qr.png", views.join_code_qr, name="join_code_qr"),
    path("codes/<int:pk>/revoke/", views.revoke_join_code, name="revoke_join_code"),
]
