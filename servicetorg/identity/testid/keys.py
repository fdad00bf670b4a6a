"""TestID's signing key: generated once, kept in the database, published with a `kid`."""

from joserfc.jwk import RSAKey

from servicetorg.identity.testid.models import SigningKey

KEY_PARAMETERS = {"use": "sig", "alg": "RS256"}


def new_rsa_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters=KEY_PARAMETERS, private=True, auto_kid=True)


def signing_key() -> RSAKey:
    """The oldest key signs; two processes that both create one at first start both publish."""
    row = SigningKey.objects.first()
    if row is None:
        key = new_rsa_key()
        SigningKey.objects.create(kid=key.kid, private_jwk=key.as_dict(private=True))
        row = SigningKey.objects.first()
    return RSAKey.import_key(row.private_jwk)


def public_jwks() -> dict:
    signing_key()  # publish a key before the first token is signed with it
    keys = [RSAKey.import_key(row.private_jwk) for row in SigningKey.objects.all()]
    return {"keys": [key.as_dict(private=False) for key in keys]}
