"""The rows the migrations create (Wagtail's root page, site, collection, locale, groups and
workflow), kept so that a test which empties the database puts them back.

A transactional test (the live server of the browser tests, ``transaction=True``) ends with
Django's flush, which deletes every row. Run one file at a time, the suite would not notice:
pytest-django runs those tests last. Run on several workers (pytest-xdist, whole files per
worker), a worker may go on to a file of ordinary tests, which expect the migrated database.
So each worker notes the rows once, after creating its test database, and writes them back
after any test that flushed. Content types and permissions are left out: the flush's
post-migrate signal makes them again (with new ids), and the rows point to them by natural key.
"""

from django.apps import apps
from django.core import serializers
from django.db import connection, transaction

SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}

_remembered = []
_remembered_from = [None]  # the test database's name


def remember():
    """Serialise every row the migrations left, each model after the models it points to."""
    _remembered.clear()
    _remembered_from[0] = connection.settings_dict["NAME"]
    kept = []
    for model in apps.get_models():
        meta = model._meta
        if meta.label_lower in SKIPPED or meta.proxy or not meta.managed:
            continue
        if model._base_manager.exists():
            kept.append(model)
    for model in _in_dependency_order(kept):
        rows = model._base_manager.order_by("pk")
        _remembered.append(serializers.serialize("json", rows, use_natural_foreign_keys=True))


def _in_dependency_order(models):
    ordered, waiting = [], list(models)
    while waiting:
        for model in waiting:
            targets = {
                field.related_model
                for field in model._meta.concrete_fields
                if field.is_relation and field.related_model is not model
            }
            if not targets & (set(waiting) - {model}):
                ordered.append(model)
                waiting.remove(model)
                break
        else:  # a cycle: keep the rest as found, the constraint check decides
            ordered.extend(waiting)
            break
    return ordered


def noted():
    """Rows were noted, and the connection is still to the test database they came from."""
    return bool(_remembered) and connection.settings_dict["NAME"] == _remembered_from[0]


def flushed():
    """True when the migrated rows are gone (the root collection is the sentinel)."""
    from wagtail.models import Collection

    return not Collection.objects.exists()


def restore():
    """Write the remembered rows back, checking foreign keys once all are in."""
    with transaction.atomic(), connection.constraint_checks_disabled():
        for data in _remembered:
            for item in serializers.deserialize("json", data, handle_forward_references=True):
                item.save()
        connection.check_constraints()
