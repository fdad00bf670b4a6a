"""Publishing a service definition: validated, versioned, and frozen once published."""

import copy

import pytest

from conftest import small_definition
from servicetorg.catalog.actions import publish_service
from servicetorg.catalog.definitions import DefinitionError, fold
from servicetorg.catalog.models import Service, ServiceVersion

pytestmark = pytest.mark.django_db


def test_it_publishes_the_first_version(molde):
    version = publish_service(molde, small_definition())
    assert version.number == 1
    assert version.document == small_definition()
    service = Service.objects.get(municipality=molde, slug="test-soknad")
    assert service.published_version == version
    assert service.category == "family"


def test_it_refuses_a_definition_with_a_missing_text_and_names_the_place(molde):
    document = small_definition()
    del document["steps"][0]["fields"][1]["label"]["nn"]
    with pytest.raises(DefinitionError) as caught:
        publish_service(molde, document)
    assert caught.value.problems == ["steps/0/fields/1/label: 'nn' is a required property"]
    assert not Service.objects.exists()
    assert not ServiceVersion.objects.exists()


def test_it_lists_every_problem_of_a_definition(molde):
    document = small_definition()
    del document["title"]["nn"]
    document["handling_days"] = 0
    with pytest.raises(DefinitionError) as caught:
        publish_service(molde, document)
    assert caught.value.problems == [
        "handling_days: 0 is less than the minimum of 1",
        "title: 'nn' is a required property",
    ]


def test_it_refuses_a_condition_on_a_later_field(molde):
    document = small_definition()
    document["steps"][0]["fields"][0]["show_if"] = {"==": [{"var": "has_children"}, True]}
    with pytest.raises(DefinitionError) as caught:
        publish_service(molde, document)
    assert caught.value.problems == [
        "steps/0/fields/0/show_if: refers to 'has_children', not an earlier field"
    ]


def test_it_refuses_a_duplicate_field_key(molde):
    document = small_definition()
    document["steps"][1]["fields"][2]["key"] = "name"
    with pytest.raises(DefinitionError) as caught:
        publish_service(molde, document)
    assert caught.value.problems == ["steps/1/fields/2/key: duplicate field key 'name'"]


def test_it_does_not_republish_an_identical_definition(molde):
    first = publish_service(molde, small_definition())
    again = publish_service(molde, small_definition())
    assert again.pk == first.pk
    assert ServiceVersion.objects.count() == 1


def test_it_publishes_a_changed_definition_as_a_new_version(molde):
    first = publish_service(molde, small_definition())
    changed = copy.deepcopy(small_definition())
    changed["title"]["en"] = "Changed application"
    changed["handling_days"] = 14
    second = publish_service(molde, changed)
    assert second.number == 2
    assert second.service_id == first.service_id
    assert Service.objects.get().published_version == second
    first.refresh_from_db()
    assert first.document == small_definition()
    assert first.document["title"]["en"] == "Test application"
    assert ServiceVersion.objects.get(number=2).document["handling_days"] == 14


def test_it_keeps_versions_per_municipality(molde, aukra):
    publish_service(molde, small_definition())
    in_aukra = publish_service(aukra, small_definition())
    assert in_aukra.number == 1
    assert Service.objects.count() == 2


def test_it_never_saves_a_published_version_again(molde):
    version = publish_service(molde, small_definition())
    version.document = {**version.document, "handling_days": 1}
    with pytest.raises(ValueError, match="never changes"):
        version.save()
    assert ServiceVersion.objects.get(pk=version.pk).document["handling_days"] == 30


def test_it_folds_the_search_text(molde):
    document = small_definition()
    document["keywords"] = {"nb": ["Snøscooter", "ÆRE"], "nn": ["båt"], "en": ["snowmobile"]}
    publish_service(molde, document)
    search_text = Service.objects.get().search_text
    words = search_text.split()
    assert "snoscooter" in words
    assert "aere" in words
    assert "bat" in words
    assert "snowmobile" in words
    assert "søknad" not in search_text
    assert "soknad" in words
    assert search_text == search_text.lower()


@pytest.mark.parametrize(
    "raw,folded",
    [
        ("Snøscooter", "snoscooter"),
        ("SNØSCOOTER", "snoscooter"),
        ("Ærfugl", "aerfugl"),
        ("Åndalsnes", "andalsnes"),
        ("Crème", "creme"),
    ],
)
def test_it_folds_case_and_norwegian_letters(raw, folded):
    assert fold(raw) == folded
