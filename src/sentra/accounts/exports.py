"""Export of the users list, through the core export engine.

An account's export carries what the list shows and what an officer needs to follow up the accounts of their
scope (institution, whether it is active, when it last signed in); never a password hash, a second-factor secret or
recovery code, and the phone number masked as elsewhere.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sentra.accounts import selectors
from sentra.accounts.filters import UserFilterSet
from sentra.accounts.roles import Role
from sentra.core.exporting import ExportColumn, ExportSpec, choice, masked, register_export, yes_no
from sentra.core.validators import mask_phone

USER_EXPORT = ExportSpec(
    key="accounts.user",
    label=_("Pengguna"),
    queryset=selectors.user_list,
    filterset_class=UserFilterSet,
    ordering=("username", "id"),
    filename="pengguna",
    columns=(
        ExportColumn(_("Nama pengguna"), "username", width=20),
        ExportColumn(_("Nama lengkap"), "full_name", width=30),
        choice(_("Peran"), "role", Role, width=24),
        # A province officer's region is the province, the others' a regency/city.
        ExportColumn(_("Kode wilayah"), "region_id", width=10),
        ExportColumn(_("Wilayah"), "region__name", width=22),
        ExportColumn(_("Instansi"), "institution", width=30),
        masked(_("Telepon (disamarkan)"), "phone", mask_phone),
        yes_no(_("Aktif"), "is_active"),
        ExportColumn(_("Masuk terakhir"), "last_login", "datetime"),
        ExportColumn(_("Terdaftar"), "date_joined", "datetime"),
    ),
)


def register() -> None:
    register_export(USER_EXPORT)
