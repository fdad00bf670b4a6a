"""Small shared helpers without Django dependencies."""
