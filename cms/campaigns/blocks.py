"""A campaign page's body: text, events, the hotlines, related courses and resources."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from cms.core.blocks import BaseStreamBlock


class EventBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("event"), max_length=120)
    date = blocks.DateBlock(label=_("date"))
    place = blocks.CharBlock(label=_("place"), max_length=120, required=False)
    organiser = blocks.CharBlock(label=_("organiser"), max_length=120, required=False)
    description = blocks.TextBlock(label=_("description"), required=False)

    class Meta:
        icon = "date"
        template = "blocks/campaigns/event_block.html"
        label = _("Event")
        description = _("One event of the campaign, with date, place and organiser.")
        preview_value = {
            "title": "心理健康主题讲座",
            "date": "2026-10-10",
            "place": "学校报告厅",
            "organiser": "市教育局",
        }


class HotlineBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=80, required=False)

    class Meta:
        icon = "mobile-alt"
        template = "blocks/campaigns/hotline_block.html"
        label = _("Hotlines")
        description = _("The site's 24-hour hotlines, tap-to-call.")
        preview_value = {"heading": "24小时心理援助热线"}


class RelatedBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=80, required=False)
    pages = blocks.ListBlock(blocks.PageChooserBlock(label=_("page")), label=_("courses and resources"))

    class Meta:
        icon = "link"
        template = "blocks/campaigns/related_block.html"
        label = _("Related courses and resources")
        description = _("Links to courses, resources or other pages on the platform.")
        preview_value = {"heading": "相关课程", "pages": []}


class CampaignStreamBlock(BaseStreamBlock):
    event = EventBlock()
    hotlines = HotlineBlock()
    related = RelatedBlock()
