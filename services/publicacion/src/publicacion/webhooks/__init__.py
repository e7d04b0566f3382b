"""Outgoing webhooks of publicacion (INE linkage, PTO 29).

The rules live in `publicacion.domain.webhooks` and `publicacion.domain.destinos` (plain
Python); this package holds the use cases, the stores, the HTTP sender, the pages and the API.
"""
