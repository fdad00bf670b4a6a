"""Sign in and out. Until ID-porten is connected, the demo sign-in picks a synthetic person."""

import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from servicetorg.identity.demo import demo_people
from servicetorg.identity.residents import sign_in_resident, sign_out

log = logging.getLogger("servicetorg.identity")


def safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=False):
        return target
    return reverse("cases:mine")


@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    if not settings.DEMO_SIGNIN:
        raise Http404("Demo sign-in is off")
    people = demo_people()
    if request.method == "POST":
        chosen = next((p for p in people if p.pid == request.POST.get("person")), None)
        if chosen is not None:
            sign_in_resident(request, chosen)
            log.info("resident login method=demo")
            return HttpResponseRedirect(safe_next(request))
        log.warning("resident login refused method=demo reason=unknown-person")
    return render(request, "identity/login.html", {"people": people, "next": safe_next(request)})


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    sign_out(request)
    log.info("resident logout")
    return HttpResponseRedirect(reverse("home"))
