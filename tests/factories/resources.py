import io

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model

from resources.models import ResourceAttachment, ResourceDownload, ResourceIndexPage, ResourcePage, ResourceTopic


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = get_document_model()

    title = factory.Sequence(lambda n: f"教案文件{n}")
    file = factory.LazyFunction(
        lambda: ContentFile(docx_bytes("情绪管理教案", "暖身活动：情绪猜猜猜"), name="plan.docx")
    )


class ResourceTopicFactory(DjangoModelFactory):
    class Meta:
        model = ResourceTopic
        django_get_or_create = ("slug",)

    slug = "emotion"
    name = "情绪管理"


class ResourceIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ResourceIndexPage

    title = "资源库"
    slug = "resources"


class ResourcePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ResourcePage

    title = factory.Sequence(lambda n: f"情绪管理心理健康活动课{n}")
    slug = factory.Sequence(lambda n: f"resource-{n}")
    summary = "引导学生识别情绪，学习调节方法。"
    grade_bands = factory.LazyFunction(lambda: ["junior"])
    resource_type = "lesson_plan"
    lesson_kind = "psy_lesson"


class ResourceAttachmentFactory(DjangoModelFactory):
    class Meta:
        model = ResourceAttachment

    page = factory.SubFactory(ResourcePageFactory)
    document = factory.SubFactory(DocumentFactory)


class ResourceDownloadFactory(DjangoModelFactory):
    class Meta:
        model = ResourceDownload

    user = factory.SubFactory("tests.factories.accounts.UserFactory")
    attachment = factory.SubFactory(ResourceAttachmentFactory)
    resource = factory.SelfAttribute("attachment.page")
