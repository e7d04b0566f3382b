"""Counts of the public home page."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Resumen:
    """How many candidacies are registered and how many profiles are public."""

    registradas: int
    publicadas: int
