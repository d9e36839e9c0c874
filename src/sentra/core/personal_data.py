"""Personal data of one person across apps: the data-subject export and anonymisation (UU 27/2022 PDP).

Each app that holds data about an owner (pelaku usaha) registers a provider at start-up. ``collect`` gathers every
app's sections for the subject's copy (Pasal 7: access and copy); ``anonymise`` asks every app to erase what
identifies the person while keeping the rows, so aggregate statistics stay as they were (Pasal 8: erasure).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonalDataProvider:
    name: str
    #: ``collect(owner) -> {section title: list of {field: value}}``
    collect: Callable[[Any], dict[str, list[dict[str, Any]]]]
    #: ``anonymise(owner, actor) -> None``: erase identifying values of this app's rows about the owner.
    anonymise: Callable[[Any, Any], None] | None = None


_PROVIDERS: list[PersonalDataProvider] = []


def register_personal_data(provider: PersonalDataProvider) -> None:
    if all(p.name != provider.name for p in _PROVIDERS):
        _PROVIDERS.append(provider)


def providers() -> list[PersonalDataProvider]:
    return list(_PROVIDERS)
