"""Lesson body blocks. Each sets icon, template, preview_value and description.

The quiz block renders questions and options only: correct answers stay on the server.
`H5PBlock` is the slot the H5P issue fills (today it renders a placeholder notice).
"""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from cms.core.blocks import CalloutBlock, HeadingBlock


class VideoBlock(blocks.StructBlock):
    """A video file uploaded as a Wagtail document (mp4), played with <video>: no third-party host."""

    title = blocks.CharBlock(label=_("title"), max_length=120)
    video = DocumentChooserBlock(label=_("video file (mp4)"))
    transcript = blocks.RichTextBlock(label=_("transcript or summary"), required=False, features=["bold", "ul"])

    class Meta:
        label = _("video")
        icon = "media"
        template = "blocks/courses/video_block.html"
        description = _("A video file (uploaded as a document) with an optional transcript")
        preview_value = {"title": "课堂观察：情绪识别", "transcript": "<p>视频文字稿。</p>"}


class AttachmentBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    document = DocumentChooserBlock(label=_("document"))
    note = blocks.CharBlock(label=_("note"), max_length=200, required=False)

    class Meta:
        label = _("attachment")
        icon = "doc-full"
        template = "blocks/courses/attachment_block.html"
        description = _("A downloadable handout, slide deck or worksheet")
        preview_value = {"title": "心理危机识别检核表", "note": "PDF，可打印"}


class QuizBlock(blocks.StructBlock):
    quiz = SnippetChooserBlock("courses.Quiz", label=_("quiz"))
    introduction = blocks.CharBlock(label=_("introduction"), max_length=255, required=False)

    class Meta:
        label = _("quiz")
        icon = "form"
        template = "blocks/courses/quiz_block.html"
        description = _("A scored quiz; passing it completes the lesson")
        preview_value = {"introduction": "完成本课测验，达到及格线即完成本课。"}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        states = (parent_context or {}).get("quiz_states") or {}
        quiz = value.get("quiz")
        context["quiz"] = quiz
        context["state"] = states.get(quiz.pk) if quiz is not None else None
        return context


class H5PBlock(blocks.StructBlock):
    """An uploaded H5P exercise played in the lesson; its result can finish the lesson."""

    title = blocks.CharBlock(label=_("title"), max_length=120)
    content = SnippetChooserBlock("courses.H5PContent", label=_("H5P content"))
    pass_percent = blocks.IntegerBlock(
        label=_("pass mark (%)"),
        default=60,
        min_value=0,
        max_value=100,
        help_text=_(
            "Score needed to finish the lesson. 0: finishing the exercise is enough (content without a score)."
        ),
    )

    class Meta:
        label = _("H5P interactive content")
        icon = "code"
        template = "blocks/courses/h5p_block.html"
        description = _("An interactive H5P exercise; passing it finishes the lesson")
        preview_value = {"title": "情景练习：与情绪低落的学生谈心", "pass_percent": 60}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        parent = parent_context or {}
        content = value.get("content")
        context["content"] = content
        context["lesson"] = parent.get("page")
        context["h5p_state"] = (parent.get("h5p_states") or {}).get(content.pk) if content is not None else None
        return context


class LessonStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("paragraph"),
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        preview_value="<p>心理危机的早期识别依靠日常观察与倾听。</p>",
        description=_("Formatted text"),
    )
    image = ImageBlock(
        label=_("image"), template="blocks/image_block.html", description=_("An image with alternative text")
    )
    callout = CalloutBlock()
    video = VideoBlock()
    attachment = AttachmentBlock()
    quiz = QuizBlock()
    h5p = H5PBlock()
