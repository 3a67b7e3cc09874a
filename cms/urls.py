from django.conf import settings
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.core import views as core_views
from tracking.ledger import urls as ledger_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("me/classes/", include("tracking.delivery.urls")),
    path("me/training/", include(ledger_urls.my_training)),
    path("me/", include("accounts.urls")),
    path("manage/reports/", include("tracking.reports.urls")),
    path("manage/", include("accounts.manage_urls")),
    path("me/notices/", include("tracking.notices.urls")),
    path("hours/", include("tracking.ledger.urls")),
    path("", include("courses.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", core_views.healthz, name="healthz"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
