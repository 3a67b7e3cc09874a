"""Forms: a facility entry with its evidence, district staff, a round, and the three decisions."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.once import OnceForm
from accounts.privacy import REASON_MAX, free_text
from evaluation import indicators as ind

from . import evidence
from .models import DEMONSTRATION_CYCLE_YEARS, DistrictStaff, FacilityEntry, Item, RoomPart, RoundKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# The fields each item asks for (besides the school, the note and the evidence, which every item has).
ITEM_ONLY_FIELDS = ("present", "room_parts", "amount", "classes", "classes_with_members", "members")
ITEM_FIELDS = {
    Item.COUNSELLING_ROOM: ("present", "room_parts"),
    Item.LEADING_GROUP: ("present",),
    Item.CRISIS_GROUP: ("present",),
    Item.BUDGET: ("present", "amount"),
    Item.COMMITTEE: ("classes", "classes_with_members", "members"),
}
PRESENT_LABELS = {
    Item.COUNSELLING_ROOM: _("The school has a counselling room"),
    Item.LEADING_GROUP: _("The leading group has been set up"),
    Item.CRISIS_GROUP: _("The crisis-intervention group has been set up"),
    Item.BUDGET: _("Mental-health work has its own budget line"),
}
ITEM_HELP = {
    Item.BUDGET: {"amount": _("Yearly amount in yuan.")},
    Item.COMMITTEE: {
        "classes": _("Junior and senior secondary classes of the school (grades 7 to 12)."),
        "classes_with_members": _("Of those classes, how many have a psychology committee member."),
        "members": _("Counts only: no names."),
    },
}
ITEM_EVIDENCE = {
    Item.COUNSELLING_ROOM: _("Photos of the room and its areas, or its floor plan."),
    Item.LEADING_GROUP: _("The school's notice setting up the group, with its members' roles."),
    Item.CRISIS_GROUP: _("The school's notice setting up the group, with its members' roles."),
    Item.BUDGET: _("The page of this year's budget that shows the line."),
    Item.COMMITTEE: _("The list of classes with a committee member (counts or class names, no pupils' names)."),
}


class FacilityForm(OnceForm, forms.ModelForm):
    room_parts = forms.MultipleChoiceField(
        label=_("Areas of the counselling room"),
        choices=RoomPart.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Individual counselling, group activity and office / reception are the guide's main areas."),
    )

    class Meta:
        model = FacilityEntry
        fields = [
            "school",
            "item",
            "present",
            "room_parts",
            "amount",
            "classes",
            "classes_with_members",
            "members",
            "note",
            "evidence",
        ]
        help_texts = {
            "amount": _("Only for the budget line."),
            "classes": _("Only for psychology committee members: junior and senior secondary classes."),
            "members": _("Counts only: no names."),
            "evidence": _("A document (PDF, Word, Excel, PowerPoint) or a photo (JPEG, PNG, WebP), at most 10 MB."),
            "note": _("No pupil's name or personal details, please."),
        }
        widgets = {"evidence": forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.pptx,image/*"})}

    def __init__(self, *args, scope, item: str | None = None, **kwargs):
        if item is not None:
            # One form per item on the page: ids unique per item, the item fixed, only its fields.
            kwargs.setdefault("auto_id", f"id_{item}_%s")
        super().__init__(*args, **kwargs)
        schools = scope.schools().filter(pk__in=scope.school_ids) if scope.school_ids else scope.schools()
        self.fields["school"].queryset = schools.select_related("district")
        if len(scope.school_ids) == 1 and not scope.city and not scope.district_ids:
            (school_id,) = scope.school_ids
            self.fields["school"].widget = forms.HiddenInput()
            self.fields["school"].initial = school_id
        self.item = item
        if item is not None:
            self.fields["item"].widget = forms.HiddenInput()
            self.fields["item"].initial = item
            for name in list(self.fields):
                if name in ITEM_ONLY_FIELDS and name not in ITEM_FIELDS[item]:
                    del self.fields[name]
            if "present" in self.fields:
                self.fields["present"].label = PRESENT_LABELS[item]
            for name, text in ITEM_HELP.get(item, {}).items():
                if name in self.fields:
                    self.fields[name].help_text = text
            self.fields["evidence"].help_text = f"{ITEM_EVIDENCE[item]} {self.fields['evidence'].help_text}"

    @property
    def fields_shown(self):
        """The visible fields in the order a coordinator fills them in."""
        return [self[name] for name in self.fields if not self[name].is_hidden]

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload and hasattr(upload, "read"):
            self.instance.evidence_type = evidence.check(upload)
            self.instance.evidence_name = upload.name[:255]
        return upload

    def clean(self):
        data = super().clean()
        item = data.get("item")
        if item == Item.COUNSELLING_ROOM and data.get("present") and not data.get("room_parts"):
            self.add_error("room_parts", _("Tick the areas the counselling room has."))
        if item != Item.COUNSELLING_ROOM or not data.get("present"):
            data["room_parts"] = []
        if item == Item.BUDGET and data.get("present") and data.get("amount") in (None, ""):
            self.add_error("amount", _("Give the yearly amount of the budget line."))
        if item == Item.BUDGET and data.get("amount") is not None and data["amount"] < 0:
            self.add_error("amount", _("The amount cannot be negative."))
        if self.item is not None and item != self.item:
            self.add_error(None, _("This form is for another item: reload the page."))
        if item == Item.COMMITTEE:
            data["present"] = self.instance.present = True  # counts only: the share of classes with members
            classes, with_members = data.get("classes"), data.get("classes_with_members")
            if with_members is None:
                self.add_error("classes_with_members", _("Give how many classes have committee members."))
            elif classes is not None and with_members > classes:
                self.add_error(
                    "classes_with_members", _("More classes with members than classes: check the two numbers.")
                )
        else:
            data["classes"] = data["classes_with_members"] = data["members"] = None
        if item != Item.BUDGET:
            data["amount"] = None
        self.instance.room_parts = data.get("room_parts") or []
        for name in ("classes", "classes_with_members", "members", "amount"):
            setattr(self.instance, name, data.get(name))
        for name in ITEM_ONLY_FIELDS:  # set on the instance above; the model form reads only its own fields
            if name not in self.fields:
                data.pop(name, None)
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return to the school"))],
        widget=forms.RadioSelect,
    )
    reason = free_text(
        forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})), REASON_MAX
    )


class StaffForm(OnceForm, forms.ModelForm):
    class Meta:
        model = DistrictStaff
        fields = ["role", "name", "unit"]
        labels = {"name": _("Full name")}  # a person's: 姓名, not the model field's generic 名称
        help_texts = {"name": _("Name and role only: no other personal data.")}


def _default_text(indicator) -> str:
    """The default as the box takes it, with its unit: "100%", "1∶800" (students per teacher), "1"."""
    number = ind._number(indicator.threshold)
    if indicator.unit == ind.Unit.PERCENT:
        return f"{number}%"
    if indicator.unit == ind.Unit.STUDENTS:
        return f"1∶{number}"
    return number


class RoundForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RoundKind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    opens_on = forms.DateField(label=_("Opens on"), widget=DATE)
    closes_on = forms.DateField(label=_("Closes on"), widget=DATE)
    indicators = forms.MultipleChoiceField(
        label=_("Indicators"),
        choices=[(i.key, i.key) for i in ind.INDICATORS],  # labels per request, in __init__
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, round_=None, **kwargs):
        if round_ is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": round_.kind,
                "title": round_.title,
                "opens_on": round_.opens_on,
                "closes_on": round_.closes_on,
                "indicators": round_.indicators,
                **{f"t_{k}": v for k, v in (round_.thresholds or {}).items()},
            }
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = [(i.key, f"{i.group_label} · {i.label}") for i in ind.INDICATORS]
        if not self.is_bound and round_ is None:
            self.initial.setdefault("indicators", [i.key for i in ind.INDICATORS])
        for indicator in ind.INDICATORS:
            if indicator.comparator == ind.Comparator.PRESENT:
                continue
            # Free text, checked by the round's rules (so "abc" or "120" gets the round's own message).
            self.fields[f"t_{indicator.key}"] = forms.CharField(
                label=indicator.label,
                required=False,
                max_length=12,
                help_text=_("Default: %(value)s") % {"value": _default_text(indicator)}
                if indicator.threshold is not None
                else _("No default: for reference unless set"),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "threshold-input"}),
            )

    def threshold_fields(self):
        return [self[name] for name in self.fields if name.startswith("t_")]

    def cleaned(self) -> dict:
        data = dict(self.cleaned_data)
        data["thresholds"] = {
            name[2:]: _bare_number(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("t_") and value
        }
        return data


def _bare_number(value: str) -> str:
    """What was typed, without the unit the hint shows ("90%" → "90", "1∶600" / "1:600" → "600")."""
    value = value.strip().replace("％", "%").rstrip("%").strip()
    for prefix in ("1∶", "1:", "1："):
        if value.startswith(prefix):
            return value[len(prefix) :].strip()
    return value


class StatementForm(forms.Form):
    statement = forms.CharField(
        label=_("Self-assessment statement"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the school has done and plans; no pupil's name or personal details."),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Review"),
        choices=[("recommend", _("Recommend to the city")), ("return", _("Return to the school"))],
        widget=forms.RadioSelect,
    )
    reason = free_text(
        forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})), REASON_MAX
    )


class AwardForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("award", _("Award")), ("refuse", _("Refuse"))], widget=forms.RadioSelect
    )
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE)
    reason = free_text(forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2})), REASON_MAX)

    def __init__(self, *args, round_=None, **kwargs):
        super().__init__(*args, **kwargs)
        if round_ is not None:
            today = timezone.localdate()
            until = datetime.date(today.year + DEMONSTRATION_CYCLE_YEARS, today.month, min(today.day, 28))
            self.initial.setdefault("valid_until", until)
