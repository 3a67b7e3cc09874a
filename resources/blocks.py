"""The resource page's interactive exercises (互动练习): H5P content played in the page.

The block names the snippet by its label ("courses.H5PContent"): the library imports nothing
from courses (import contract), and the player (`courses.h5p.views.play`) asks the page itself
who may play (`ResourcePage.h5p_playable_by`). Outside a course nothing is credited: there is
no pass mark, no progress and no hours; the learner's statements and saved state are kept.
"""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock


class ResourceH5PBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    content = SnippetChooserBlock("courses.H5PContent", label=_("H5P content"))

    class Meta:
        label = _("H5P interactive content")
        icon = "code"
        template = "blocks/resources/h5p_block.html"
        description = _("An interactive H5P exercise for self-study (no hours are credited)")
        preview_value = {"title": "情景练习：识别求助信号"}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        parent = parent_context or {}
        context["content"] = value.get("content")
        context["resource"] = parent.get("page")
        context["can_play"] = parent.get("can_play_h5p", False)
        return context


class InteractiveStreamBlock(blocks.StreamBlock):
    h5p = ResourceH5PBlock()
