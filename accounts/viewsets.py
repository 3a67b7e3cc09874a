"""The Wagtail admin's user forms, and the admin views that put role changes on the audit trail."""

from django import forms
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from wagtail.admin.views import generic
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users as users_views
from wagtail.users.views.users import UserViewSet

from . import audit


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


# --- role changes on the audit trail (action codes and labels: accounts/roles.py) --------------
def _snapshot(instance, fields) -> dict:
    return model_to_dict(instance, fields=fields)


def _record(request, action: str, instance, before: dict | None, after: dict | None) -> None:
    audit.record(
        actor=request.user,
        action=action,
        obj=instance,
        school=getattr(instance, "school_id", None),
        district=getattr(instance, "district_id", None),
        summary=str(instance),
        before=before,
        after=after,
    )


class AuditedCreateView(generic.CreateView):
    audit_prefix = ""
    audit_fields: tuple[str, ...] = ()

    def save_instance(self):
        instance = super().save_instance()
        _record(self.request, f"{self.audit_prefix}.create", instance, None, _snapshot(instance, self.audit_fields))
        return instance


class AuditedEditView(generic.EditView):
    audit_prefix = ""
    audit_fields: tuple[str, ...] = ()

    def save_instance(self):
        before = _snapshot(self.model.objects.get(pk=self.object.pk), self.audit_fields)  # the form touched self.object
        instance = super().save_instance()
        after = _snapshot(instance, self.audit_fields)
        if after != before:
            _record(self.request, f"{self.audit_prefix}.change", instance, before, after)
        return instance


class AuditedDeleteView(generic.DeleteView):
    audit_prefix = ""
    audit_fields: tuple[str, ...] = ()

    def delete_action(self):
        before = _snapshot(self.object, self.audit_fields)
        _record(self.request, f"{self.audit_prefix}.delete", self.object, before, None)
        super().delete_action()


class AuditedViewSetMixin:
    """For a ModelViewSet: creating, changing (`audit_fields`) and deleting rows go on the trail."""

    audit_prefix = ""
    audit_fields: tuple[str, ...] = ()
    add_view_class = AuditedCreateView
    edit_view_class = AuditedEditView
    delete_view_class = AuditedDeleteView

    def _audit_kwargs(self) -> dict:
        return {"audit_prefix": self.audit_prefix, "audit_fields": self.audit_fields}

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(**self._audit_kwargs(), **kwargs)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(**self._audit_kwargs(), **kwargs)

    def get_delete_view_kwargs(self, **kwargs):
        return super().get_delete_view_kwargs(**self._audit_kwargs(), **kwargs)


def _user_roles(user) -> dict:
    return {
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "is_superuser": user.is_superuser,
        "is_active": user.is_active,
    }


class XinyuUserCreateView(users_views.CreateView):
    def save_instance(self):
        instance = super().save_instance()
        roles = _user_roles(instance)
        if roles["groups"] or roles["is_superuser"]:
            _record(self.request, "user.roles", instance, None, roles)
        return instance


class XinyuUserEditView(users_views.EditView):
    def save_instance(self):
        before = _user_roles(self.model.objects.get(pk=self.object.pk))
        instance = super().save_instance()
        after = _user_roles(instance)
        if after != before:
            _record(self.request, "user.roles", instance, before, after)
        return instance


class XinyuUserViewSet(UserViewSet):
    add_view_class = XinyuUserCreateView
    edit_view_class = XinyuUserEditView

    def get_form_class(self, for_update=False):
        return XinyuUserEditForm if for_update else XinyuUserCreationForm
