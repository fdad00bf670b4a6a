"""`manage.py check` says what is missing before the first resident tries to log in."""

from servicetorg.identity.checks import login_configuration


def test_it_accepts_the_demo_with_testid(settings):
    settings.TESTID_ENABLED = True
    settings.IDPORTEN_ISSUER = ""
    assert login_configuration() == []


def test_it_needs_an_issuer_without_testid(settings):
    settings.TESTID_ENABLED = False
    settings.IDPORTEN_ISSUER = ""
    assert "IDPORTEN_ISSUER" in login_configuration()[0].msg


def test_it_needs_a_key_file_for_private_key_jwt(settings):
    settings.IDPORTEN_CLIENT_AUTH = "private_key_jwt"
    settings.IDPORTEN_PRIVATE_KEY_PATH = "/nonexistent.pem"
    assert "IDPORTEN_PRIVATE_KEY_PATH" in login_configuration()[-1].msg


def test_it_needs_https_for_a_real_provider(settings):
    settings.DEMO = False
    settings.IDPORTEN_ISSUER = "http://test.idporten.no"
    assert "https" in login_configuration()[0].msg
