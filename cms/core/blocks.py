"""Blocks shared by every page type. Each sets icon, template, preview_value and description."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=120)
    level = blocks.ChoiceBlock(label=_("level"), choices=[("h2", "H2"), ("h3", "H3"), ("h4", "H4")], default="h2")

    class Meta:
        label = _("heading")
        icon = "title"
        template = "blocks/heading_block.html"
        preview_value = {"text": "心理健康教育专题培训", "level": "h2"}
        description = _("A section heading")


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link", "ul"])
    tone = blocks.ChoiceBlock(
        label=_("tone"),
        choices=[("info", _("information")), ("important", _("important"))],
        default="info",
    )

    class Meta:
        label = _("callout")
        icon = "warning"
        template = "blocks/callout_block.html"
        preview_value = {
            "title": "24小时心理援助热线",
            "text": "<p>12355、966525、0791-88330120</p>",
            "tone": "important",
        }
        description = _("A highlighted box, e.g. for hotlines or deadlines")


CARD_PREVIEW = {"title": "教师研修", "text": "分层分类的心理健康教育专题培训课程。"}


class CardBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=80)
    text = blocks.TextBlock(label=_("text"), max_length=300)
    page = blocks.PageChooserBlock(label=_("link to page"), required=False)
    url = blocks.URLBlock(label=_("or external link"), required=False)

    class Meta:
        label = _("card")
        icon = "link"
        template = "blocks/card_block.html"
        preview_value = CARD_PREVIEW
        description = _("A card linking to a page")


class CardGridBlock(blocks.StructBlock):
    cards = blocks.ListBlock(CardBlock(), label=_("cards"))

    class Meta:
        label = _("card grid")
        icon = "grip"
        template = "blocks/card_grid_block.html"
        preview_value = {"cards": [CARD_PREVIEW] * 3}
        description = _("A grid of cards")


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("paragraph"),
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        preview_value="<p>学校心理健康教育要面向全体学生，预防为主。</p>",
        description=_("Formatted text"),
    )
    image = ImageBlock(
        label=_("image"),
        template="blocks/image_block.html",
        description=_("An image with alternative text"),
    )
    callout = CalloutBlock()
    cards = CardGridBlock()
