"""Roles, the permissions each one carries, and their Django groups (STYLE D.1).

The grants are a start-up registry like core's menus and scope paths: each app declares its own in
``<app>/permissions.py`` (``grant(roles, *perms)``, and ``require_second_factor(*perms)`` for the permissions whose
holders must sign in with a second factor) inside a ``register()`` that its ``AppConfig.ready()`` calls, so this
module names no app above it. ``sync_role_groups`` runs after every ``migrate`` and makes the groups match the grants
exactly, so a permission removed from a grant is removed from the database too.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("Admin nasional (Kementerian)")
    PROVINCE_OFFICER = "province_officer", _("Petugas provinsi")
    REGENCY_OFFICER = "regency_officer", _("Petugas kabupaten/kota")
    CENTRE_MANAGER = "centre_manager", _("Pengelola sentra")
    TRAINER = "trainer", _("Pelatih")
    BUSINESS_OWNER = "business_owner", _("Pemilik usaha")


#: Roles an officer of each role may give to users, and the roles of the users they manage (create, edit,
#: reset the password of): only roles below their own, never a fellow officer of the same level, whose account
#: (and so whose access to personal data) only a higher level may take over. The national admin, at the top,
#: manages every role (docs/domain.md, "Akun dan peran").
ASSIGNABLE_ROLES: dict[str, list[str]] = {
    Role.NATIONAL_ADMIN: [r.value for r in Role],
    Role.PROVINCE_OFFICER: [Role.REGENCY_OFFICER, Role.CENTRE_MANAGER, Role.TRAINER, Role.BUSINESS_OWNER],
    Role.REGENCY_OFFICER: [Role.CENTRE_MANAGER, Role.TRAINER, Role.BUSINESS_OWNER],
}

#: Which region level a role's assignment must point at (None: no region).
ROLE_REGION_LEVEL: dict[str, int | None] = {
    Role.NATIONAL_ADMIN: None,
    Role.PROVINCE_OFFICER: 1,
    Role.REGENCY_OFFICER: 2,
    Role.CENTRE_MANAGER: 2,
    Role.TRAINER: 2,
    Role.BUSINESS_OWNER: 2,
}

_GRANTS: dict[str, set[str]] = defaultdict(set)
_SECOND_FACTOR: set[str] = set()

ALL_ROLES = tuple(Role)
OFFICERS = (Role.NATIONAL_ADMIN, Role.PROVINCE_OFFICER, Role.REGENCY_OFFICER)


def grant(roles: tuple[str, ...] | list[str], *perms: str) -> None:
    """Give ``perms`` (``"app_label.codename"``) to each of ``roles``."""
    for role in roles:
        _GRANTS[str(role)].update(perms)


def require_second_factor(*perms: str) -> None:
    """Holding any of ``perms`` makes the second factor mandatory (``two_factor.is_required``): approving money,
    revealing a NIK, managing accounts."""
    _SECOND_FACTOR.update(perms)


def role_permissions() -> dict[str, set[str]]:
    """``{role: {"app_label.codename", ...}}`` as the apps granted them at start-up."""
    return {role: set(perms) for role, perms in _GRANTS.items()}


def second_factor_permissions() -> frozenset[str]:
    return frozenset(_SECOND_FACTOR)


def group_name(role: str) -> str:
    return f"role:{role}"


def sync_role_groups(sender: Any = None, using: str = "default", **kwargs: Any) -> None:
    """Create one group per role and give it exactly the granted permissions."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    # post_migrate is sent once per app; permissions of every app exist only when the last one is sent.
    # (Django skips apps without a models module when it sends the signal.)
    last_app = [a for a in apps.get_app_configs() if a.models_module is not None][-1]
    if sender is not None and getattr(sender, "label", None) != last_app.label:
        return
    grants = role_permissions()
    perms = {
        f"{app}.{codename}": pk
        for pk, app, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role in Role:
        group, _created = Group.objects.using(using).get_or_create(name=group_name(role.value))
        wanted = [perms[p] for p in sorted(grants.get(role.value, ())) if p in perms]
        group.permissions.set(wanted)
