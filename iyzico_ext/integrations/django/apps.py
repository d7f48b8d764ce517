"""The Django app of the iyzico integration (its models hold the payment journal and handled webhooks)."""

from __future__ import annotations

from django.apps import AppConfig

__all__ = ["IyzicoConfig"]


class IyzicoConfig(AppConfig):
    name = "iyzico_ext.integrations.django"
    label = "iyzico"
    verbose_name = "iyzico payments"
    default_auto_field = "django.db.models.BigAutoField"
