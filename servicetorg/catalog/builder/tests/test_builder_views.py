"""The builder's editing pages, driven through the test client as a service owner would."""

import pytest

from servicetorg.catalog.builder import actions
from servicetorg.catalog.builder.translation_views import missing_rows
from servicetorg.catalog.models import Service, ServiceDraft
from servicetorg.catalog.queries import get_service_for_public
from servicetorg.submissions.models import Draft

pytestmark = pytest.mark.django_db
BASE = "/molde/tjenestebygger/"
T = {"nb": "Fiskekort", "nn": "Fiskekort", "en": "Fishing licence"}


def three(name: str, nb: str, nn: str | None = None, en: str | None = None) -> dict:
    return {f"{name}_nb": nb, f"{name}_nn": nn or nb, f"{name}_en": en or nb}


def draft(slug: str = "fiskekort") -> ServiceDraft:
    return ServiceDraft.objects.get(service__slug=slug, service__municipality__slug="molde")


def change(client, action: str, **data):
    data = {"action": action, "revision": draft().revision, **data}
    return client.post(f"{BASE}fiskekort/endre/", data)


def create(client) -> None:
    data = {"title": "Fiskekort", "category": "nature", "department": "Teknisk"}
    response = client.post(f"{BASE}ny/", data)
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}fiskekort/"


def fill_service(client) -> None:
    data = {"revision": draft().revision, "category": "nature", "department": "Teknisk"}
    data |= {"handling_days": 7, "fee_amount": 0, "retention_years": 5, "assurance": "substantial"}
    data |= three("title", "Fiskekort", "Fiskekort", "Fishing licence")
    data |= three("summary", "Kjøp fiskekort.", "Kjøp fiskekort.", "Buy a fishing licence.")
    data |= three("who_can_apply", "Alle.", "Alle.", "Everyone.")
    data |= three("what_you_need", "Ingenting.", "Ingenting.", "Nothing.")
    data |= three("what_happens_next", "Du får svar.", "Du får svar.", "You get an answer.")
    data |= {"keywords_nb": "fiske, laks", "keywords_nn": "fiske", "keywords_en": "fishing"}
    response = client.post(f"{BASE}fiskekort/om-tjenesten/", data)
    assert response.status_code == 302, response.content.decode()


def field_post(key: str, **extra) -> dict:
    return {"revision": draft().revision, "key": key, **extra}


def test_a_service_owner_builds_and_publishes_a_service(tone_client, molde):
    create(tone_client)
    page = tone_client.get(f"{BASE}fiskekort/").content.decode()
    assert "stand in the way of publishing" in page
    fill_service(tone_client)
    change(tone_client, "add_field", step="step_1", type="text", label="Fullt navn")
    change(tone_client, "add_field", step="step_1", type="choice", label="Type kort")
    change(tone_client, "add_field", step="step_1", type="integer", label="Antall dager")
    document = draft().document
    assert [f["key"] for f in document["steps"][0]["fields"]] == [
        "fullt_navn",
        "type_kort",
        "antall_dager",
    ]

    post = field_post("type_kort", required="on") | three(
        "label", "Type kort", "Type kort", "Kind of licence"
    )
    post |= {"widget": "radio", "option_0_value": "dag"} | three(
        "option_0", "Dagskort", "Dagskort", "Day"
    )
    post |= {"option_1_value": "aar"} | three("option_1", "Årskort", "Årskort", "Year")
    assert tone_client.post(f"{BASE}fiskekort/felt/type_kort/", post).status_code == 302
    post = field_post("antall_dager", required="on", min=1, max=14, show_when="type_kort=dag")
    post |= three("label", "Antall dager", "Tal på dagar", "Number of days")
    assert tone_client.post(f"{BASE}fiskekort/felt/antall_dager/", post).status_code == 302
    post = field_post("fullt_navn", required="on", prefill="person.name") | three(
        "label", "Fullt navn", "Fullt namn", "Full name"
    )
    assert tone_client.post(f"{BASE}fiskekort/felt/fullt_navn/", post).status_code == 302
    step = field_post("x") | three("title", "Om deg", "Om deg", "About you")
    assert tone_client.post(f"{BASE}fiskekort/steg/step_1/", step).status_code == 302

    fields = {f["key"]: f for f in draft().document["steps"][0]["fields"]}
    assert fields["antall_dager"]["show_if"] == {"==": [{"var": "type_kort"}, "dag"]}
    assert fields["antall_dager"]["min"] == 1 and fields["antall_dager"]["required"] is True
    assert [o["value"] for o in fields["type_kort"]["options"]] == ["dag", "aar"]
    assert fields["fullt_navn"]["prefill"] == "person.name"

    page = tone_client.get(f"{BASE}fiskekort/").content.decode()
    assert "stand in the way" not in page, page
    assert "shown when" in page
    response = tone_client.post(f"{BASE}fiskekort/publiser/", {"revision": draft().revision})
    assert response.status_code == 302
    published = get_service_for_public(molde, "fiskekort")
    assert published.published_version.number == 1
    assert published.published_version.published_by.username == "tone"
    assert published.definition.data["title"]["en"] == "Fishing licence"


