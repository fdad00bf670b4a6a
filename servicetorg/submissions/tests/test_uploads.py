"""Attachments: checked by content, re-encoded, stored under a server name, owner only."""

import io
import uuid
from pathlib import Path

import pytest
import weasyprint
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from PIL import Image

from servicetorg.submissions.models import Attachment, Draft
from servicetorg.submissions.uploads import check_upload, clean_name

pytestmark = pytest.mark.django_db

STEP_TWO = "members,document,comment,confirm"
FIELD = {"key": "document", "type": "file", "accept": ["pdf", "png", "jpeg"], "max_size_mb": 1}


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Store files in a fresh directory, so tests never touch the real one."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "files"},
        },
    }
    return tmp_path / "files"


@pytest.fixture(autouse=True)
def english(kari_client, ola_client):
    for client in (kari_client, ola_client):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def png_bytes(size: tuple[int, int] = (20, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, "PNG")
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCamMaker"  # Make
    exif[0x0110] = "SecretCamModel"  # Model
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "blue").save(out, "JPEG", exif=exif)
    return out.getvalue()


def pdf_bytes() -> bytes:
    return weasyprint.HTML(string="<p>x</p>").write_pdf()


@pytest.fixture
def draft(kari_client, service) -> Draft:
    """Kari's draft with step 1 answered, so step 2 (with the attachment) is open."""
    kari_client.post("/molde/tjenester/test-soknad/start/")
    draft = Draft.objects.get()
    response = kari_client.post(
        f"/molde/soknad/{draft.id}/steg/1/",
        {
            "_shown": "name,email,has_children",
            "name": "Kari",
            "email": "kari@example.no",
            "has_children": "no",
        },
    )
    assert response.status_code == 302
    return draft


def post_file(
    client: Client, draft: Draft, upload: SimpleUploadedFile, action: str = "save", **extra
):
    data = {
        "_shown": STEP_TWO,
        "members-count": "0",
        "_action": action,
        "document": upload,
        **extra,
    }
    return client.post(f"/molde/soknad/{draft.id}/steg/2/", data)


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_it_stores_a_png(kari, kari_client, draft, media):
    response = post_file(
        kari_client, draft, SimpleUploadedFile("kart.png", png_bytes(), "image/png")
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.draft, attachment.owner_pid, attachment.field_key) == (
        draft,
        kari.pid,
        "document",
    )
    assert (attachment.name, attachment.content_type) == ("kart.png", "image/png")
    assert attachment.file.name == f"attachments/{attachment.id.hex[:2]}/{attachment.id.hex}"
    path = Path(attachment.file.path)
    assert path.is_relative_to(media)
    assert not path.is_relative_to(Path(settings.STATIC_ROOT))
    assert all(not path.is_relative_to(Path(d)) for d in settings.STATICFILES_DIRS)
    assert stored_files(media) == [path]
    with Image.open(path) as image:
        assert (image.format, image.size) == ("PNG", (20, 10))
    assert attachment.size == path.stat().st_size
    draft.refresh_from_db()
    assert draft.answers["document"] == [{"id": str(attachment.id), "name": "kart.png"}]


def test_it_stores_a_pdf_as_it_is(kari_client, draft):
    content = pdf_bytes()
    post_file(kari_client, draft, SimpleUploadedFile("vedtak.pdf", content, "application/pdf"))
    attachment = Attachment.objects.get()
    assert (attachment.name, attachment.content_type) == ("vedtak.pdf", "application/pdf")
    assert attachment.file.read() == content


def test_it_drops_exif_from_a_jpeg(kari_client, draft):
    original = jpeg_with_exif()
    assert b"SecretCamModel" in original
    post_file(kari_client, draft, SimpleUploadedFile("foto.jpeg", original, "image/jpeg"))
    attachment = Attachment.objects.get()
    stored = attachment.file.read()
    assert b"SecretCamModel" not in stored
    assert b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
    assert (attachment.name, attachment.content_type) == ("foto.jpg", "image/jpeg")


def test_it_drops_a_jpeg_comment():
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "blue").save(out, "JPEG", comment=b"home address here")
    upload = SimpleUploadedFile("foto.jpg", out.getvalue(), "image/jpeg")
    assert b"home address here" not in check_upload(upload, FIELD).content


def test_it_refuses_html_named_pdf(kari_client, draft, media):
    html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
    response = post_file(
        kari_client,
        draft,
        SimpleUploadedFile("evil.pdf", html, "application/pdf"),
        action="next",
        confirm="yes",
    )
    assert response.status_code == 200
    assert (
        "The file evil.pdf is not of an allowed type (PDF, PNG, JPEG)." in response.content.decode()
    )
    assert not Attachment.objects.exists()
    assert stored_files(media) == []
    draft.refresh_from_db()
    assert "document" not in draft.answers


