from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet


class _NameFieldsMixin(forms.ModelForm):
    """Chinese names are one field (姓名); first/last name become optional."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        for field_name in ("first_name", "last_name"):
            self.fields[field_name].required = False


class XinyuUserCreationForm(_NameFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | {"name", "phone"}
        labels = {"name": _("full name")}


class XinyuUserEditForm(_NameFieldsMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | {"name", "phone"}
        labels = {"name": _("full name")}


class XinyuUserViewSet(UserViewSet):
    def get_form_class(self, for_update=False):
        return XinyuUserEditForm if for_update else XinyuUserCreationForm
