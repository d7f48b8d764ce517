"""The journal's tables: one row per money-moving call (never card data), one per handled webhook."""

from __future__ import annotations

from django.db import models

__all__ = ["PaymentIntentRecord", "WebhookDelivery"]

_AMOUNT = {"max_digits": 20, "decimal_places": 2, "null": True}
_ID = {"max_length": 64, "null": True}


class PaymentIntentRecord(models.Model):
    intent_id = models.CharField(max_length=32, primary_key=True)
    operation_id = models.CharField(max_length=64)
    conversation_id = models.CharField(max_length=255)
    created_at = models.FloatField()
    price = models.DecimalField(**_AMOUNT)
    paid_price = models.DecimalField(**_AMOUNT)
    currency = models.CharField(max_length=3, null=True)
    basket_id = models.CharField(max_length=255, null=True)
    payment_id = models.CharField(**_ID)
    payment_transaction_id = models.CharField(**_ID)
    state = models.CharField(max_length=16, db_index=True)
    result_payment_id = models.CharField(**_ID)
    detail = models.TextField(null=True)
    settled_at = models.FloatField(null=True)

    class Meta:
        db_table = "iyzico_payment_intents"


class WebhookDelivery(models.Model):
    delivery_key = models.CharField(max_length=255, primary_key=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "iyzico_webhook_deliveries"
