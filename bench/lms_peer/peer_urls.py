from django.urls import include, path

from wagtail import urls as wagtail_urls

# lms/: the xAPI endpoint (bench/h5p_xapi.py); the rest: Wagtail's pages (bench/lesson_page.py).
urlpatterns = [path("lms/", include("wagtail_lms.urls")), path("", include(wagtail_urls))]
