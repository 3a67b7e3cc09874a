"""Forms for logging and correcting class delivery. Short on purpose: a phone, one thumb, 30 seconds."""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import SchoolClass, TeacherProfile
from accounts.privacy import free_text
from resources.services import downloaded_plans

from .models import ActivityKind, ClassActivity, ParentLecture


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ActivityForm(forms.ModelForm):
    """Log one lesson / meeting / activity for a known class; `kinds` limits what this user may log."""

    token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    lesson_plan_url = forms.URLField(
        label=ClassActivity._meta.get_field("lesson_plan_url").verbose_name,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )

    class Meta:
        model = ClassActivity
        fields = ["kind", "date", "periods", "topic", "resource", "lesson_plan_title", "lesson_plan_url"]
        widgets = {
            "kind": forms.RadioSelect(attrs={"class": "choice-pills"}),
            "date": DateInput(),
            "periods": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": 8}),
            "topic": forms.TextInput(attrs={"autocomplete": "on", "list": "recent-topics", "autofocus": True}),
        }
        help_texts = {
            "lesson_plan_title": _("Optional: the lesson plan you used (title or number)."),
            "resource": _("Plans you downloaded from the resource library."),
        }

    def __init__(self, *args, school_class: SchoolClass, kinds: list[str], user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.school_class = school_class
        free_text(self.fields["topic"])
        if "resource" in self.fields:
            # Only the teacher's own downloads: a forged id of another resource is refused.
            plans = downloaded_plans(user) if user is not None else self.fields["resource"].queryset.none()
            self.fields["resource"].queryset = plans
            self.fields["resource"].empty_label = _("— none —")
        self.fields["kind"].choices = [(k, label) for k, label in ActivityKind.choices if k in kinds]
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("kind", kinds[0] if kinds else None)
            self.initial.setdefault("date", timezone.localdate())
            self.initial.setdefault("periods", 1)
            self.initial.setdefault("token", uuid.uuid4())

    def clean(self):
        cleaned = super().clean()
        plan = cleaned.get("resource")
        if plan is not None and not cleaned.get("lesson_plan_title"):
            cleaned["lesson_plan_title"] = plan.title[:200]
        return cleaned

    def clean_date(self):
        date = self.cleaned_data["date"]
        year = self.school_class.academic_year
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        if not (year.start_date <= date <= year.end_date):
            raise forms.ValidationError(
                _("The date must fall in the class's academic year (%(start)s – %(end)s).")
                % {"start": year.start_date, "end": year.end_date}
            )
        return date


class CoordinatorActivityForm(ActivityForm):
    """A coordinator adds or corrects a log for any kind and names the teacher who delivered it."""

    class Meta(ActivityForm.Meta):
        fields = ["kind", "date", "teacher", "periods", "topic", "lesson_plan_title", "lesson_plan_url"]
        # A coordinator names the plan by title or link: the library link is the teacher's own pick.

    def __init__(self, *args, school_class: SchoolClass, **kwargs):
        super().__init__(*args, school_class=school_class, kinds=list(ActivityKind.values), **kwargs)
        teachers = TeacherProfile.objects.filter(school_id=school_class.school_id)
        self.fields["teacher"].queryset = teachers.select_related("user")


class FamilyVisitForm(forms.Form):
    families_visited = forms.IntegerField(
        label=_("Families visited at least once this semester"),
        min_value=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, school_class: SchoolClass, **kwargs):
        super().__init__(*args, **kwargs)
        self.school_class = school_class
        self.fields["families_visited"].help_text = _("The class has %(n)s families.") % {
            "n": school_class.family_count
        }
        self.fields["families_visited"].widget.attrs["max"] = school_class.family_count

    def clean_families_visited(self):
        value = self.cleaned_data["families_visited"]
        if value > self.school_class.family_count:
            raise forms.ValidationError(
                _("The class has only %(n)s families; visited families cannot be more.")
                % {"n": self.school_class.family_count}
            )
        return value


class ParentLectureForm(forms.ModelForm):
    class Meta:
        model = ParentLecture
        fields = ["date", "topic", "participants"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        free_text(self.fields["topic"])

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return date


class VoidForm(forms.Form):
    reason = free_text(forms.CharField(label=_("Reason for voiding"), max_length=200))