def test_publishing_is_refused_while_problems_remain(tone_client, molde):
    create(tone_client)
    response = tone_client.post(
        f"{BASE}fiskekort/publiser/", {"revision": draft().revision}, follow=True
    )
    assert "Not published" in response.content.decode()
    assert Service.objects.get(slug="fiskekort").published_version is None


def test_moving_duplicating_removing_and_undo(tone_client, molde):
    create(tone_client)
    change(tone_client, "add_field", step="step_1", type="text", label="A")
    change(tone_client, "add_field", step="step_1", type="email", label="B")
    change(tone_client, "add_step", label="Vedlegg")
    keys = lambda i=0: [f["key"] for f in draft().document["steps"][i]["fields"]]  # noqa: E731
    change(tone_client, "move_field", key="b", direction="up")
    assert keys() == ["b", "a"]
    change(tone_client, "duplicate_field", key="a")
    assert keys() == ["b", "a", "a_2"]
    change(tone_client, "move_to_step", key="a_2", target="vedlegg")
    assert keys() == ["b", "a"] and keys(1) == ["a_2"]
    change(tone_client, "remove_field", key="b")
    assert keys() == ["a"]
    change(tone_client, "undo")
    assert keys() == ["b", "a"]
    change(tone_client, "undo")
    assert keys(1) == []
    change(tone_client, "move_step", step="vedlegg", direction="up")
    assert draft().document["steps"][0]["key"] == "vedlegg"


def test_a_repeating_group_gets_its_own_fields(tone_client, molde):
    create(tone_client)
    change(tone_client, "add_field", step="step_1", type="group", label="Personer")
    change(tone_client, "add_field", step="step_1", type="text", label="Navn", group="personer")
    group = draft().document["steps"][0]["fields"][0]
    assert [f["key"] for f in group["fields"]] == ["navn"]
    page = tone_client.get(f"{BASE}fiskekort/").content.decode()
    assert "Add to the group" in page


def test_a_stale_form_is_refused_and_nothing_is_lost(tone_client, molde):
    create(tone_client)
    service = Service.objects.get(slug="fiskekort")
    stale = draft().revision
    actions.change_draft(service, stale, lambda d: {**d, "department": "Kultur"}, actor=None)
    post = {"revision": stale, "category": "nature", "department": "Teknisk", "handling_days": 3}
    post |= {
        "fee_amount": 0,
        "retention_years": 5,
        "assurance": "substantial",
        "title_nb": "Mitt nye navn",
    }
    response = tone_client.post(f"{BASE}fiskekort/om-tjenesten/", post)
    assert response.status_code == 200
    page = response.content.decode()
    assert "changed in the meantime" in page and 'value="Mitt nye navn"' in page
    assert draft().document["department"] == "Kultur"


