"""Hostile uploads (issue 9 #6): a decompression-bomb PNG, an oversized photo and an oversized
request body are refused with a Chinese message; nothing is stored and nothing answers 500."""

import io
import struct
import zlib

import pytest
from PIL import Image

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from cms.core.middleware import RequestSizeLimitMiddleware
from tests.factories import UserFactory
from tracking.models import ExternalClaim

pytestmark = pytest.mark.django_db


def png_declaring(width: int, height: int) -> bytes:
    """A PNG of a few hundred bytes whose header declares width × height pixels (a bomb)."""
    out = io.BytesIO()
    Image.new("L", (8, 8), 255).save(out, format="PNG")
    data = bytearray(out.getvalue())
    # IHDR is the first chunk: 8-byte signature, 4-byte length, "IHDR", width, height, …, CRC.
    data[16:24] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF
    data[29:33] = struct.pack(">I", crc)
    return bytes(data)


def photo(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="JPEG")
    return out.getvalue()


def claim_form(file_bytes, name):
    return {
        "title": "心理健康教育专题网络培训",
        "organiser": "国家中小学智慧教育平台",
        "activity_date": "2026-04-01",
        "hours": "6",
        "file": SimpleUploadedFile(name, file_bytes),
    }


@pytest.fixture
def now_2026(monkeypatch):
    import datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 6, 1))


@pytest.mark.parametrize(
    "width,height",
    [(20000, 20000), (12000, 12000), (8000, 5001)],  # 400 MP (Pillow's bomb error), 144 MP, just over 40 MP
)
def test_certificate_image_over_the_pixel_limit_is_refused_cleanly(
    client, teacher, training_year, now_2026, width, height
):
    client.force_login(teacher.user)
    response = client.post(reverse("ledger:my_claims"), claim_form(png_declaring(width, height), "证书.png"))
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "图片尺寸过大：最多 40 百万像素。请换用分辨率较低的照片或扫描件。"
    ]
    assert ExternalClaim.objects.count() == 0


def test_certificate_photo_within_the_limit_is_accepted(client, teacher, training_year, now_2026):
    client.force_login(teacher.user)
    response = client.post(reverse("ledger:my_claims"), claim_form(photo(1600, 1200), "证书.jpg"))
    assert response.status_code == 303
    assert ExternalClaim.objects.get().content_type == "image/jpeg"


def test_pillow_refuses_bombs_everywhere_not_only_in_our_forms():
    assert Image.MAX_IMAGE_PIXELS == 40_000_000
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(png_declaring(20000, 20000)))


def test_wagtail_image_upload_over_the_pixel_limit_is_a_form_error(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    upload = SimpleUploadedFile("bomb.png", png_declaring(20000, 20000), content_type="image/png")
    response = client.post(reverse("wagtailimages:add"), {"title": "bomb", "file": upload})
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    from wagtail.images import get_image_model

    assert not get_image_model().objects.exists()


class _Unreadable(io.RawIOBase):
    def read(self, *args):  # pragma: no cover - reaching it is the failure
        raise AssertionError("the body was read")


def _request(path, length):
    request = RequestFactory().generic("POST", path, content_type="multipart/form-data; boundary=x")
    request.META["CONTENT_LENGTH"] = str(length)
    request.META["wsgi.input"] = _Unreadable()
    return request


def test_an_oversized_body_gets_a_chinese_413_before_it_is_read(settings):
    def view(request):  # pragma: no cover - reaching it is the failure
        raise AssertionError("the view ran")

    middleware = RequestSizeLimitMiddleware(view)
    response = middleware(_request("/hours/claims/", settings.REQUEST_MAX_BYTES + 1))
    html = response.content.decode()
    assert response.status_code == 413
    assert "上传的内容过大" in html and "超过 12 MB" in html and "返回首页" in html


def test_the_admin_has_its_own_larger_limit(settings):
    seen = []
    middleware = RequestSizeLimitMiddleware(lambda request: seen.append(request.path) or "passed")
    assert middleware(_request("/admin/documents/multiple/add/", settings.REQUEST_MAX_BYTES + 1)) == "passed"
    assert (
        middleware(_request("/admin/documents/multiple/add/", settings.REQUEST_MAX_BYTES_ADMIN + 1)).status_code == 413
    )
    assert middleware(_request("/hours/claims/", settings.REQUEST_MAX_BYTES)) == "passed"
    assert middleware(_request("/hours/claims/", "not-a-number")) == "passed"


def test_the_413_is_served_through_the_whole_stack(client, teacher, settings):
    settings.REQUEST_MAX_BYTES = 1024
    client.force_login(teacher.user)
    response = client.post(reverse("ledger:my_claims"), claim_form(b"%PDF-" + b"0" * 4096, "证书.pdf"))
    assert response.status_code == 413 and "上传的内容过大" in response.content.decode()
    assert ExternalClaim.objects.count() == 0
