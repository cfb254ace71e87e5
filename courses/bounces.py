"""Bounces and complaints: which addresses no mail goes to.

A permanent bounce or a complaint (from the mail provider's webhook, or an operator's
``manage.py record_bounce``) puts the address on the suppression list; a soft bounce is
only recorded. Mail to a suppressed address is not sent: checked when it is queued and again
when the worker sends it (courses/emails.py). The owner sees it on their profile and may
change their address or ask to try again, which takes the address off the list.
"""

import hashlib
import hmac
import json

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from courses.models.mail import (
    BounceKind,
    BounceReport,
    ReportSource,
    SuppressedAddress,
    SuppressionReason,
)

SIGNATURE_HEADER = "X-Mail-Signature"


class BadReport(ValueError):
    """A webhook body that is not a report we understand."""


def normalised(address):
    return (address or "").strip().lower()


def record(address, kind, *, permanent, source):
    """Record one report; suppress the address for a permanent bounce or a complaint.
    Returns the SuppressedAddress, or None when the report does not suppress."""
    address = normalised(address)
    with transaction.atomic():
        BounceReport.objects.create(address=address, kind=kind, permanent=permanent, source=source)
        if kind == BounceKind.BOUNCE and not permanent:
            return None
        reason = (
            SuppressionReason.COMPLAINT
            if kind == BounceKind.COMPLAINT
            else SuppressionReason.HARD_BOUNCE
        )
        suppressed, _created = SuppressedAddress.objects.update_or_create(
            address=address, defaults={"reason": reason, "source": source}
        )
    return suppressed


def suppressed(addresses):
    """Those of ``addresses`` (any case) that are on the list, in lower case."""
    wanted = {normalised(address) for address in addresses if address}
    if not wanted:
        return set()
    return set(
        SuppressedAddress.objects.filter(address__in=wanted).values_list("address", flat=True)
    )


def suppression_for(address):
    """The SuppressedAddress row of ``address``, or None."""
    if not address:
        return None
    return SuppressedAddress.objects.filter(address=normalised(address)).first()


def clear(address):
    """Take ``address`` off the list (its owner asked to try again). True if it was on it."""
    deleted, _rows = SuppressedAddress.objects.filter(address=normalised(address)).delete()
    return deleted > 0


# --- The provider's webhook ------------------------------------------------------------------


def signature(secret, body):
    """The hex HMAC-SHA256 of ``body`` (bytes) with ``secret``."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signed(secret, body, given):
    """Whether ``given`` (the header's value, "sha256=" prefix allowed) signs ``body``."""
    given = (given or "").strip().removeprefix("sha256=")
    return hmac.compare_digest(signature(secret, body).encode(), given.encode("utf-8", "replace"))


def parse(body):
    """(address, kind, permanent) from a webhook body; BadReport for anything else."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise BadReport("not JSON") from error
    if not isinstance(data, dict):
        raise BadReport("not an object")
    kind, address, permanent = data.get("type"), data.get("email"), data.get("permanent", False)
    if kind not in BounceKind.values:
        raise BadReport("unknown type")
    if not isinstance(permanent, bool):
        raise BadReport("permanent is not true or false")
    if not isinstance(address, str) or len(address) > 254 or "\x00" in address:
        raise BadReport("no address")
    try:
        validate_email(address.strip())
    except ValidationError as error:
        raise BadReport("not an address") from error
    return address, kind, permanent


def from_webhook(body):
    """Record the report a signed webhook body holds (BadReport if it holds none)."""
    address, kind, permanent = parse(body)
    return record(address, kind, permanent=permanent, source=ReportSource.WEBHOOK)
