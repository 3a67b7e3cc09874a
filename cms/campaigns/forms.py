import uuid

from PIL import Image

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import MAX_PHOTO_BYTES, CampaignActivity, CampaignPage


class CampaignActivityForm(forms.ModelForm):
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CampaignActivity
        fields = ["school", "campaign", "date", "kind", "theme", "participants", "classes", "note", "photo"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "classes": forms.CheckboxSelectMultiple,
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        }
        help_texts = {
            "classes": _(
                "Tick the classes that took part: for a mental-health or life-education theme each "
                "counts as the class's special activity (专题活动) this semester."
            ),
            "note": _("A sentence on what happened. No pupil's name, please."),
        }

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = scope.schools().order_by("district__sort_order", "code")
        self.fields["classes"].queryset = scope.classes().select_related("school").order_by("school", "grade", "name")
        self.fields["campaign"].queryset = CampaignPage.objects.live().order_by("-start_date")
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise ValidationError(_("Report activities that have taken place; the date is in the future."))
        return date

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo or not hasattr(photo, "size"):
            return photo
        if photo.size > MAX_PHOTO_BYTES:
            raise ValidationError(_("The photo is larger than 5 MB. Please send a smaller one."))
        try:
            with Image.open(photo) as image:
                image.verify()
                if image.format not in ("JPEG", "PNG"):
                    raise ValidationError(_("Please upload a JPEG or PNG photo."))
                if image.width * image.height > 40_000_000:
                    raise ValidationError(_("The photo has too many pixels. Please send a smaller one."))
        except ValidationError:
            raise
        except Exception as exc:  # Pillow raises many kinds for a file that is not an image
            raise ValidationError(_("This file is not an image. Please upload a JPEG or PNG photo.")) from exc
        photo.seek(0)
        return photo

    def clean(self):
        data = super().clean()
        school = data.get("school")
        for school_class in data.get("classes") or []:
            if school and school_class.school_id != school.pk:
                self.add_error("classes", _("%(cls)s is not a class of this school.") % {"cls": school_class})
                break
        return data
