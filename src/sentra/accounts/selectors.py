"""Read use-cases of the accounts app."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sentra.accounts.models import User


def user_list(*, user: Any) -> QuerySet[User]:
    """The accounts ``user`` may see: the users of their scope (``SentraUserQuerySet.visible_to``)."""
    return User.objects.visible_to(user).select_related("region")
