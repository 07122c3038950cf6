"""Forms of the tailored assessment plans: opening a plan, its weak points, its indicators (a formset), the
town's decision and the actual values. Choices offer only what the user may pick; the actions check again."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from anding.forms import TextLimitsMixin

from ..actions.plans import MAX_INDICATORS, MAX_TEXT, IndicatorLine, plan_years
from ..choices import Direction
from ..permissions import plan_villages

__all__ = ["ActualsForm", "PlanDecideForm", "PlanOpenForm", "PlanWeakPointsForm", "indicator_formset_class"]


def _weak_points_field():
    return forms.CharField(
        label=_("weak points"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Where the village falls behind and what the plan should improve."),
    )


class PlanOpenForm(TextLimitsMixin, forms.Form):
    village = forms.ModelChoiceField(label=_("village"), queryset=None)
    year = forms.TypedChoiceField(label=_("year"), coerce=int)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = plan_villages(user).order_by("tree_id", "lft")
        self.fields["year"].choices = [(y, y) for y in plan_years()]
        self.fields["weak_points"] = _weak_points_field()


class PlanWeakPointsForm(TextLimitsMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weak_points"] = _weak_points_field()


class IndicatorRowForm(TextLimitsMixin, forms.Form):
    name = forms.CharField(label=_("indicator"), max_length=100)
    unit = forms.CharField(label=_("unit"), max_length=20, required=False)
    direction = forms.ChoiceField(label=_("direction"), choices=Direction.choices, initial=Direction.AT_LEAST)
    target = forms.DecimalField(label=_("target"), max_digits=12, decimal_places=2, min_value=0)
    weight = forms.DecimalField(
        label=_("weight"), max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=100
    )


class BaseIndicatorFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this indicator")

    def lines(self) -> list[IndicatorLine]:
        """The indicators kept, in order: rows left empty or marked for removal are dropped."""
        return [
            IndicatorLine(**{name: f.cleaned_data[name] for name in IndicatorRowForm.base_fields})
            for f in self.forms
            if f.cleaned_data.get("name") and not self._should_delete_form(f)
        ]


def indicator_formset_class(existing: int):
    """A formset with the existing indicators and a few empty rows, never more than MAX_INDICATORS in all."""
    return forms.formset_factory(
        IndicatorRowForm,
        formset=BaseIndicatorFormSet,
        extra=max(0, min(3, MAX_INDICATORS - existing)),
        can_delete=True,
        can_delete_extra=False,
        max_num=MAX_INDICATORS,
        validate_max=True,
        absolute_max=MAX_INDICATORS,
    )


class PlanDecideForm(TextLimitsMixin, forms.Form):
    APPROVE, RETURN = "approve", "return"
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[(APPROVE, _("Approve the plan")), (RETURN, _("Return it to the general branch"))],
    )
    reason = forms.CharField(
        label=_("reason for return"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the plan is returned."),
    )


class ActualsForm(forms.Form):
    """One field per indicator of the plan: its actual value, empty while not yet known."""

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            target = f"{indicator.target:g}{indicator.unit}"
            self.fields[f"indicator_{indicator.pk}"] = forms.DecimalField(
                label=indicator.name,
                max_digits=12,
                decimal_places=2,
                min_value=0,
                required=False,
                initial=indicator.actual,
                help_text=_("Target: %(direction)s %(target)s")
                % {"direction": indicator.get_direction_display(), "target": target},
            )

    def actuals(self) -> dict[int, Decimal | None]:
        return {i.pk: self.cleaned_data.get(f"indicator_{i.pk}") for i in self.indicators}
