"""The audit trail's names for this app's actions (registered in RoundsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "facility.submit": _("Facility / organisation entry submitted"),
    "facility.approve": _("Facility / organisation entry approved"),
    "facility.return": _("Facility / organisation entry returned"),
    "district_staff.add": _("District staff member added"),
    "district_staff.end": _("District staff member left the post"),
    "round.open": _("Evaluation round opened"),
    "round.edit": _("Evaluation round changed"),
    "round.close": _("Evaluation round closed"),
    "application.submit": _("Self-assessment submitted"),
    "application.recommend": _("School recommended by the district"),
    "application.return": _("Self-assessment returned"),
    "application.award": _("Status awarded"),
    "application.refuse": _("Status refused"),
}
