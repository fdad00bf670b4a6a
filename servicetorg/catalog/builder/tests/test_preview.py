import copy

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from servicetorg.catalog.models import ServiceDraft
from servicetorg.submissions.models import Attachment, Draft, Submission

pytestmark = pytest.mark.django_db

PAGE = "/molde/tjenestebygger/test-soknad/forhandsvisning/"
STEP_1 = "/molde/tjenestebygger/test-soknad/forhandsvisning/steg/1/"
STEP_2 = "/molde/tjenestebygger/test-soknad/forhandsvisning/steg/2/"
ABOUT_YOU = {"_shown": "name,email,has_children", "name": "Kari", "email": "kari@example.no"}


@pytest.fixture
def media(settings, tmp_path):
    """Files would land here: the preview must leave it empty."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "files"},
        },
    }
    return tmp_path / "files"


def frame_ancestors(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(d.strip() for d in policy.split(";") if d.strip().startswith("frame-ancestors"))


def test_it_frames_the_step_at_phone_width(tone_client, service):
    response = tone_client.get(PAGE + "?sprak=nn&bredde=mobil&steg=2")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'width="375"' in body
    assert f'src="{STEP_2}?sprak=nn"' in body
    assert f'href="{STEP_2}?sprak=nn"' in body  # open in full size
    assert "Detaljar" in body  # the step list in the previewed language


def test_it_offers_desktop_width_and_every_language(tone_client, service):
    body = tone_client.get(PAGE + "?bredde=desktop").content.decode()
    assert 'width="1024"' in body
    for code in ("nb", "nn", "en"):
        assert f"sprak={code}&amp;bredde=desktop&amp;steg=1" in body


def test_it_renders_the_step_in_nynorsk(tone_client, service):
    response = tone_client.get(STEP_1 + "?sprak=nn")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="nn"' in body
    assert response["Content-Language"] == "nn"
    assert "Namn" in body and "Har du born?" in body
    assert "Førehandsvising – ingenting blir sendt" in body
    assert 'name="children"' not in body
    # The staff member's own language is left as it was.
    assert tone_client.get(PAGE)["Content-Language"] == "en"


def test_it_shows_a_conditional_field_when_the_answer_opens_it(tone_client, service):
    response = tone_client.post(STEP_1 + "?sprak=nb", {**ABOUT_YOU, "has_children": "yes"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="children"' in body
    assert "error-summary" not in body  # the new field is not an error before it was seen
    done = {**ABOUT_YOU, "_shown": "name,email,has_children,children", "has_children": "yes"}
    response = tone_client.post(STEP_1 + "?sprak=nb", {**done, "children": "2"})
    assert response.status_code == 302
    assert response["Location"] == STEP_2 + "?sprak=nb"


def test_it_shows_required_field_errors_as_residents_see_them(tone_client, service):
    response = tone_client.post(STEP_1 + "?sprak=en", {"_shown": "name,email,has_children"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="error-summary"' in body
    assert 'href="#id_name"' in body
    assert 'aria-invalid="true"' in body


def test_it_keeps_answers_in_the_session_and_stores_nothing(tone_client, service, media):
    tone_client.post(STEP_1, {**ABOUT_YOU, "has_children": "no"})
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    data = {"_shown": "members,document,comment,confirm", "members-count": "0", "confirm": "yes"}
    response = tone_client.post(STEP_2 + "?sprak=nb", {**data, "document": pdf})
    assert response.status_code == 302
    assert response["Location"] == STEP_2 + "?sprak=nb&oppsummering=1"
    summary = tone_client.get(response["Location"]).content.decode()
    assert "kari@example.no" in summary and "plan.pdf" in summary
    assert "disabled" in summary  # the submit button shows, but does nothing
    assert tone_client.get(STEP_1).content.decode().count('value="Kari"') == 1
    assert not Draft.objects.exists()
    assert not Submission.objects.exists()
    assert not Attachment.objects.exists()
    assert not media.exists() or not any(media.rglob("*"))


def test_it_goes_back_to_a_step_with_missing_answers_instead_of_the_summary(tone_client, service):
    tone_client.post(STEP_1, {**ABOUT_YOU, "has_children": "yes"})  # children not answered yet
    data = {"_shown": "members,document,comment,confirm", "members-count": "0", "confirm": "yes"}
    response = tone_client.post(STEP_2 + "?sprak=en", data)
    assert response["Location"] == STEP_1 + "?sprak=en"
    body = tone_client.get(response["Location"]).content.decode()
    assert "Some answers are missing." in body
    assert 'name="children"' in body


def test_it_starts_again(tone_client, service):
    tone_client.post(STEP_1, {**ABOUT_YOU, "has_children": "no"})
    response = tone_client.post(STEP_2 + "?sprak=nn", {"_action": "reset"})
    assert response["Location"] == STEP_1 + "?sprak=nn"
    assert 'value="Kari"' not in tone_client.get(STEP_1).content.decode()


def test_it_previews_the_draft_with_an_unfinished_field_left_out(tone_client, service):
    document = copy.deepcopy(service.published_version.document)
    document["steps"][0]["fields"].insert(
        0, {"key": "colour", "type": "choice", "label": {"nb": "Farge"}, "options": []}
    )
    document["steps"][0]["fields"][1]["label"]["nb"] = "Fullt navn"
    ServiceDraft.objects.create(service=service, document=document)
    for url in (PAGE + "?sprak=nb", STEP_1 + "?sprak=nb"):
        response = tone_client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Farge" in body
        # The note is in the staff member's language on the page, the previewed one in the frame.
        notes = ("A choice field needs at least one option.", "Et valgfelt trenger minst ett")
        assert any(note in body for note in notes)
    assert 'name="colour"' not in body
    assert "Fullt navn" in body  # the draft, not the published version


def test_it_starts_over_when_a_field_changed_type_since_it_was_answered(tone_client, service):
    tone_client.post(STEP_1, {**ABOUT_YOU, "has_children": "no"})
    document = copy.deepcopy(service.published_version.document)
    document["steps"][0]["fields"][0]["type"] = "address"  # "name" held a text answer
    ServiceDraft.objects.create(service=service, document=document)
    response = tone_client.get(STEP_1)
    assert response.status_code == 200
    assert 'name="name-street"' in response.content.decode()


def test_it_is_framed_only_by_the_same_site(tone_client, service):
    framed = tone_client.get(STEP_1)
    assert framed["X-Frame-Options"] == "SAMEORIGIN"
    assert frame_ancestors(framed) == "frame-ancestors 'self'"
    page = tone_client.get(PAGE)
    assert page["X-Frame-Options"] == "DENY"
    assert frame_ancestors(page) == "frame-ancestors 'none'"


def test_it_answers_404_for_another_municipalitys_staff(siri_client, service):
    assert siri_client.get(PAGE).status_code == 404
    assert siri_client.get(STEP_1).status_code == 404
    assert siri_client.get("/aukra/tjenestebygger/test-soknad/forhandsvisning/").status_code == 404


def test_it_refuses_a_caseworker(sara_client, service):
    assert sara_client.get(PAGE).status_code == 404
    assert sara_client.post(STEP_1, ABOUT_YOU).status_code == 404


def test_it_sends_the_anonymous_to_the_staff_login(client, service):
    response = client.get(STEP_1)
    assert response.status_code == 302
    assert response["Location"].startswith("/ansatt/logg-inn/")


def test_it_answers_404_for_a_step_that_does_not_exist(tone_client, service):
    assert tone_client.get(STEP_2.replace("/2/", "/3/")).status_code == 404
    assert tone_client.get(STEP_2.replace("/2/", "/0/")).status_code == 404
