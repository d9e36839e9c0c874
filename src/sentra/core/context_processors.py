from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from sentra.core.navigation import menu_for, user_menu_for


def sentra(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "SENTRA_AGENCY_NAME": settings.SENTRA_AGENCY_NAME,
        "nav_menu": menu_for(user) if signed_in else [],
        "nav_user_menu": user_menu_for(user) if signed_in else [],
    }
