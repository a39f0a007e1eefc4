"""Migrations that rewrite data: run them forwards and backwards on the test database."""

import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gongshang.core.models import OutboxMessage

BEFORE, AFTER = ("core", "0001_initial"), ("core", "0002_outbox_encrypted_expiry")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


@pytest.mark.django_db(transaction=True)
def test_outbox_params_and_body_are_encrypted_by_the_migration_and_back():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO core_outboxmessage (channel, recipient, template, params, body, status, attempts,"
                " last_error, region, created_at) VALUES (%s, %s, %s, %s, %s, 'pending', 0, '', '', %s)",
                ["sms", "enc1:placeholder", "sms_login_code", json.dumps({"code": "135790"}),
                 "验证码135790", "2026-11-01 08:00:00+00:00"])
        migrate(AFTER)
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, params, body, expires_at FROM core_outboxmessage")
            pk, params, body, expires_at = cursor.fetchone()
        assert params.startswith("enc1:") and body.startswith("enc1:")
        assert "135790" not in params + body
        assert expires_at is None
        message = OutboxMessage.objects.only("params", "body").get(pk=pk)
        assert message.params == {"code": "135790"}
        assert message.body == "验证码135790"

        migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute("SELECT params, body FROM core_outboxmessage")
            params, body = cursor.fetchone()
        assert json.loads(params) == {"code": "135790"} and body == "验证码135790"
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(leaves)
        OutboxMessage.objects.all().delete()
