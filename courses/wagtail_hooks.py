from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .h5p.forms import H5PContentForm
from .models import H5PContent, H5PLibrary, Quiz


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "form"
    menu_label = _("Quizzes")
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["title", "pass_mark", "max_attempts"]
    search_fields = ["title"]


class H5PContentViewSet(SnippetViewSet):
    model = H5PContent
    icon = "code"
    menu_label = _("H5P content")
    list_display = ["title", "main_library", "updated_at"]
    search_fields = ["title"]
    inspect_view_enabled = True
    inspect_view_fields = ["title", "main_library", "libraries", "package_bytes", "created_at", "updated_at"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("package"),
            HelpPanel(template="courses/admin/h5p_content_panel.html", heading=_("Libraries and preview")),
        ],
        base_form_class=H5PContentForm,
    )


class YesNoColumn(BooleanColumn):
    """A tick or a cross whose tooltip is said in the admin's language (Wagtail's says True/False)."""

    cell_template_name = "courses/admin/yes_no_cell.html"


class H5PLibraryViewSet(SnippetViewSet):
    """Installed libraries arrive inside packages; editors only look at them (view permission)."""

    model = H5PLibrary
    icon = "cogs"
    menu_label = _("H5P libraries")
    list_display = [
        "machine_name",
        Column("version", label=_("Version")),
        "title",
        YesNoColumn("runnable", label=_("runnable")),
        # Which packages use it: the count here, their titles on the library's inspect page.
        Column("package_count", label=_("Used by packages"), sort_key="package_count"),
        "updated_at",
    ]
    search_fields = ["machine_name", "title"]
    inspect_view_enabled = True
    inspect_view_fields = ["machine_name", "version", "title", "runnable", "contents", "installed_at", "updated_at"]

    def get_queryset(self, request):
        return H5PLibrary.objects.annotate(package_count=Count("contents", distinct=True)).order_by(
            *H5PLibrary._meta.ordering
        )


class H5PViewSetGroup(SnippetViewSetGroup):
    items = (H5PContentViewSet, H5PLibraryViewSet)
    menu_icon = "code"
    menu_label = _("H5P interactive content")
    menu_order = 260


register_snippet(QuizViewSet)
register_snippet(H5PViewSetGroup)
