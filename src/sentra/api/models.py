"""Personal API tokens.

A token is shown once, when it is created; only its SHA-256 digest is stored, with a short public prefix to
find the row. A token acts as its user, within the user's scope, and can be limited to reading.
"""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenAccess(models.TextChoices):
    READ = "read", _("Hanya baca")
    WRITE = "write", _("Baca dan tulis")


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user: Any, action: str = "view") -> Self:
        """Everyone manages only their own tokens (superusers included: a token is a personal secret)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(user=user)

    def active(self) -> Self:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A personal access token for the REST API, owned by one user. Stored hashed; the secret is never kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nama token"), max_length=100, help_text=_("Untuk apa token ini, misalnya SIINas."))
    #: The public part of the token, used to find the row (``sentra_<prefix>_<secret>``).
    prefix = models.CharField(_("awalan"), max_length=16, unique=True, editable=False)
    #: Hex SHA-256 of the whole token string.
    digest = models.CharField(max_length=64, editable=False)
    access = models.CharField(_("akses"), max_length=5, choices=TokenAccess.choices, default=TokenAccess.READ)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="apitoken_user_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return not self.is_revoked and not self.is_expired

    @property
    def can_write(self) -> bool:
        return self.access == TokenAccess.WRITE
