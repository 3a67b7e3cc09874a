from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm

from accounts.models import TeacherCategory
from accounts.privacy import free_text


class CoursePageForm(WagtailAdminPageForm):
    """The course editor: publishing a course with no published lesson is refused (drafts are fine)."""

    def clean(self):
        cleaned = super().clean()
        publishing = "action-publish" in self.data or "action-schedule-publishing" in self.data
        if publishing and (self.instance.pk is None or not self.instance.get_children().live().exists()):
            raise forms.ValidationError(
                _(
                    "A course needs at least one published lesson before it can be published. "
                    "Save it as a draft, add lessons under it, then publish."
                )
            )
        return cleaned


class GrantAttemptsForm(forms.Form):
    """A coordinator gives one learner extra attempts at one quiz of the course, with a reason."""

    quiz = forms.TypedChoiceField(label=_("Quiz"), coerce=int)
    extra_attempts = forms.IntegerField(
        label=_("Extra attempts"), initial=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    reason = free_text(
        forms.CharField(
            label=_("Reason"),
            max_length=200,
            widget=forms.TextInput(attrs={"placeholder": _("e.g. asked for help after three failed attempts")}),
        )
    )

    def __init__(self, *args, quizzes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quiz"].choices = [(q.pk, q.title) for q in quizzes]


class AssignForm(forms.Form):
    """Bulk assignment filters. Choices come from the coordinator's scope only."""

    district = forms.ModelChoiceField(queryset=None, required=False, label=_("District / county"))
    school = forms.ModelChoiceField(queryset=None, required=False, label=_("School"))
    category = forms.ChoiceField(
        choices=[("", _("All categories in the course audience"))] + list(TeacherCategory.choices),
        required=False,
        label=_("Teacher category"),
    )

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        if scope.city or scope.district_ids:
            self.fields["district"].queryset = scope.districts()
        else:
            # A school coordinator picking "东湖区" would still reach only their school: do not offer it.
            del self.fields["district"]
        self.fields["school"].queryset = scope.schools().select_related("district")
        self.scope = scope

    def teachers(self):
        qs = self.scope.teachers()
        if self.cleaned_data.get("district"):
            qs = qs.filter(school__district=self.cleaned_data["district"])
        if self.cleaned_data.get("school"):
            qs = qs.filter(school=self.cleaned_data["school"])
        if self.cleaned_data.get("category"):
            qs = qs.filter(category=self.cleaned_data["category"])
        return qs
