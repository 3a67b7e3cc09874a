from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from .models import AgeStage, ParentProfile


class ParentProfileForm(WagtailAdminModelForm):
    """Age stages as checkboxes rather than raw JSON."""

    age_stages = forms.MultipleChoiceField(
        label=_("children's age stages"),
        choices=AgeStage.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ParentProfile
        fields = ["user", "age_stages", "school", "consent_at", "consent_version"]
