"""Submitting an application: the whole path, one case per draft, numbers, and who sees what."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from servicetorg.cases.constants import ActorKind, EventKind
from servicetorg.cases.models import Case, CaseEvent
from servicetorg.submissions.models import Draft, Submission

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(autouse=True)
def english(kari_client, ola_client):
    for client in (kari_client, ola_client):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def number(sequence: int) -> str:
    return f"{timezone.localdate().year}/{sequence:05d}"


def start(client: Client, service) -> Draft:
    response = client.post(f"/{service.municipality.slug}/tjenester/{service.slug}/start/")
    assert response.status_code == 302
    return Draft.objects.order_by("-created_at").first()


def step_url(draft: Draft, n: int) -> str:
    return f"/{draft.municipality.slug}/soknad/{draft.id}/steg/{n}/"


def review_url(draft: Draft) -> str:
    return f"/{draft.municipality.slug}/soknad/{draft.id}/oppsummering/"


def fill_in(client: Client, service, name: str = "Kari Nordmann", comment: str = "Takk") -> Draft:
    """Start a draft and answer both steps; the draft is then ready for review."""
    draft = start(client, service)
    first = {
        "_shown": "name,email,has_children,children",
        "name": name,
        "email": "kari@example.no",
        "has_children": "yes",
        "children": "2",
    }
    response = client.post(step_url(draft, 1), first)
    assert response.status_code == 302
    assert response["Location"] == step_url(draft, 2)
    second = {
        "_shown": "members,document,comment,confirm",
        "members-count": "1",
        "members-0-member_name": "Per",
        "comment": comment,
        "confirm": "yes",
    }
    response = client.post(step_url(draft, 2), second)
    assert response.status_code == 302
    assert response["Location"] == review_url(draft)
    draft.refresh_from_db()
    return draft


def submit(client: Client, service, **answers) -> Submission:
    draft = fill_in(client, service, **answers)
    response = client.post(review_url(draft))
    assert response.status_code == 302
    return Submission.objects.get(draft_key=draft.id)


def test_it_walks_the_whole_path_to_a_case(kari, kari_client, service):
    draft = fill_in(kari_client, service)
    assert draft.answers == {
        "name": "Kari Nordmann",
        "email": "kari@example.no",
        "has_children": True,
        "children": 2,
        "members": [{"member_name": "Per"}],
        "comment": "Takk",
        "confirm": True,
    }

    review = kari_client.get(review_url(draft))
    assert review.status_code == 200
    body = review.content.decode()
    assert re.search(r"<dt>Number of children</dt>\s*<dd>2</dd>", body)
    assert "<li>Per</li>" in body

    response = kari_client.post(review_url(draft))
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/molde/kvittering/{submission.id}/"
    assert submission.draft_key == draft.id
    assert submission.applicant_pid == kari.pid
    assert submission.applicant_name == kari.name
    assert submission.service_version == service.published_version
    assert submission.answers == draft.answers

    case = Case.objects.get()
    assert case.submission == submission
    assert case.municipality == service.municipality
    assert case.number == number(1)
    assert case.applicant_pid == kari.pid
    event = CaseEvent.objects.get()
    assert (event.case, event.kind, event.actor_kind, event.actor_name) == (
        case,
        EventKind.SUBMITTED,
        ActorKind.RESIDENT,
        kari.name,
    )
    draft.refresh_from_db()
    assert draft.submitted_at is not None

    receipt = kari_client.get(response["Location"])
    assert receipt.status_code == 200
    assert f"Case number: <strong>{number(1)}</strong>" in receipt.content.decode()


def test_it_makes_one_case_of_a_replayed_submit(kari_client, service):
    draft = fill_in(kari_client, service)
    first = kari_client.post(review_url(draft))
    again = kari_client.post(review_url(draft))
    assert again.status_code == 302
    assert again["Location"] == first["Location"]
    assert Submission.objects.count() == 1
    assert Case.objects.count() == 1
    assert CaseEvent.objects.count() == 1
    # A submitted draft's steps lead to the receipt too.
    assert kari_client.get(step_url(draft, 1))["Location"] == first["Location"]


def test_it_numbers_cases_per_municipality(kari_client, ola_client, service, aukra_service):
    kari_molde = submit(kari_client, service)
    ola_molde = submit(ola_client, service)
    kari_aukra = submit(kari_client, aukra_service)
    assert kari_molde.case.number == number(1)
    assert ola_molde.case.number == number(2)
    assert kari_aukra.case.number == number(1)
    assert kari_aukra.case.municipality.slug == "aukra"


def test_it_sends_an_incomplete_draft_back_to_the_missing_step(kari_client, service):
    draft = fill_in(kari_client, service)
    draft.answers.pop("email")
    draft.save()
    response = kari_client.post(review_url(draft))
    assert response.status_code == 302
    assert response["Location"] == step_url(draft, 1)
    assert not Submission.objects.exists()
    assert not Case.objects.exists()
    draft.refresh_from_db()
    assert draft.submitted_at is None


def test_it_submits_an_application_that_answers_no(kari_client, service):
    draft = start(kari_client, service)
    kari_client.post(
        step_url(draft, 1),
        {
            "_shown": "name,email,has_children",
            "name": "Kari",
            "email": "kari@example.no",
            "has_children": "no",
        },
    )
    kari_client.post(
        step_url(draft, 2),
        {"_shown": "members,document,comment,confirm", "members-count": "0", "confirm": "yes"},
    )
    response = kari_client.post(review_url(draft))
    assert Submission.objects.count() == 1
    assert response["Location"] == f"/molde/kvittering/{Submission.objects.get().id}/"


def test_it_keeps_nothing_when_opening_the_case_fails(kari_client, service, monkeypatch):
    draft = fill_in(kari_client, service)

    def broken(submission, *, actor):
        raise RuntimeError("archive down")

    monkeypatch.setattr("servicetorg.submissions.actions.open_case", broken)
    with pytest.raises(RuntimeError, match="archive down"):
        kari_client.post(review_url(draft))
    assert not Submission.objects.exists()
    assert not Case.objects.exists()
    draft.refresh_from_db()
    assert draft.submitted_at is None

    monkeypatch.undo()
    kari_client.post(review_url(draft))
    assert Case.objects.get().number == number(1)


def test_it_escapes_answers_on_the_review_and_the_receipt(kari_client, service):
    draft = fill_in(kari_client, service, name=SCRIPT, comment=SCRIPT)
    review = kari_client.get(review_url(draft)).content.decode()
    assert SCRIPT not in review
    assert review.count(ESCAPED) == 2
    receipt = kari_client.get(kari_client.post(review_url(draft))["Location"]).content.decode()
    assert SCRIPT not in receipt
    assert receipt.count(ESCAPED) == 2


def test_it_shows_the_receipt_only_to_the_applicant(kari_client, ola_client, service):
    submission = submit(kari_client, service)
    assert kari_client.get(f"/molde/kvittering/{submission.id}/").status_code == 200
    assert ola_client.get(f"/molde/kvittering/{submission.id}/").status_code == 404
    assert ola_client.get(f"/molde/kvittering/{submission.id}/pdf/").status_code == 404


def test_it_shows_the_receipt_only_under_its_municipality(kari_client, service, aukra):
    submission = submit(kari_client, service)
    assert kari_client.get(f"/aukra/kvittering/{submission.id}/").status_code == 404
    assert kari_client.get("/molde/kvittering/not-a-uuid/").status_code == 404


def test_it_asks_for_login_before_the_receipt(service, kari_client):
    submission = submit(kari_client, service)
    response = Client().get(f"/molde/kvittering/{submission.id}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/?next=")


def test_it_lists_only_the_residents_own_drafts_and_cases(kari_client, ola_client, service):
    kari_draft = start(kari_client, service)
    kari_case = submit(kari_client, service).case
    ola_draft = start(ola_client, service)
    ola_case = submit(ola_client, service).case

    body = kari_client.get("/mine-saker/").content.decode()
    assert f"/molde/soknad/{kari_draft.id}/steg/1/" in body
    assert f"/mine-saker/{kari_case.id}/" in body
    assert f"Case {kari_case.number}" in body
    assert str(ola_draft.id) not in body
    assert str(ola_case.id) not in body
    assert f"Case {ola_case.number}" not in body


def test_it_shows_a_case_only_to_its_applicant(kari_client, ola_client, service):
    case = submit(kari_client, service).case
    response = kari_client.get(f"/mine-saker/{case.id}/")
    assert response.status_code == 200
    assert f"<dd>{case.number}</dd>" in response.content.decode()
    assert ola_client.get(f"/mine-saker/{case.id}/").status_code == 404
    assert ola_client.get("/mine-saker/not-a-uuid/").status_code == 404
