from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, pre-compressed files; a name missing from the manifest is served unhashed."""

    manifest_strict = False
