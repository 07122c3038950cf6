"""The form of a village's yearly figures. The villages offered are those the user enters figures for; the action
checks again."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..permissions import figures_villages

__all__ = ["FiguresForm"]


class FiguresForm(forms.Form):
    village = forms.ModelChoiceField(label=_("village"), queryset=None)
    year = forms.IntegerField(label=_("year"), initial=lambda: timezone.localdate().year)
    collective_income = forms.DecimalField(label=_("collective income (yuan)"), max_digits=14, decimal_places=2)
    income_per_capita = forms.DecimalField(label=_("income per capita (yuan)"), max_digits=10, decimal_places=2)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = figures_villages(user).order_by("tree_id", "lft")
