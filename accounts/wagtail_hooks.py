"""Organisation data in the Wagtail admin, grouped under 组织机构."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .forms import ParentProfileForm
from .models import (
    AcademicYear,
    CoordinatorRole,
    District,
    ParentProfile,
    School,
    SchoolClass,
    SchoolMembership,
    TeacherProfile,
    Term,
    TrainingYear,
)
from .viewsets import AuditedViewSetMixin


class DistrictViewSet(ModelViewSet):
    model = District
    icon = "site"
    form_fields = ["name", "code", "kind", "sort_order"]
    list_display = ["name", "code", "kind"]
    search_fields = ["name", "code"]


class SchoolViewSet(ModelViewSet):
    model = School
    icon = "home"
    form_fields = ["name", "code", "district", "school_type", "student_count", "address", "aliases", "is_active"]
    list_display = ["name", "code", "district", "school_type", "student_count"]
    list_filter = ["district", "school_type", "is_active"]
    search_fields = ["name", "code"]


class SchoolClassViewSet(ModelViewSet):
    model = SchoolClass
    icon = "group"
    form_fields = [
        "school",
        "academic_year",
        "grade",
        "name",
        "student_count",
        "family_count",
        "head_teacher",
        "psychology_teacher",
    ]
    list_display = ["__str__", "academic_year", "grade", "student_count"]
    list_filter = ["academic_year", "grade", "school__district"]
    search_fields = ["name", "school__name"]


class AcademicYearViewSet(ModelViewSet):
    model = AcademicYear
    icon = "date"
    form_fields = ["name", "start_date", "end_date"]
    list_display = ["name", "start_date", "end_date"]


class TermViewSet(ModelViewSet):
    model = Term
    icon = "date"
    form_fields = ["academic_year", "number", "start_date", "end_date"]
    list_display = ["__str__", "start_date", "end_date"]
    list_filter = ["academic_year"]


class TrainingYearViewSet(ModelViewSet):
    model = TrainingYear
    icon = "calendar"
    form_fields = ["year", "start_date", "end_date"]
    list_display = ["__str__", "start_date", "end_date"]


class TeacherProfileViewSet(AuditedViewSetMixin, ModelViewSet):
    model = TeacherProfile
    audit_prefix = "teacher"
    audit_fields = ("user", "school", "category", "is_active")  # category sets the yearly target
    icon = "user"
    form_fields = ["user", "school", "staff_number", "category", "subject", "is_active"]
    list_display = ["__str__", "school", "category", "is_active"]
    list_filter = ["category", "school__district", "is_active"]
    search_fields = ["staff_number", "user__name", "user__username", "school__name"]


class ParentProfileViewSet(ModelViewSet):
    model = ParentProfile
    icon = "user"

    def get_form_class(self, for_update=False):
        return ParentProfileForm

    list_display = ["__str__", "school", "consent_at"]
    search_fields = ["user__name", "user__username"]


class SchoolMembershipViewSet(AuditedViewSetMixin, ModelViewSet):
    """Teachers' school history (reports of past years read it). Moves are recorded when a
    teacher's school changes; here a wrong date or school can be corrected, with an audit trail."""

    model = SchoolMembership
    audit_prefix = "membership"
    audit_fields = ("teacher", "school", "started_on", "ended_on")
    icon = "history"
    form_fields = ["teacher", "school", "started_on", "ended_on"]
    list_display = ["teacher", "school", "started_on", "ended_on"]
    list_filter = ["school__district"]
    search_fields = ["teacher__staff_number", "teacher__user__name", "school__name"]


class CoordinatorRoleViewSet(AuditedViewSetMixin, ModelViewSet):
    model = CoordinatorRole
    audit_prefix = "role"
    audit_fields = ("user", "level", "district", "school")
    icon = "key"
    form_fields = ["user", "level", "district", "school"]
    list_display = ["user", "level", "district", "school"]
    list_filter = ["level", "district"]
    search_fields = ["user__name", "user__username"]


class OrganisationGroup(ModelViewSetGroup):
    menu_label = _("Organisation")
    menu_icon = "site"
    menu_order = 300
    items = (
        DistrictViewSet("districts"),
        SchoolViewSet("schools"),
        SchoolClassViewSet("classes"),
        TeacherProfileViewSet("teachers"),
        SchoolMembershipViewSet("school_memberships"),
        ParentProfileViewSet("parents"),
        CoordinatorRoleViewSet("coordinator_roles"),
        AcademicYearViewSet("academic_years"),
        TermViewSet("terms"),
        TrainingYearViewSet("training_years"),
    )


@hooks.register("register_admin_viewset")
def register_organisation_viewsets():
    return OrganisationGroup()
