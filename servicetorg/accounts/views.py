"""Staff login: password (locked out after repeated failures), then a TOTP code if set up."""

import logging

from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from servicetorg.accounts.forms import TokenForm
from servicetorg.accounts.queries import list_staff_municipalities

log = logging.getLogger("servicetorg.accounts")
PENDING = "staff_pending_user"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=False):
        return target
    return reverse("accounts:home")


@require_http_methods(["GET", "POST"])
def staff_login(request: HttpRequest) -> HttpResponse:
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            login(request, user)
            log.info("staff login method=password")
            return HttpResponseRedirect(_next(request))
        request.session[PENDING] = user.pk
        return redirect(f"{reverse('accounts:token')}?next={_next(request)}")
    if request.method == "POST":
        log.warning("staff login refused method=password")
    return render(request, "accounts/login.html", {"form": form, "next": _next(request)})


@require_http_methods(["GET", "POST"])
def staff_token(request: HttpRequest) -> HttpResponse:
    """The second factor, for staff who have set up an authenticator app."""
    user = get_user_model().objects.filter(pk=request.session.get(PENDING), is_active=True).first()
    if user is None:
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None and device.verify_token(form.cleaned_data["token"]):
            del request.session[PENDING]
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            log.info("staff login method=password+totp")
            return HttpResponseRedirect(_next(request))
        log.warning("staff login refused method=totp")
        form.add_error("token", TokenForm.base_fields["token"].error_messages["invalid"])
    return render(request, "accounts/token.html", {"form": form, "next": _next(request)})


@require_POST
def staff_logout(request: HttpRequest) -> HttpResponse:
    logout(request)
    log.info("staff logout")
    return redirect("accounts:login")


def staff_home(request: HttpRequest) -> HttpResponse:
    """After login: the municipalities where the person works."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    return render(request, "accounts/home.html", {"places": list_staff_municipalities(request.user)})
