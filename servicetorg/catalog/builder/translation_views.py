"""Every missing translation of a draft on one page: fill in nynorsk and English in one go."""

import copy

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from servicetorg.accounts.decorators import staff_required
from servicetorg.catalog.builder import actions
from servicetorg.catalog.builder.edits import LANGUAGES
from servicetorg.catalog.builder.forms import LANGUAGE_NAMES, LONG_TEXTS
from servicetorg.catalog.builder.queries import get_service_for_builder
from servicetorg.catalog.builder.views import OWNERS, overview_url, report_conflict
from servicetorg.catalog.builder.wording import TextRef, present, texts

LONG = LONG_TEXTS | {"body", "who_can_apply", "what_you_need", "what_happens_next"}


def missing_rows(document: dict) -> list[tuple[int, TextRef, dict, list[str]]]:
    """(position among the texts, the text, what exists, the missing languages) of each text."""
    rows = []
    for i, ref in enumerate(texts(document)):
        if ref.attr == "keywords" or not (ref.required or ref.attr in ref.owner):
            continue
        value = ref.owner.get(ref.attr)
        value = value if isinstance(value, dict) else {}
        missing = [code for code in LANGUAGES if not present(value, code)]
        if missing:
            rows.append((i, ref, value, missing))
    return rows


class TranslationsForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, rows, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for i, ref, value, missing in rows:
            inputs = []
            for code in missing:
                name = f"t_{i}_{code}"
                widget = forms.Textarea(attrs={"rows": 3}) if ref.attr in LONG else forms.TextInput
                self.fields[name] = forms.CharField(
                    label=LANGUAGE_NAMES[code], required=False, max_length=8000, widget=widget
                )
                self.fields[name].widget.attrs["class"] = "ds-input"
                self.fields[name].widget.attrs["lang"] = code
                inputs.append(self[name])
            shown = [(code, value[code]) for code in LANGUAGES if present(value, code)]
            self.rows.append({"name": ref.name, "shown": shown, "inputs": inputs})

    def edit(self):
        data = self.cleaned_data

        def fill(document: dict) -> dict:
            document = copy.deepcopy(document)
            for i, ref in enumerate(texts(document)):
                for code in LANGUAGES:
                    text = (data.get(f"t_{i}_{code}") or "").strip()
                    if text:
                        value = ref.owner.get(ref.attr)
                        ref.owner[ref.attr] = {
                            **(value if isinstance(value, dict) else {}),
                            code: text,
                        }
            return document

        return fill


@require_http_methods(["GET", "POST"])
@staff_required(*OWNERS)
def translations(request: HttpRequest, slug: str) -> HttpResponse:
    service = get_service_for_builder(request.municipality, slug)
    draft = actions.draft_for(service)
    rows = missing_rows(draft.document)
    form = TranslationsForm(rows, request.POST or None, initial={"revision": draft.revision})
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_draft(
                service, form.cleaned_data["revision"], form.edit(), actor=request.user
            )
        except actions.DraftConflict:
            report_conflict(request)
            form.add_error(None, _("Not saved: the draft changed in the meantime."))
        else:
            messages.success(request, _("Saved."))
            return redirect(overview_url(service))
    return render(request, "builder/translations.html", {"service": service, "form": form})
