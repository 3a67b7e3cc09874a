"""The resource editor's form: grade bands as tick boxes, and only library file types attached."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm

from .choices import GradeBand
from .limits import ALLOWED_EXTENSIONS


class ResourcePageForm(WagtailAdminPageForm):
    grade_bands = forms.MultipleChoiceField(
        label=_("grade bands"), choices=GradeBand.choices, widget=forms.CheckboxSelectMultiple
    )

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("attachments")
        for form in getattr(formset, "forms", []):
            document = form.cleaned_data.get("document") if hasattr(form, "cleaned_data") else None
            if document is None or form.cleaned_data.get("DELETE"):
                continue
            extension = document.file_extension.lower()
            if extension not in ALLOWED_EXTENSIONS:
                form.add_error(
                    "document",
                    _("A library file must be one of: %(types)s. “%(name)s” is not.")
                    % {"types": "、".join(ALLOWED_EXTENSIONS), "name": document.filename},
                )
        return cleaned
