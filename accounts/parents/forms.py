from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import AgeStage, JoinCode

from . import services


class ParentSignupForm(forms.Form):
    """家长注册: a mobile number or an e-mail, a password, the children's age stages, consent."""

    mobile = forms.CharField(
        label=_("Mobile number"),
        required=False,
        max_length=20,
        help_text=_("Used to log in. Not verified by SMS: the platform sends no text messages."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("Optional if you give a mobile number; needed to reset a forgotten password."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = forms.CharField(
        label=_("How should we address you? (optional)"),
        required=False,
        max_length=20,
        help_text=_("e.g. 刘女士. Please do not enter your child's name."),
    )
    age_stages = forms.MultipleChoiceField(
        label=_("Your children's age stages"),
        choices=AgeStage.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every stage you have a child at; we ask for no child's name or age."),
        error_messages={"required": _("Choose at least one age stage.")},
    )
    join_code = forms.CharField(
        label=_("School join code (optional)"),
        required=False,
        max_length=20,
        help_text=_("From the school's notice or QR code. Without one you can still take every course."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password (again)"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    consent = forms.BooleanField(
        label=_("I have read and agree to the privacy notice for parents."),
        error_messages={"required": _("Please read the privacy notice and tick the box to agree.")},
    )

    def clean_mobile(self):
        raw = self.cleaned_data.get("mobile", "").strip()
        if not raw:
            return ""
        mobile = services.normalise_mobile(raw)
        if services.mobile_taken(mobile):
            raise ValidationError(_("This mobile number is already registered. Please log in instead."))
        return mobile

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip().lower()
        if email and services.email_taken(email):
            raise ValidationError(_("This e-mail address is already registered. Please log in instead."))
        return email

    def clean_join_code(self):
        raw = self.cleaned_data.get("join_code", "").strip()
        return services.resolve_join_code(raw) if raw else None

    def clean(self):
        data = super().clean()
        if (
            not data.get("mobile")
            and not data.get("email")
            and "mobile" not in self.errors
            and "email" not in self.errors
        ):
            self.add_error("mobile", _("Enter a mobile number or an e-mail address."))
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        elif p1:
            try:
                password_validation.validate_password(p1)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("The password is not correct."))
        return password


class JoinCodeForm(forms.ModelForm):
    """A coordinator creates a code for a school in their scope, optionally for one class."""

    class Meta:
        model = JoinCode
        fields = ["school", "school_class", "label", "expires_on"]
        widgets = {"expires_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = scope.schools().order_by("district__sort_order", "code")
        self.fields["school_class"].queryset = (
            scope.classes().select_related("school").order_by("school", "grade", "name")
        )

    def clean(self):
        data = super().clean()
        school, school_class = data.get("school"), data.get("school_class")
        if school and school_class and school_class.school_id != school.pk:
            self.add_error("school_class", _("This class belongs to another school."))
        expires = data.get("expires_on")
        if expires and expires < timezone.localdate():
            self.add_error("expires_on", _("The date has already passed."))
        return data
