"""Exporting a service's draft to YAML or JSON, and importing a file as a new service."""

import json

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import small_definition
from servicetorg.catalog.builder import actions
from servicetorg.catalog.builder.transfer_forms import IMPORT_MAX_BYTES
from servicetorg.catalog.models import Service, ServiceDraft

pytestmark = pytest.mark.django_db
BASE = "/molde/tjenestebygger/test-soknad/"
IMPORT = "/aukra/tjenestebygger/importer/"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_it_exports_the_draft_as_yaml(tone_client, service, tone):
    draft = actions.draft_for(service)
    actions.change_draft(service, draft.revision, lambda d: {**d, "handling_days": 11}, actor=tone)
    response = tone_client.get(f"{BASE}eksport.yaml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="test-soknad.yaml"'
    document = yaml.safe_load(response.content.decode())
    assert document["handling_days"] == 11
    assert document["title"]["nn"] == "Søknad om test"


def test_it_exports_the_published_version_as_json_without_a_draft(tone_client, service):
    response = tone_client.get(f"{BASE}eksport.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="test-soknad.json"'
    assert json.loads(response.content) == service.published_version.document
    assert not ServiceDraft.objects.filter(service=service).exists()


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_it_imports_an_exported_file(tone_client, siri_client, service, aukra, fmt):
    exported = tone_client.get(f"{BASE}eksport.{fmt}").content
    response = siri_client.post(IMPORT, {"file": upload(f"test-soknad.{fmt}", exported)})
    assert response.status_code == 302
    assert response["Location"] == "/aukra/tjenestebygger/test-soknad/"
    imported = Service.objects.get(municipality=aukra, slug="test-soknad")
    assert imported.published_version is None and imported.origin is None
    draft = ServiceDraft.objects.get(service=imported)
    assert draft.document == service.published_version.document


def test_it_imports_under_another_url_name(siri_client, aukra):
    text = yaml.safe_dump(small_definition(), allow_unicode=True).encode()
    response = siri_client.post(IMPORT, {"file": upload("s.yaml", text), "slug": "ny-soknad"})
    assert response["Location"] == "/aukra/tjenestebygger/ny-soknad/"
    assert ServiceDraft.objects.get(service__slug="ny-soknad").document["slug"] == "ny-soknad"


def test_it_lists_the_problems_with_their_place_and_keeps_the_text(siri_client, aukra):
    document = small_definition()
    document["steps"][0]["fields"][1]["type"] = "telepathy"
    del document["summary"]
    text = yaml.safe_dump(document, allow_unicode=True)
    response = siri_client.post(IMPORT, {"file": upload("s.yaml", text.encode())})
    assert response.status_code == 200
    problems = response.context["problems"]
    assert "steps/0/fields/1/type" in [path for path, _message in problems]
    assert any("summary" in message for _path, message in problems)
    body = response.content.decode()
    assert "<code>steps/0/fields/1/type</code>" in body
    assert 'id="import-problems"' in body and "aria-invalid" in body
    assert response.context["form"]["text"].value() == text  # nothing lost
    assert not Service.objects.filter(municipality=aukra).exists()


def test_it_imports_the_corrected_text(siri_client, aukra):
    text = yaml.safe_dump(small_definition(), allow_unicode=True)
    response = siri_client.post(IMPORT, {"text": text})
    assert response.status_code == 302
    assert Service.objects.filter(municipality=aukra, slug="test-soknad").exists()


def test_it_refuses_a_file_that_is_not_text(siri_client, aukra):
    response = siri_client.post(IMPORT, {"file": upload("photo.png", b"\x89PNG\r\n\x1a\n\xff\xfe")})
    assert response.status_code == 200
    assert "is not UTF-8 text" in response.content.decode()
    assert response.context["form"]["text"].value() == ""
    assert not Service.objects.exists()


def test_it_refuses_a_file_that_is_too_large(siri_client, aukra):
    big = b"a: " + b"x" * IMPORT_MAX_BYTES
    response = siri_client.post(IMPORT, {"file": upload("big.yaml", big)})
    assert response.status_code == 200
    assert "The file is too large" in response.content.decode()
    assert not Service.objects.exists()


def test_it_asks_for_a_file(siri_client, aukra):
    response = siri_client.post(IMPORT, {})
    assert response.status_code == 200
    assert "Choose a file to import." in response.content.decode()


def test_it_explains_a_taken_url_name(siri_client, aukra_service):
    text = yaml.safe_dump(small_definition(), allow_unicode=True)
    response = siri_client.post(IMPORT, {"file": upload("s.yaml", text.encode())})
    assert response.status_code == 200
    assert "Aukra already has a service with the URL name" in response.content.decode()
    assert response.context["form"].errors["slug"]
    assert response.context["form"]["text"].value() == text
    assert Service.objects.filter(municipality=aukra_service.municipality).count() == 1


def test_it_answers_404_for_another_municipality(siri_client, tone_client, service):
    assert siri_client.get(f"{BASE}eksport.yaml").status_code == 404
    assert siri_client.get(f"{BASE}eksport.json").status_code == 404
    assert tone_client.get("/aukra/tjenestebygger/test-soknad/eksport.json").status_code == 404
    assert tone_client.get(IMPORT).status_code == 404
    text = yaml.safe_dump(small_definition("fremmed"), allow_unicode=True)
    assert tone_client.post(IMPORT, {"text": text}).status_code == 404
    assert not Service.objects.filter(slug="fremmed").exists()


def test_it_refuses_a_caseworker(sara_client, service):
    assert sara_client.get(f"{BASE}eksport.yaml").status_code == 404
    assert sara_client.get("/molde/tjenestebygger/importer/").status_code == 404
    text = yaml.safe_dump(small_definition("ny"), allow_unicode=True)
    assert sara_client.post("/molde/tjenestebygger/importer/", {"text": text}).status_code == 404
    assert Service.objects.count() == 1


def test_it_refuses_a_url_name_the_builder_uses(siri_client, aukra):
    text = yaml.safe_dump(small_definition("bibliotek"), allow_unicode=True)
    response = siri_client.post(IMPORT, {"text": text})
    assert response.status_code == 200
    assert "used by the service builder itself" in str(response.context["form"].errors["slug"])
    response = siri_client.post(IMPORT, {"text": text, "slug": "Store Bokstaver"})
    assert response.context["form"].errors["slug"]
    assert not Service.objects.exists()
