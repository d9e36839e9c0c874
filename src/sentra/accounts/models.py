"""Users, their role and the region their scope starts from."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from sentra.accounts.roles import ASSIGNABLE_ROLES, ROLE_REGION_LEVEL, Role
from sentra.core.scope import NATIONAL, NO_SCOPE, Scope
from sentra.core.versioning import VersionedModel


class SentraUserQuerySet(models.QuerySet):
    def visible_to(self, user: Any, action: str = "view") -> SentraUserQuerySet:
        """Officers see the users of their own scope, and manage (any action but viewing) only those whose role
        lies below their own (``ASSIGNABLE_ROLES``): a city officer never edits or resets a fellow officer."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if not user.has_perm(f"accounts.{action}_user"):
            return self.filter(pk=user.pk) if action == "view" else self.none()
        qs = self if action == "view" else self.filter(role__in=ASSIGNABLE_ROLES.get(user.role, []))
        scope = user.scope
        if scope.kind == "national":
            return qs.filter(is_superuser=False)
        if scope.kind == "region":
            ids = list(scope.region_ids)
            if user.role == Role.PROVINCE_OFFICER and user.region_id:
                ids.append(user.region_id)
            return qs.filter(region_id__in=ids, is_superuser=False).exclude(role=Role.NATIONAL_ADMIN)
        return self.filter(pk=user.pk)


class SentraUserManager(UserManager.from_queryset(SentraUserQuerySet)):  # type: ignore[misc]
    pass


class User(VersionedModel, AbstractUser):
    """A person who logs in: ministry staff, province/regency officers, centre managers, trainers, owners."""

    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.BUSINESS_OWNER)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("wilayah tugas"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Provinsi untuk petugas provinsi; kabupaten/kota untuk peran lain. Kosong untuk admin nasional."),
    )
    institution = models.CharField(_("instansi"), max_length=200, blank=True)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    must_change_password = models.BooleanField(_("wajib ganti kata sandi"), default=False)

    objects = SentraUserManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:user_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        level = ROLE_REGION_LEVEL.get(self.role)
        if level is None:
            if self.role == Role.NATIONAL_ADMIN:
                self.region = None
            return
        if self.region is None:
            raise ValidationError({"region": _("Peran ini memerlukan wilayah tugas.")})
        if self.region.level != level:
            raise ValidationError(
                {
                    "region": _("Peran {role} harus ditugaskan pada {level}.").format(
                        role=self.get_role_display(), level=_("provinsi") if level == 1 else _("kabupaten/kota")
                    )
                }
            )

    @cached_property
    def scope(self) -> Scope:
        """Computed once per request (the user object lives for one request)."""
        from sentra.regions.models import Region, RegionLevel

        if not self.is_active:
            return NO_SCOPE
        if self.is_superuser or self.role == Role.NATIONAL_ADMIN:
            return NATIONAL
        if self.role == Role.PROVINCE_OFFICER and self.region_id:
            ids = Region.objects.filter(parent_id=self.region_id, level=RegionLevel.REGENCY).values_list(
                "code", flat=True
            )
            return Scope(kind="region", region_ids=frozenset(ids), label=str(self.region))
        if self.role == Role.REGENCY_OFFICER and self.region_id:
            return Scope(kind="region", region_ids=frozenset([self.region_id]), label=str(self.region))
        if self.role == Role.CENTRE_MANAGER:
            return Scope(kind="centre", label=str(self.region or ""))
        if self.role == Role.TRAINER:
            return Scope(kind="trainer", label=str(self.region or ""))
        if self.role == Role.BUSINESS_OWNER:
            return Scope(kind="owner", label=str(self.region or ""))
        return NO_SCOPE

    @property
    def is_officer(self) -> bool:
        return self.is_superuser or self.role in (Role.NATIONAL_ADMIN, Role.PROVINCE_OFFICER, Role.REGENCY_OFFICER)
