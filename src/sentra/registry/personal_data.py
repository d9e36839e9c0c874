"""The registry's part of personal-data requests: the owner's record and businesses (docs/domain.md §8)."""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.core.audit import audit_record
from sentra.core.personal_data import PersonalDataProvider, providers, register_personal_data
from sentra.registry import search_text
from sentra.registry.models import Owner

OWNER_FIELDS = ("full_name", "nik", "gender", "birth_date", "phone", "email", "address", "legal_basis")


def _collect(owner: Owner) -> dict[str, list[dict[str, Any]]]:
    person = {field: getattr(owner, field) for field in OWNER_FIELDS}
    person["village"] = str(owner.village) if owner.village_id else ""
    person["region"] = str(owner.region)
    businesses = [
        {
            "name": o.business.name,
            "nib": o.business.nib,
            "role": o.get_role_display(),
            "address": o.business.address,
            "region": str(o.business.region),
            "status": o.business.get_status_display(),
        }
        for o in owner.ownerships.select_related("business", "business__region")
    ]
    return {"Pelaku usaha": [person], "Usaha": businesses}


def _anonymise(owner: Owner, actor: Any) -> None:
    # Gender, birth year and region stay: statistics by sex, age group and region need them; nothing else that
    # identifies the person does.
    owner.full_name = _("Anonim #{pk}").format(pk=owner.pk)
    owner.nik = None
    owner.phone = ""
    owner.email = ""
    owner.address = ""
    owner.village = None
    if owner.birth_date:
        owner.birth_date = owner.birth_date.replace(month=1, day=1)
    owner.user = None
    owner.anonymised_at = timezone.now()
    owner.save()
    search_text.refresh_for_owners([owner.pk])  # the old name must not stay findable in the business list


register_personal_data(PersonalDataProvider("registry", _collect, _anonymise))


def owner_personal_data_export(*, actor: Any, owner: Owner) -> bytes:
    """All data about one owner as a JSON file, from every app; the export itself is logged."""
    # ``actor`` None is the system itself (retention, ``sentra.core.retention``).
    if actor is not None and not (actor.is_superuser or actor.has_perm("registry.reveal_nik_owner")):
        raise PermissionDenied(_("Anda tidak berwenang mengekspor data pribadi."))
    data: dict[str, Any] = {
        "subjek": owner.full_name,
        "dibuat_pada": timezone.now(),
        "dibuat_oleh": actor.get_username(),
        "dasar_hukum": "UU 27/2022 Pasal 7 (hak akses dan salinan)",
    }
    for provider in providers():
        data.update(provider.collect(owner))
    audit_record(
        actor=actor,
        action="registry.owner.personal_data_exported",
        obj=owner,
        note=_("Salinan seluruh data pribadi diekspor"),
    )
    buffer = io.StringIO()
    json.dump(data, buffer, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    return buffer.getvalue().encode("utf-8")


@transaction.atomic
def owner_anonymise(*, actor: Any, owner: Owner, reason: str) -> Owner:
    """Erase what identifies the owner in every app, keep the rows (and so the aggregates); logged with reason."""
    # ``actor`` None is the system itself (retention, ``sentra.core.retention``).
    if actor is not None and not (actor.is_superuser or actor.has_perm("registry.reveal_nik_owner")):
        raise PermissionDenied(_("Anda tidak berwenang menganonimkan data pribadi."))
    if owner.anonymised_at:
        return owner
    if not reason.strip():
        from django.core.exceptions import ValidationError

        raise ValidationError({"reason": _("Sebutkan dasar permintaan penghapusan (mis. nomor surat permohonan).")})
    owner = Owner.objects.select_for_update().get(pk=owner.pk)
    for provider in providers():
        if provider.anonymise is not None:
            provider.anonymise(owner, actor)
    # The audit trail keeps that it happened and why, never the erased values themselves.
    audit_record(actor=actor, action="registry.owner.anonymised", obj=owner, note=reason[:500])
    from sentra.core.models import AuditEvent

    AuditEvent.objects.filter(content_type__model="owner", object_id=str(owner.pk)).exclude(
        action="registry.owner.anonymised"
    ).update(changes={}, object_repr=owner.full_name)
    return owner
