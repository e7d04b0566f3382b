"""Authentication and authorization shared by every service."""
