"""Tracking configuration in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import CoverageArrangement, KeyGradeConfig, TermBreak


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


class CoverageArrangementViewSet(ModelViewSet):
    """对口援助 / 定点支教: who covers a small school's psychology teaching, from when to when."""

    model = CoverageArrangement
    icon = "group"
    form_fields = ["school", "kind", "covering_school", "covering_teacher", "starts_on", "ends_on", "note"]
    list_display = ["school", "kind", "covering_school", "covering_teacher", "starts_on", "ends_on"]
    list_filter = ["kind", "school__district"]
    search_fields = ["school__name", "covering_school__name", "covering_teacher__user__name"]


class DeliveryCalendarGroup(ModelViewSetGroup):
    menu_label = _("Delivery calendar")
    menu_icon = "date"
    menu_order = 310
    items = (
        TermBreakViewSet("term_breaks"),
        KeyGradeConfigViewSet("key_grades"),
        CoverageArrangementViewSet("coverage_arrangements"),
    )


@hooks.register("register_admin_viewset")
def register_delivery_calendar_viewsets():
    return DeliveryCalendarGroup()
