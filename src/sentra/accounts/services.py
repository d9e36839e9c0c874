"""Write use-cases for accounts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from sentra.accounts.models import User
from sentra.accounts.roles import ASSIGNABLE_ROLES, Role
from sentra.core.audit import audit_record
from sentra.core.scope import ensure_in_scope
from sentra.core.versioning import save_versioned


def _check_manageable(*, actor: User, role: str, region_id: str | None) -> None:
    if actor.is_superuser:
        return
    if role not in ASSIGNABLE_ROLES.get(actor.role, []):
        raise PermissionDenied(_("Anda tidak boleh memberikan peran ini."))
    if actor.role == Role.PROVINCE_OFFICER and actor.region_id and region_id == actor.region_id:
        return  # a user of the officer's own province (their scope lists its regencies, not the province)
    ensure_in_scope(actor, region_id, "add")


@transaction.atomic
def user_create(*, actor: User, password: str, **fields: Any) -> User:
    region = fields.get("region")
    _check_manageable(actor=actor, role=fields.get("role", ""), region_id=region.pk if region else None)
    user = User(**fields)
    user.set_password(password)
    user.must_change_password = True
    user.full_clean()
    user.save()
    audit_record(
        actor=actor,
        action="accounts.user.created",
        obj=user,
        changes={
            "username": [None, user.username],
            "role": [None, user.role],
            "region": [None, user.region_id],
        },
    )
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, expected_version: int | None = None, **fields: Any) -> User:
    # What the trail records of a user (not the phone or e-mail: personal data the trail need not keep).
    audited = ("role", "region_id", "is_active", "full_name", "institution")
    before = {name: getattr(user, name) for name in audited}
    for name, value in fields.items():
        setattr(user, name, value)
    _check_manageable(actor=actor, role=user.role, region_id=user.region_id)
    user.full_clean()
    save_versioned(user, expected_version)
    after = {name: getattr(user, name) for name in audited}
    changes = {k.removesuffix("_id"): [before[k], after[k]] for k in audited if before[k] != after[k]}
    audit_record(actor=actor, action="accounts.user.updated", obj=user, changes=changes)
    return user


#: What a password reset ends besides the password. An app above accounts that gives users other credentials
#: (the API: personal tokens) registers ``revoke(actor, user) -> number revoked`` at start-up; accounts may not
#: import it. Web sessions need no hook: Django ends them when the password hash changes.
_CREDENTIAL_REVOKERS: list[Callable[[Any, User], int]] = []


def register_credential_revoker(revoke: Callable[[Any, User], int]) -> None:
    if revoke not in _CREDENTIAL_REVOKERS:
        _CREDENTIAL_REVOKERS.append(revoke)


@transaction.atomic
def user_reset_password(*, actor: User, user: User, password: str) -> User:
    """Admin-driven reset: the officer sets a temporary password that must be changed at next login.

    A reset is what an officer does when an account may be in the wrong hands, so every other credential of the
    user (API tokens) is revoked with it, in the same transaction.
    """
    if actor.pk == user.pk and not actor.is_superuser:
        raise PermissionDenied(_("Ganti kata sandi Anda sendiri di halaman Akun."))
    _check_manageable(actor=actor, role=user.role, region_id=user.region_id)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    revoked = sum(revoke(actor, user) for revoke in _CREDENTIAL_REVOKERS)
    audit_record(
        actor=actor,
        action="accounts.user.password_reset",
        obj=user,
        note=_("{n} token API dicabut.").format(n=revoked) if revoked else "",
    )
    return user
