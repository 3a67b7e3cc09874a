"""Tracking configuration in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import KeyGradeConfig, TermBreak


# --- class delivery calendar (issue 5) --------------------------------------------------------
class TermBreakViewSet(ModelViewSet):
    model = TermBreak
    icon = "date"
    form_fields = ["term", "name", "start_date", "end_date"]
    list_display = ["term", "name", "start_date", "end_date"]
    list_filter = ["term"]


class KeyGradeConfigViewSet(ModelViewSet):
    model = KeyGradeConfig
    icon = "list-ul"
    form_fields = ["academic_year", "school_type", "grades"]
    list_display = ["academic_year", "school_type", "grades"]
    list_filter = ["academic_year", "school_type"]


class DeliveryCalendarGroup(ModelViewSetGroup):
    menu_label = _("Delivery calendar")
    menu_icon = "date"
    menu_order = 310
    items = (TermBreakViewSet("term_breaks"), KeyGradeConfigViewSet("key_grades"))


@hooks.register("register_admin_viewset")
def register_delivery_calendar_viewsets():
    return DeliveryCalendarGroup()
