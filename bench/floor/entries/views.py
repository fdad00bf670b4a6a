"""The three floor pages: a short response, a 15-field form page, a validated insert."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from entries.forms import ApplicationForm
from entries.models import Entry


def short(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello from the floor.")


def form_page(request: HttpRequest) -> HttpResponse:
    return render(request, "entries/form.html", {"form": ApplicationForm()})


@require_POST
def insert(request: HttpRequest) -> HttpResponse:
    """Validate the form and store one row; CSRF-checked like every other POST."""
    form = ApplicationForm(request.POST)
    if not form.is_valid():
        return render(request, "entries/form.html", {"form": form}, status=400)
    entry = Entry.objects.create(**form.cleaned_data)
    return redirect(f"/form/?saved={entry.pk}")
