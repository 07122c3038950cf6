"""Forms of the special funds: allocating, correcting an allocation, recording an expense with its voucher.
Amounts are read as exact decimals (never floats); the actions check everything again."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anding.attachments import UploadForm
from anding.forms import DateInput, TextLimitsMixin

from ..choices import FundPurpose
from ..models.funds import MONEY_DIGITS
from ..selectors import allocation_nodes

__all__ = ["AllocationCorrectForm", "AllocationForm", "ExpenseForm", "MoneyField"]


class MoneyField(forms.DecimalField):
    """An amount of yuan: more than zero, in fen at most; thousands separators and a ¥ sign are allowed."""

    default_error_messages = {
        "invalid": _("Enter an amount in yuan, such as 1200 or 86.50."),
        "min_value": _("Enter an amount greater than zero."),
        "max_decimal_places": _("An amount has at most two decimal places (fen)."),
        "max_digits": _("This amount is too large."),
        "max_whole_digits": _("This amount is too large."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("amount in yuan"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(max_digits=MONEY_DIGITS, decimal_places=2, min_value=Decimal("0.01"), **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().lstrip("¥￥").replace(",", "").replace("，", "").strip()
        return super().to_python(value)

    def clean(self, value):
        amount = super().clean(value)
        return amount.quantize(Decimal("0.01")) if amount is not None else None


def _year():
    return timezone.localdate().year


class AllocationForm(TextLimitsMixin, forms.Form):
    year = forms.IntegerField(label=_("year"), initial=_year, min_value=2000, max_value=2100)
    purpose = forms.ChoiceField(label=_("purpose"), choices=FundPurpose.choices)
    organization = forms.ModelChoiceField(label=_("organization"), queryset=None)
    amount = MoneyField()
    note = forms.CharField(label=_("note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = allocation_nodes(user)


class AllocationCorrectForm(TextLimitsMixin, forms.Form):
    amount = MoneyField(label=_("new amount (yuan)"))
    note = forms.CharField(
        label=_("reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Why it changes.")
    )


class ExpenseForm(TextLimitsMixin, UploadForm):
    date = forms.DateField(label=_("date"), widget=DateInput, initial=timezone.localdate)
    amount = MoneyField()
    purpose = forms.CharField(label=_("paid for"), max_length=200)
    voucher = forms.FileField(
        label=_("voucher"),
        help_text=_("The invoice or receipt: PDF, PNG, JPEG, Word or Excel, at most 10 MB."),
    )
