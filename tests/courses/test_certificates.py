"""Certificates: who may fetch them, the public verification page, and Chinese that really renders."""

import io

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from django.http import QueryDict
from django.urls import reverse

from courses import services
from courses.certificates import certificate_lines, font_path, render_pdf, render_png
from tests.auth import login_with_mfa
from tests.factories import CertificateFactory, EnrolmentFactory, TeacherProfileFactory

from .conftest import correct_answers, lessons

pytestmark = pytest.mark.django_db


@pytest.fixture
def cert(teacher, course):
    enrolment = EnrolmentFactory(user=teacher.user, teacher=teacher, course=course)
    return CertificateFactory(enrolment=enrolment, learner_name=teacher.user.display_name, course_title=course.title)


def test_owner_and_coordinators_in_scope_get_the_files(client, cert, teacher, school_coordinator, city_coordinator):
    for user in (teacher.user, school_coordinator, city_coordinator):
        login_with_mfa(client, user)
        pdf = client.get(reverse("courses:certificate", args=[cert.code, "pdf"]))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert "no-store" in pdf["Cache-Control"]
    png = client.get(reverse("courses:certificate", args=[cert.code, "png"]))
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).size[0] > 1000


def test_others_cannot_fetch_a_certificate(client, cert, org):
    url = reverse("courses:certificate", args=[cert.code, "pdf"])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    colleague = TeacherProfileFactory(school=org["school_a1"])
    client.force_login(colleague.user)
    assert client.get(url).status_code == 404
    from tests.factories import CoordinatorRoleFactory

    other_district = CoordinatorRoleFactory(level="district", district=org["district_b"]).user
    login_with_mfa(client, other_district)
    assert client.get(url).status_code == 404
    assert client.get(reverse("courses:certificate", args=["NOPE12345678", "pdf"])).status_code == 404
    client.force_login(cert.enrolment.user)
    assert client.get(f"/learn/certificates/{cert.code}.exe").status_code == 404


def test_public_verification_shows_only_validity_course_hours_and_date(client, cert):
    response = client.get(reverse("courses:verify", args=[cert.code.lower()]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "badge-ok" in html
    assert cert.course_title in html and "2.0" in html and "2026-05-20" in html
    assert cert.learner_name not in html
    masked = cert.learner_name[0] + "*" * (len(cert.learner_name) - 2) + cert.learner_name[-1]
    assert f"<dd data-holder>{masked}</dd>" in html  # the holder's name, masked (张*华)
    assert cert.enrolment.teacher.school.name not in html
    unknown = client.get(reverse("courses:verify", args=["ZZZZZZZZZZZZ"]))
    assert unknown.status_code == 404 and "badge-ok" not in unknown.content.decode()
    cert.revoked = True
    cert.save()
    assert "badge-ok" not in client.get(reverse("courses:verify", args=[cert.code])).content.decode()


def _ink(image: Image.Image) -> Image.Image:
    """Black-and-white ink mask cropped to its bounding box."""
    grey = image.convert("L").point(lambda v: 255 if v < 160 else 0)
    box = grey.getbbox()
    assert box is not None, "no ink at all: the text region is blank"
    return grey.crop(box)


def _similarity(a: Image.Image, b: Image.Image) -> float:
    """Intersection over union of two ink masks, after scaling b to a's size."""
    b = b.resize(a.size)
    both = ImageChops.multiply(a, b).histogram()[255]
    either = ImageChops.lighter(a, b).histogram()[255]
    return both / either if either else 0.0


def test_certificate_chinese_text_renders_as_real_glyphs(cert):
    """Rasterise the PDF title and compare it with the same text drawn by PIL in the same font.

    Missing CJK glyphs would show as blank or as identical boxes (tofu); a font without CJK
    serves as the control that such a rendering is told apart.
    """
    scale = 3  # pixels per PDF point
    png = Image.open(io.BytesIO(render_png(render_pdf(cert, "https://example.cn/verify/X/"), scale=scale)))
    mm = 72 / 25.4 * scale
    title, size = certificate_lines(cert)[0]
    region = png.crop((int(20 * mm), int(38 * mm), int(277 * mm), int((40 + size * 0.6 + 4) * mm)))
    from_pdf = _ink(region)

    def drawn(font):
        canvas = Image.new("L", (int(size * scale * len(title) * 1.5), int(size * scale * 2)), 255)
        ImageDraw.Draw(canvas).text((10, 10), title, font=font, fill=0)
        return _ink(canvas)

    reference = drawn(ImageFont.truetype(str(font_path()), size=size * scale, index=0))
    control = drawn(ImageFont.load_default(size=size * scale))

    assert from_pdf.size[0] > from_pdf.size[1] * 3  # a line of six glyphs, not a dot
    same_text = _similarity(from_pdf, reference)
    tofu = _similarity(from_pdf, control)
    assert same_text > 0.6, same_text
    assert same_text > tofu + 0.25, (same_text, tofu)


def test_names_are_masked_on_the_public_page():
    from courses.models.learning import mask_name

    assert [mask_name(n) for n in ("张三华", "王五", "欧阳明华", "李", "")] == ["张*华", "王*", "欧**华", "*", ""]


def test_an_issued_certificate_names_the_authority_the_year_and_the_school(teacher, course, quiz):
    enrolment, _ = services.enrol(teacher.user, course)
    reading, quiz_lesson = lessons(course)
    services.finish_lesson(enrolment, reading)
    data = QueryDict(mutable=True)
    for key, values in correct_answers(quiz).items():
        data.setlist(key, values)
    services.submit_quiz(teacher.user, services.quiz_state(enrolment, quiz, quiz_lesson).token, data)
    cert = enrolment.certificate
    assert (cert.issuer, cert.training_year, cert.school_name) == ("南昌市教育局", 2026, teacher.school.name)
    text = "\n".join(line for line, _size in certificate_lines(cert))
    assert "发证单位：南昌市教育局" in text
    assert "2026年度" in text
    assert teacher.school.name in text and teacher.user.name in text