def test_field_form_errors_are_shown_next_to_the_field(tone_client, molde):
    create(tone_client)
    change(tone_client, "add_field", step="step_1", type="text", label="Postnummer")
    post = field_post("postnummer", pattern="[0-9{4", label_nb="Postnummer")
    response = tone_client.post(f"{BASE}fiskekort/felt/postnummer/", post)
    page = response.content.decode()
    assert response.status_code == 200 and "not a valid regular expression" in page
    assert 'value="[0-9{4"' in page


def test_other_municipalities_and_caseworkers_are_refused(
    tone_client, siri_client, sara_client, molde, aukra
):
    create(tone_client)
    assert siri_client.get(f"{BASE}fiskekort/").status_code in (403, 404)
    assert siri_client.get("/aukra/tjenestebygger/fiskekort/").status_code == 404
    assert sara_client.get(f"{BASE}").status_code in (403, 404)
    assert sara_client.get(f"{BASE}fiskekort/").status_code in (403, 404)


def test_a_residents_draft_keeps_the_version_it_started_with(tone_client, kari_client, service):
    """`service` is the published test service in Molde; its owner publishes a version 2."""
    start = kari_client.post(f"/molde/tjenester/{service.slug}/start/")
    assert start.status_code == 302
    resident_draft = Draft.objects.get()
    assert resident_draft.service_version.number == 1
    slug = service.slug
    builder = actions.draft_for(service)
    post = {
        "action": "add_field",
        "revision": builder.revision,
        "step": builder.document["steps"][0]["key"],
    }
    post |= {"type": "text", "label": "Nytt spørsmål"}
    assert tone_client.post(f"{BASE}{slug}/endre/", post).status_code == 302
    builder.refresh_from_db()
    key = builder.document["steps"][0]["fields"][-1]["key"]
    post = {"revision": builder.revision, "key": key}
    post |= three("label", "Nytt spørsmål", "Nytt spørsmål", "New question")
    assert tone_client.post(f"{BASE}{slug}/felt/{key}/", post).status_code == 302
    builder.refresh_from_db()
    assert (
        tone_client.post(f"{BASE}{slug}/publiser/", {"revision": builder.revision}).status_code
        == 302
    )
    service.refresh_from_db()
    assert service.published_version.number == 2
    resident_draft.refresh_from_db()
    assert resident_draft.service_version.number == 1
    page = kari_client.get(f"/molde/soknad/{resident_draft.id}/steg/1/").content.decode()
    assert "Nytt spørsmål" not in page and "New question" not in page


def test_missing_translations_are_filled_in_on_one_page(tone_client, molde):
    create(tone_client)
    change(tone_client, "add_field", step="step_1", type="choice", label="Type kort")
    post = field_post(
        "type_kort", option_0_value="dag", option_0_nb="Dagskort", label_nb="Type kort"
    )
    post["widget"] = "radio"
    assert tone_client.post(f"{BASE}fiskekort/felt/type_kort/", post).status_code == 302
    page = tone_client.get(f"{BASE}fiskekort/oversettelser/").content.decode()
    assert "Dagskort" in page and "Type kort" in page
    rows = missing_rows(draft().document)
    form = {"revision": draft().revision}
    for i, ref, _value, missing in rows:
        for code in missing:
            form[f"t_{i}_{code}"] = f"{code}:{ref.attr}:{i}"
    response = tone_client.post(f"{BASE}fiskekort/oversettelser/", form)
    assert response.status_code == 302
    document = draft().document
    field = document["steps"][0]["fields"][0]
    assert field["label"]["nb"] == "Type kort" and field["label"]["nn"].startswith("nn:label:")
    assert field["options"][0]["label"]["en"].startswith("en:label:")
    assert document["title"]["en"].startswith("en:title:")
    assert missing_rows(document) == []
    page = tone_client.get(f"{BASE}fiskekort/oversettelser/").content.decode()
    assert "Every text exists in bokmål, nynorsk and English." in page
