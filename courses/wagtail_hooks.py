from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Quiz


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "form"
    menu_label = _("Quizzes")
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["title", "pass_mark", "max_attempts"]
    search_fields = ["title"]


register_snippet(QuizViewSet)
