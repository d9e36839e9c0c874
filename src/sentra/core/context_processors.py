from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from sentra.core.navigation import menu_for


def sentra(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "SENTRA_AGENCY_NAME": settings.SENTRA_AGENCY_NAME,
        "nav_menu": menu_for(user) if user is not None and user.is_authenticated else [],
    }
