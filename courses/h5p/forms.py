"""The admin form of an H5P package: the upload is checked before anything is stored."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from wagtail.admin.forms import WagtailAdminModelForm

from .storage import install, validate_upload
from .validator import PackageError


class H5PContentForm(WagtailAdminModelForm):
    """Title may stay empty: the package's own title is used. A new package replaces the files
    of the same row, so learners' results and saved state stay with it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        # Packages live in private storage (no URL): a plain file input, without a "currently" link.
        self.fields["package"].widget = forms.FileInput(attrs={"accept": ".h5p"})
        self._package = None

    def clean_package(self):
        upload = self.cleaned_data.get("package")
        if upload is None or not hasattr(upload, "content_type"):
            if not self.instance.pk:
                raise forms.ValidationError(_("Choose an .h5p file to upload."))
            return upload  # unchanged on edit
        if not upload.name.lower().endswith(".h5p"):
            raise forms.ValidationError(_("The file must be an .h5p package."))
        try:
            self._package = validate_upload(upload)
        except PackageError as refusal:
            raise forms.ValidationError(refusal.messages) from None
        return upload

    def save(self, commit=True):
        content = super().save(commit=False)
        if self._package is None:
            if commit:
                content.save()
            return content
        upload = self.cleaned_data["package"]
        if self.instance.pk:
            content.package.name = self.initial.get("package").name if self.initial.get("package") else ""
        return install(self._package, upload, content, user=getattr(self, "for_user", None))
