"""Uploads are checked (type, size, content); text is read out of files without trusting them."""

import io
import zipfile

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import ValidationError

from resources import limits
from resources.documents import check_upload
from resources.extract import ExtractionError, extract_text
from resources.services import document_text
from tests.auth import login_with_mfa
from tests.factories import DocumentFactory
from tests.factories.resources import docx_bytes


def pptx_bytes(text: str) -> bytes:
    import pptx

    presentation = pptx.Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "青春期心理"
    slide.placeholders[1].text = text
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def pdf_bytes(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, text)
    return bytes(pdf.output())


def zip_bomb(name: str = "word/document.xml", size: int = 50 * 1024 * 1024) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(name, b"0" * size)
    return buffer.getvalue()


def test_text_comes_out_of_docx_pptx_and_pdf():
    assert "暖身活动" in extract_text(io.BytesIO(docx_bytes("情绪管理", "暖身活动")), "docx")
    assert "异性交往" in extract_text(io.BytesIO(pptx_bytes("异性交往的尺度")), "pptx")
    assert "ABC model" in extract_text(io.BytesIO(pdf_bytes("ABC model of emotions")), "pdf")
    assert extract_text(io.BytesIO(b"\x00\x00\x00\x18ftypmp42"), "mp4") == ""


@pytest.mark.parametrize(
    ("data", "extension"),
    [
        (b"not a zip at all", "docx"),
        (zip_bomb(), "docx"),
        (b"%PDF-1.4 garbage", "pdf"),
        (zip_bomb("ppt/slides/slide1.xml", 100), "pptx"),  # a zip, but no presentation in it
    ],
    ids=["not-a-zip", "zip-bomb", "broken-pdf", "empty-pptx"],
)
def test_hostile_or_broken_files_give_a_chinese_message_not_a_crash(data, extension):
    with pytest.raises(ExtractionError) as error:
        extract_text(io.BytesIO(data), extension)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(error.value))


def test_too_many_parts_are_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ZIP_ENTRIES", 3)
    with pytest.raises(ExtractionError):
        extract_text(io.BytesIO(docx_bytes("x")), "docx")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.pdf", b"MZ\x90\x00 an exe renamed", "不是 PDF 文件"),
        ("video.mp4", b"<html>not a video</html>", "不是 MP4 视频"),
        ("plan.docx", b"PK\x03\x04 broken", "不是有效的 docx 文件"),
        ("plan.docx", zip_bomb(), "解压后远大于"),
        ("slides.pptx", docx_bytes("a word file renamed"), "文件内容与扩展名不符"),
    ],
)
def test_uploads_that_are_not_what_they_say_are_refused(name, content, message):
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile(name, content))
    assert message in " ".join(error.value.messages)


def test_oversized_uploads_are_refused(monkeypatch):
    monkeypatch.setitem(limits.MAX_SIZE, "docx", 100)
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile("big.docx", docx_bytes("长" * 1000)))
    assert "此类文件最大" in " ".join(error.value.messages)


def test_good_uploads_pass():
    check_upload(SimpleUploadedFile("plan.docx", docx_bytes("情绪管理")))
    check_upload(SimpleUploadedFile("plan.pdf", pdf_bytes("ok")))


@pytest.mark.django_db
def test_the_admin_upload_form_refuses_a_disguised_file(client, admin_user):
    from django.urls import reverse

    login_with_mfa(client, admin_user)
    response = client.post(
        reverse("wagtaildocs:add"),
        {"title": "伪装的文件", "file": SimpleUploadedFile("plan.pdf", b"MZ not a pdf"), "collection": 1},
    )
    assert response.status_code == 200
    assert "不是 PDF 文件" in response.content.decode()


@pytest.mark.django_db
def test_document_text_is_read_once_per_file_version():
    document = DocumentFactory()
    assert "暖身活动" in document_text(document)
    document.file.delete(save=False)  # a second call must not need the file again
    assert "暖身活动" in document_text(document)


def test_text_comes_out_of_a_spreadsheet():
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["周次", "主题"])
    workbook.active.append([1, "情绪温度计"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "情绪温度计" in extract_text(io.BytesIO(buffer.getvalue()), "xlsx")


def test_a_file_bigger_than_the_limit_is_not_read(monkeypatch):
    monkeypatch.setitem(limits.MAX_SIZE, "docx", 10)
    with pytest.raises(ExtractionError):
        extract_text(io.BytesIO(docx_bytes("长长的教案")), "docx")


@pytest.mark.django_db
def test_a_missing_file_is_remembered_as_an_error_not_a_crash():
    from resources.models import DocumentText

    document = DocumentFactory()
    document.file.delete(save=False)
    assert document_text(document) == ""
    assert DocumentText.objects.get(document=document).error
