"""Shared plumbing of Conóceles: no business rules live here."""
