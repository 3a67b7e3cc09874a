"""Wagtail's "add a page" view without autosave.

Wagtail 8 autosaves a page being created: 500 ms after a change its script posts the form to
the create URL, which makes the page as a draft, and only when that answer arrives does it point
the form at the new page's edit URL. An editor who presses 发布 before the answer arrives posts to
the create URL again, and both posts pass the slug check (neither page is committed yet): two
pages, one a stray draft. Seen in CI, where the server is slow (decision 0040). On the create page
autosave is off; the first 保存草稿 or 发布 makes the page, and from then on the edit page
autosaves as Wagtail does, posting to a page that exists.
"""

from django.views.decorators.cache import never_cache

from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.pages.create import CreateView as WagtailCreateView


class CreateView(WagtailCreateView):
    def get_context_data(self, **kwargs):
        self.autosave_enabled = False
        context = super().get_context_data(**kwargs)
        context["autosave_indicator"] = None  # it would say nothing, ever
        return context


# Decorated as Wagtail decorates its own admin URLs (login and admin access first, never cached).
create = never_cache(require_admin_access(CreateView.as_view()))
