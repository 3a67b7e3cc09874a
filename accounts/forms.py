from allauth.account.forms import LoginForm as AllauthLoginForm

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


class LoginForm(AllauthLoginForm):
    """One field for what people type: their username (工号) or their e-mail address."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["login"]
        field.label = _("Username or email")
        field.widget.attrs["placeholder"] = _("Username or email")
