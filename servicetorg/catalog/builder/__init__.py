"""The service builder: staff build, version, share and adopt services in the browser."""
