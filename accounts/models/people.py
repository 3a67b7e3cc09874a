"""People and the four-level organisation: city → district (县区) → school → class.

Privacy: a SchoolClass holds counts only (students, families). No student is ever a
row in this database.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """The one account for teachers, parents, coordinators and editors.

    `name` is the full name as written in Chinese (姓名); first/last name are kept for
    Django compatibility but not used for display.
    """

    name = models.CharField(_("full name"), max_length=64, blank=True, db_index=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        """How pages and messages address the person. A parent who gave no name is 家长, never the mobile
        number or e-mail handle they signed up with (those are identifiers, not forms of address)."""
        full = self.get_full_name()
        if full:
            return full
        if hasattr(self, "parent_profile"):
            return gettext("parent")
        return self.username

    @property
    def greeting(self) -> str:
        """The start page's heading: by name, or 家长您好 for a parent who gave none."""
        if not self.get_full_name() and hasattr(self, "parent_profile"):
            return gettext("Hello, parent")
        return gettext("Welcome, %(name)s") % {"name": self.display_name}

    def get_full_name(self) -> str:
        if self.name:
            return self.name
        return f"{self.last_name}{self.first_name}".strip()

    def get_short_name(self) -> str:
        return self.display_name


class District(models.Model):
    """A county, district or development zone: the middle level of the four."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("district")
        COUNTY = "county", _("county")
        ZONE = "zone", _("development zone")
        BUREAU = "bureau", _("management bureau")

    name = models.CharField(_("name"), max_length=64, unique=True)
    code = models.CharField(_("code"), max_length=16, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DISTRICT)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("district / county")
        verbose_name_plural = _("districts / counties")

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    class SchoolType(models.TextChoices):
        PRIMARY = "primary", _("primary school")
        JUNIOR = "junior", _("junior secondary school")
        SENIOR = "senior", _("senior secondary school")
        NINE_YEAR = "nine_year", _("nine-year school")
        TWELVE_YEAR = "twelve_year", _("twelve-year school")
        VOCATIONAL = "vocational", _("secondary vocational school")
        SPECIAL = "special", _("special education school")
        PRESCHOOL = "preschool", _("kindergarten")

    # Grades (1–12; vocational schools count their own grades from 1) each type teaches.
    GRADES = {
        SchoolType.PRIMARY: range(1, 7),
        SchoolType.JUNIOR: range(7, 10),
        SchoolType.SENIOR: range(10, 13),
        SchoolType.NINE_YEAR: range(1, 10),
        SchoolType.TWELVE_YEAR: range(1, 13),
        SchoolType.VOCATIONAL: range(1, 4),
        SchoolType.SPECIAL: range(1, 10),
        SchoolType.PRESCHOOL: range(0, 0),
    }

    name = models.CharField(_("name"), max_length=128)
    code = models.CharField(_("school code"), max_length=32, unique=True)
    district = models.ForeignKey(
        District, verbose_name=_("district / county"), on_delete=models.PROTECT, related_name="schools"
    )
    school_type = models.CharField(_("school type"), max_length=16, choices=SchoolType.choices)
    student_count = models.PositiveIntegerField(_("number of students"), default=0)
    address = models.CharField(_("address"), max_length=255, blank=True)
    # What people write on sign-in sheets besides the full name: 滨江实小, 滨江小学 … (one per line).
    aliases = models.TextField(
        _("other names"),
        blank=True,
        help_text=_("Other names people write for this school, one per line (e.g. 滨江实小)."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["district__sort_order", "code"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="unique_school_name_per_district")]

    def __str__(self) -> str:
        return self.name

    @property
    def grades(self) -> range:
        return self.GRADES[self.SchoolType(self.school_type)]

    def short_name(self, district_name: str) -> str:
        """The name without its district prefix (东湖区滨江实验小学 → 滨江实验小学), as people write it."""
        if district_name and self.name.startswith(district_name) and len(self.name) > len(district_name):
            return self.name[len(district_name) :]
        return self.name

    def alias_list(self) -> list[str]:
        return [
            line.strip() for line in self.aliases.replace("，", "\n").replace(",", "\n").splitlines() if line.strip()
        ]


class AcademicYear(models.Model):
    """A school year (学年), e.g. 2026–2027, made of terms."""

    name = models.CharField(_("name"), max_length=32, unique=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError(_("The end date must be after the start date."))

    @classmethod
    def current(cls, on: datetime.date | None = None) -> AcademicYear | None:
        on = on or timezone.localdate()
        return cls.objects.filter(start_date__lte=on, end_date__gte=on).first()


class Term(models.Model):
    """A semester (学期) with its teaching dates."""

    class Number(models.IntegerChoices):
        FIRST = 1, _("first semester")
        SECOND = 2, _("second semester")

    academic_year = models.ForeignKey(
        AcademicYear, verbose_name=_("academic year"), on_delete=models.CASCADE, related_name="terms"
    )
    number = models.PositiveSmallIntegerField(_("semester"), choices=Number.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("semester")
        verbose_name_plural = _("semesters")
        constraints = [models.UniqueConstraint(fields=["academic_year", "number"], name="unique_term_number_per_year")]

    def __str__(self) -> str:
        return f"{self.academic_year} {self.get_number_display()}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError(_("The end date must be after the start date."))

    @classmethod
    def current(cls, on: datetime.date | None = None) -> Term | None:
        on = on or timezone.localdate()
        return cls.objects.filter(start_date__lte=on, end_date__gte=on).select_related("academic_year").first()


class TrainingYear(models.Model):
    """The year that training hours count towards (培训年度), usually the calendar year."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("training year")
        verbose_name_plural = _("training years")

    def __str__(self) -> str:
        return _("%(year)s training year") % {"year": self.year}

    def clean(self):
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError(_("The end date must be after the start date."))

    @classmethod
    def current(cls, on: datetime.date | None = None) -> TrainingYear | None:
        on = on or timezone.localdate()
        return cls.objects.filter(start_date__lte=on, end_date__gte=on).first()

    def has_ended(self, on: datetime.date | None = None) -> bool:
        return (on or timezone.localdate()) > self.end_date


