"""The pages of two-factor sign-in: set up an authenticator app, and the login's second step (the code)."""

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, resolve_url
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView

from .two_factor import (
    confirm_device,
    confirmed_device,
    device_secret,
    needs_second_step,
    qr_svg,
    requires_two_factor,
    setup_device,
    verify_code,
)

__all__ = ["CodeForm", "TwoFactorSetupView", "TwoFactorVerifyView"]


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app; checked against the device by the view."""

    code = forms.RegexField(
        label=_("Code"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        max_length=20,
        help_text=_("The six digits your authenticator app shows now."),
        error_messages={"invalid": _("Enter the six digits shown by your authenticator app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def __init__(self, *args, check=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check

    def clean(self):
        cleaned = super().clean()
        if "code" in cleaned and self.check is not None:
            error = self.check(cleaned["code"])
            if error:
                self.add_error("code", error)
        return cleaned


class _TwoFactorPage(LoginRequiredMixin, FormView):
    form_class = CodeForm

    def next_url(self) -> str:
        url = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(url, {self.request.get_host()}, self.request.is_secure()):
            return url
        return resolve_url("dashboard")

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.next_url(), **kwargs)

    def form_valid(self, form):
        return redirect(self.next_url())


@method_decorator(never_cache, name="dispatch")
class TwoFactorVerifyView(_TwoFactorPage):
    """The login's second step: the code of the user's confirmed device."""

    template_name = "registration/two_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not needs_second_step(request.user, request.session):
            return redirect(self.next_url())
        if request.user.is_authenticated and confirmed_device(request.user) is None:
            return redirect(f"{resolve_url('two_factor_setup')}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "check": lambda code: verify_code(self.request, code)}


@method_decorator(never_cache, name="dispatch")
class TwoFactorSetupView(_TwoFactorPage):
    """Set up an authenticator app: the secret as text, its otpauth:// address and a QR code; confirmed by a code.
    A user who already has a device must give its code first (the login's second step) before replacing it."""

    template_name = "registration/two_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and confirmed_device(request.user) and not request.user.is_verified():
            return redirect(f"{resolve_url('two_factor_verify')}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "check": lambda code: confirm_device(self.request, code)}

    def get_context_data(self, **kwargs):
        device = setup_device(self.request.user)
        return super().get_context_data(
            secret=device_secret(device),
            config_url=device.config_url,
            qr_svg=qr_svg(device.config_url),
            has_device=confirmed_device(self.request.user) is not None,
            required=requires_two_factor(self.request.user),
            **kwargs,
        )