def test_it_refuses_a_png_that_is_not_an_image(kari_client, draft, media):
    broken = png_bytes()[:40]
    response = post_file(
        kari_client, draft, SimpleUploadedFile("kart.png", broken, "image/png"), action="next"
    )
    assert "The file kart.png could not be read as an image." in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_it_refuses_an_empty_file(kari_client, draft, media):
    response = post_file(
        kari_client, draft, SimpleUploadedFile("tom.pdf", b"", "application/pdf"), action="next"
    )
    assert response.status_code == 200
    assert "The file tom.pdf is empty." in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_it_refuses_a_file_over_the_fields_size_limit(kari_client, draft, media):
    big = png_bytes() + b"\0" * (1024 * 1024)
    response = post_file(
        kari_client, draft, SimpleUploadedFile("stor.png", big, "image/png"), action="next"
    )
    assert response.status_code == 200
    assert "The file stor.png is larger than 1 MB." in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_it_keeps_only_the_last_part_of_a_file_name(kari_client, draft, media):
    post_file(
        kari_client, draft, SimpleUploadedFile("../../etc/passwd.png", png_bytes(), "image/png")
    )
    attachment = Attachment.objects.get()
    assert attachment.name == "passwd.png"
    assert Path(attachment.file.path).is_relative_to(media)
    assert not (media.parent / "etc").exists()


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("..\\..\\windows\\kart.png", "kart.png"),
        ("C:\\Users\\kari\\søknad.pdf", "søknad.pdf"),
        ('a<b>"c.pdf', "a_b__c.pdf"),
        ("..", "vedlegg"),
        ("", "vedlegg"),
    ],
)
def test_it_cleans_a_file_name(raw, expected):
    assert clean_name(raw) == expected


def test_it_names_the_file_by_its_real_type():
    checked = check_upload(SimpleUploadedFile("bilde.pdf", png_bytes(), "application/pdf"), FIELD)
    assert (checked.name, checked.content_type) == ("bilde.png", "image/png")


def test_it_refuses_a_type_the_field_does_not_accept():
    only_pdf = {**FIELD, "accept": ["pdf"]}
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile("kart.png", png_bytes(), "image/png"), only_pdf)
    assert caught.value.messages == ["The file kart.png is not of an allowed type (PDF)."]


def test_it_replaces_the_attachment_of_a_single_file_field(kari_client, draft, media):
    post_file(kari_client, draft, SimpleUploadedFile("en.png", png_bytes(), "image/png"))
    post_file(kari_client, draft, SimpleUploadedFile("to.png", png_bytes((5, 5)), "image/png"))
    attachment = Attachment.objects.get()
    assert attachment.name == "to.png"
    draft.refresh_from_db()
    assert draft.answers["document"] == [{"id": str(attachment.id), "name": "to.png"}]


def test_it_keeps_entered_text_when_an_upload_is_refused(kari_client, draft):
    html = b"<html><body>not a pdf</body></html>"
    response = post_file(
        kari_client,
        draft,
        SimpleUploadedFile("evil.pdf", html),
        action="next",
        comment="Min viktige kommentar",
        confirm="yes",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert ">Min viktige kommentar</textarea>" in body
    assert 'name="confirm" value="yes" checked' in body
    draft.refresh_from_db()
    assert draft.answers["comment"] == "Min viktige kommentar"


def test_it_keeps_an_earlier_attachment_when_a_new_one_is_refused(kari_client, draft):
    post_file(kari_client, draft, SimpleUploadedFile("kart.png", png_bytes(), "image/png"))
    post_file(kari_client, draft, SimpleUploadedFile("evil.pdf", b"<html></html>"), action="next")
    attachment = Attachment.objects.get()
    draft.refresh_from_db()
    assert draft.answers["document"] == [{"id": str(attachment.id), "name": "kart.png"}]


def test_it_lets_the_owner_download_an_attachment(kari_client, draft):
    post_file(kari_client, draft, SimpleUploadedFile("kart.png", png_bytes(), "image/png"))
    attachment = Attachment.objects.get()
    response = kari_client.get(f"/vedlegg/{attachment.id}/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="kart.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == Path(attachment.file.path).read_bytes()


def test_it_hides_an_attachment_from_anyone_else(kari_client, ola_client, draft):
    post_file(kari_client, draft, SimpleUploadedFile("kart.png", png_bytes(), "image/png"))
    attachment = Attachment.objects.get()
    assert ola_client.get(f"/vedlegg/{attachment.id}/").status_code == 404
    assert kari_client.get(f"/vedlegg/{uuid.uuid4()}/").status_code == 404
    assert kari_client.get("/vedlegg/not-a-uuid/").status_code == 404
    anonymous = Client().get(f"/vedlegg/{attachment.id}/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/logg-inn/")


def test_it_removes_an_attachment_on_request(
    kari_client, draft, django_capture_on_commit_callbacks
):
    post_file(kari_client, draft, SimpleUploadedFile("kart.png", png_bytes(), "image/png"))
    attachment = Attachment.objects.get()
    path = Path(attachment.file.path)
    data = {
        "_shown": STEP_TWO,
        "members-count": "0",
        "_action": f"remove-file:document:{attachment.id}",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = kari_client.post(f"/molde/soknad/{draft.id}/steg/2/", data)
    assert response.status_code == 200
    assert not Attachment.objects.exists()
    assert not path.exists()
    draft.refresh_from_db()
    assert "document" not in draft.answers


def test_it_ignores_a_forged_attachment_id_to_remove(kari_client, draft):
    post_file(kari_client, draft, SimpleUploadedFile("kart.png", png_bytes(), "image/png"))
    data = {"_shown": STEP_TWO, "members-count": "0", "_action": "remove-file:document:not-a-uuid"}
    response = kari_client.post(f"/molde/soknad/{draft.id}/steg/2/", data)
    assert response.status_code == 200
    assert Attachment.objects.count() == 1
