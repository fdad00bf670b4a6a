"""Staff login: password (locked out after repeated failures), then a TOTP code if set up;
or OpenID Connect through a provider the municipality set up (accounts/oidc.py)."""

import logging

from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from servicetorg.accounts import oidc
from servicetorg.accounts.forms import TokenForm
from servicetorg.accounts.queries import (
    get_login_provider_for_login,
    list_login_providers_for_login_page,
    list_staff_municipalities,
)
from servicetorg.lib.ratelimits import hit, mark_limited, ratelimit, say_limited

log = logging.getLogger("servicetorg.accounts")
PENDING = "staff_pending_user"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=False):
        return target
    return reverse("accounts:home")


@require_http_methods(["GET", "POST"])
def staff_login(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and (limited := hit(request, "login", "staff-password")):
        # Not checked at all (no password tried, nothing counted by axes); the name stays filled in.
        say_limited(request, limited)
        form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
        return mark_limited(_login_page(request, form), limited)
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
    return _login_page(request, form)


def _login_page(request: HttpRequest, form: AuthenticationForm) -> HttpResponse:
    context = {
        "form": form,
        "next": _next(request),
        "providers": list_login_providers_for_login_page(),
    }
    return render(request, "accounts/login.html", context)


@require_GET
@ratelimit("login", "staff-oidc-start")
def staff_oidc_start(request: HttpRequest, provider_id: int) -> HttpResponse:
    """Log in through one of the providers on the login page (a disabled one is a 404)."""
    provider = get_login_provider_for_login(provider_id)
    return oidc.start_login(request, provider, _next(request))


@require_GET
@ratelimit("login", "staff-oidc-callback")
def staff_oidc_callback(request: HttpRequest) -> HttpResponse:
    """The provider sends the browser back here with `code` and `state`."""
    return oidc.finish_login(request)


@require_http_methods(["GET", "POST"])
def staff_token(request: HttpRequest) -> HttpResponse:
    """The second factor, for staff who have set up an authenticator app."""
    user = get_user_model().objects.filter(pk=request.session.get(PENDING), is_active=True).first()
    if user is None:
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and (
        limited := hit(request, "login", "staff-token", person=f"staff:{user.pk}")
    ):
        # Six digits are guessed quickly: the code is not even checked once the limit is passed.
        say_limited(request, limited)
        context = {"form": TokenForm(), "next": _next(request)}
        return mark_limited(render(request, "accounts/token.html", context), limited)
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
    """End this site's session first, then the provider's when the login went through one."""
    provider = oidc.current_provider(request)
    id_token = (request.session.get(oidc.LOGIN_KEY) or {}).get("id_token", "")
    logout(request)
    log.info("staff logout")
    if provider is not None:
        return oidc.logout_redirect(request, provider, id_token)
    return redirect("accounts:login")


@require_GET
def staff_logged_out(request: HttpRequest) -> HttpResponse:
    """Where the provider sends the browser after its logout."""
    return render(request, "accounts/logged_out.html")


def staff_home(request: HttpRequest) -> HttpResponse:
    """After login: the municipalities where the person works."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    context = {"places": list_staff_municipalities(request.user)}
    return oidc.allow_logout_redirect(request, render(request, "accounts/home.html", context))
