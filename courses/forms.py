from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import TeacherCategory


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
