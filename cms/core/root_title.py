"""The page tree's root reads "根目录" in the Chinese admin (its title, "Root", is data Wagtail
creates in English and never translates)."""

from django.utils.translation import gettext

from wagtail.models import Page


def install() -> None:
    original = Page.get_admin_display_title
    if getattr(original, "root_translated", False):
        return

    def get_admin_display_title(self):
        if self.depth == 1:
            return gettext("Root")
        return original(self)

    get_admin_display_title.root_translated = True
    Page.get_admin_display_title = get_admin_display_title