class TeacherCategory(models.TextChoices):
    """The policy's training categories; each has its own yearly target."""

    FULL_TIME_PSYCHOLOGY = "psy_full", _("full-time psychology teacher")
    PART_TIME_PSYCHOLOGY = "psy_part", _("part-time psychology teacher")
    HEAD_TEACHER = "head", _("head teacher / ideological key teacher")
    OTHER = "other", _("other teacher")


class TeacherProfile(models.Model):
    user = models.OneToOneField(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="teacher_profile")
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="teachers")
    staff_number = models.CharField(_("staff number"), max_length=32)
    category = models.CharField(
        _("teacher category"), max_length=16, choices=TeacherCategory.choices, default=TeacherCategory.OTHER
    )
    subject = models.CharField(_("subject"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["school", "staff_number"]
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")
        constraints = [
            models.UniqueConstraint(fields=["staff_number"], name="unique_staff_number"),
        ]
        indexes = [models.Index(fields=["school", "category"])]

    def __str__(self) -> str:
        return f"{self.user.display_name}（{self.staff_number}）"

    @property
    def is_psychology_teacher(self) -> bool:
        return self.category in (TeacherCategory.FULL_TIME_PSYCHOLOGY, TeacherCategory.PART_TIME_PSYCHOLOGY)


class SchoolClass(models.Model):
    """A class (班级) in one academic year. Counts only: no student records."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="classes")
    academic_year = models.ForeignKey(
        AcademicYear, verbose_name=_("academic year"), on_delete=models.PROTECT, related_name="classes"
    )
    grade = models.PositiveSmallIntegerField(_("grade"))
    name = models.CharField(_("class name"), max_length=32)
    student_count = models.PositiveIntegerField(_("number of students"), default=0)
    family_count = models.PositiveIntegerField(_("number of families"), default=0)
    head_teacher = models.ForeignKey(
        TeacherProfile,
        verbose_name=_("head teacher"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="head_of_classes",
    )
    psychology_teacher = models.ForeignKey(
        TeacherProfile,
        verbose_name=_("psychology teacher"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="psychology_classes",
    )

    class Meta:
        ordering = ["school", "grade", "name"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year", "grade", "name"], name="unique_class_per_school_year"
            )
        ]

    def __str__(self) -> str:
        return _("%(school)s grade %(grade)s %(name)s") % {
            "school": self.school.name,
            "grade": self.grade,
            "name": self.name,
        }


class AgeStage(models.TextChoices):
    """The parent school's age stages (分年段)."""

    PRESCHOOL = "preschool", _("preschool")
    PRIMARY_LOWER = "primary_lower", _("primary grades 1–3")
    PRIMARY_UPPER = "primary_upper", _("primary grades 4–6")
    JUNIOR = "junior", _("junior secondary")
    SENIOR = "senior", _("senior secondary")
    VOCATIONAL = "vocational", _("secondary vocational")


class ParentProfile(models.Model):
    """Minimal parent data: the children's age stages and an optional school. No child names."""

    user = models.OneToOneField(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="parent_profile")
    age_stages = models.JSONField(_("children's age stages"), default=list, blank=True)
    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parents",
    )
    # Optional: the class a join code named, so a school can count its families per class.
    school_class = models.ForeignKey(
        SchoolClass,
        verbose_name=_("class"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parents",
    )
    join_code = models.ForeignKey(
        "accounts.JoinCode",
        verbose_name=_("join code used"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parents",
    )
    consent_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=16, blank=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("parent")
        verbose_name_plural = _("parents")

    def __str__(self) -> str:
        return self.user.display_name

    def clean(self):
        unknown = set(self.age_stages or []) - set(AgeStage.values)
        if unknown:
            raise ValidationError({"age_stages": _("Unknown age stage: %s") % ", ".join(sorted(unknown))})

    def get_age_stages_display(self) -> list[str]:
        labels = dict(AgeStage.choices)
        return [str(labels[s]) for s in self.age_stages if s in labels]


class CoordinatorRole(models.Model):
    """A training coordinator's scope: the whole city, one district, or one school."""

    class Level(models.TextChoices):
        CITY = "city", _("city")
        DISTRICT = "district", _("district / county")
        SCHOOL = "school", _("school")

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="coordinator_roles")
    level = models.CharField(_("scope level"), max_length=16, choices=Level.choices)
    district = models.ForeignKey(
        District, verbose_name=_("district / county"), on_delete=models.CASCADE, null=True, blank=True
    )
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("coordinator role")
        verbose_name_plural = _("coordinator roles")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level="city", district__isnull=True, school__isnull=True)
                    | Q(level="district", district__isnull=False, school__isnull=True)
                    | Q(level="school", district__isnull=True, school__isnull=False)
                ),
                name="coordinator_role_scope_matches_level",
            ),
        ]

    def __str__(self) -> str:
        target = self.school or self.district or _("Nanchang city")
        return f"{self.user.display_name} · {self.get_level_display()} · {target}"

    def clean(self):
        if self.level == self.Level.CITY and (self.district_id or self.school_id):
            raise ValidationError(_("A city coordinator has no district or school."))
        if self.level == self.Level.DISTRICT and (not self.district_id or self.school_id):
            raise ValidationError(_("A district coordinator needs a district and no school."))
        if self.level == self.Level.SCHOOL and (not self.school_id or self.district_id):
            raise ValidationError(_("A school coordinator needs a school and no district."))
