import re

from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.core import my_data, page_create, routing
from cms.core import views as core_views
from tracking.ledger import urls as ledger_urls

urlpatterns = [
    # One login for the whole site: Wagtail's own login and password pages hand over to allauth's.
    path("admin/login/", core_views.to_site_login),
    path("admin/password_reset/", core_views.to_password_reset),
    # Same name as Wagtail's view it shadows, so reverse("wagtailcore_login") finds this one.
    path("_util/login/", core_views.to_site_login, name="wagtailcore_login"),
    # Wagtail's page create view without autosave, which races the publish button (cms/core/page_create.py).
    path(
        "admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/<int:parent_page_id>/",
        page_create.create,
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("me/classes/", include("tracking.delivery.urls")),
    path("me/training/", include(ledger_urls.my_training)),
    path("me/", include("accounts.urls")),
    path("family/", include("accounts.parents.urls")),
    path("manage/reports/", include("tracking.reports.urls")),
    path("manage/campaign-activities/", include("cms.campaigns.urls")),
    path("manage/evaluation/", include("evaluation.rounds.urls")),
    path("manage/evaluation/", include("evaluation.urls")),
    path("manage/", include("accounts.manage_urls")),
    path("me/notices/", include("tracking.notices.urls")),
    path("me/start/", core_views.start, name="start"),
    path("me/data/", my_data.my_data, name="my_data"),
    path("me/data/my-data.json", my_data.my_data_json, name="my_data_json"),
    path("me/data/my-data.html", my_data.my_data_html, name="my_data_html"),
    path("me/data/delete/", my_data.request_deletion, name="my_data_delete"),
    path("hours/", include("tracking.ledger.urls")),
    path("search/", include("search.urls")),
    path("library/", include("resources.urls")),
    path("", include("courses.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.healthz, name="healthz"),
]

if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    # The demo run (cms.settings.dev) serves uploaded media itself; production's web server does.
    urlpatterns += [
        re_path(
            r"^{}(?P<path>.*)$".format(re.escape(settings.MEDIA_URL.lstrip("/"))),
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

# Wagtail's own patterns, its page view wrapped in the route cache (cms/core/routing.py).
urlpatterns += [
    path("", include([p for p in wagtail_urls.urlpatterns if getattr(p, "name", None) != "wagtail_serve"])),
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
]

# A database that does not answer is a 503 ("try again shortly"), other errors the designed 500.
handler500 = core_views.server_error
