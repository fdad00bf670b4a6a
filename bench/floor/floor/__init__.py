"""The floor: a bare Django project the load benchmark measures beside Servicetorg."""
