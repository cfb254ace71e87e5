"""Verify a certificate's signed credential from files alone: no network, no Django.

The issuer's key comes from its DID document (``--did-document``, the file published at
``https://<host>/.well-known/did.json``) or is given as a Multikey (``--public-key z6Mk…``);
one of the two is required, as nothing is fetched. The status list credential
(``--status-list``) is checked with the same key source before it is believed.

Exit codes: 0 valid and fully checked (signature, dates and, when the credential has a status
entry, revocation); 1 invalid (bad signature, changed field, wrong issuer, expired, or a status
list that fails its own checks); 2 revoked; 3 not fully checked (no key given, revocation not
checked for want of a status list, an unreadable file, or a usage error); 4 status unknown (the
status list is out of date, not yet valid, or has no validity window: an old copy could hide a
later revocation, so it yields neither "valid" nor "invalid").
"""

import argparse
import json
import sys
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from courses.credentials import statuslist
from courses.credentials.dataintegrity import verify
from courses.credentials.did import DidError, public_key_resolver
from courses.credentials.multibase import multikey_to_public_key
from courses.credentials.openbadges import recipient_name

VALID = "valid"
INVALID = "invalid"
REVOKED = "revoked"
UNCHECKED = "unchecked"
STATUS_UNKNOWN = "status_unknown"
EXIT_CODES = {VALID: 0, INVALID: 1, REVOKED: 2, UNCHECKED: 3, STATUS_UNKNOWN: 4}
EXIT_CODES_HELP = (
    "Exit codes: 0 valid, 1 invalid, 2 revoked, 3 not fully checked, "
    "4 status unknown (the status list is out of date: download the current one and run again)."
)


@dataclass(frozen=True)
class Verdict:
    """The outcome for one credential, with the sentence to show a person."""

    state: str
    message: str

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.state]


class _Invalid(Exception):
    """The credential, or the status list vouching for it, fails a check."""


class _CannotCheck(Exception):
    """Something needed for a full check is missing or unreadable."""


class _StatusUnknown(Exception):
    """The status list is genuine but outside its validity window, so it proves nothing now."""


def verify_file(
    credential_path,
    did_document_path=None,
    status_list_path=None,
    public_key: str | None = None,
    now: datetime | None = None,
) -> Verdict:
    """Check the credential file's signature, dates and revocation status."""
    now = now or datetime.now(UTC)
    try:
        credential = _read_json(credential_path, "credential")
        issuer = _issuer_of(credential)
        public_key_for = _key_source(issuer, did_document_path, public_key)
        _check_signed(credential, public_key_for, "credential")
        _check_dates(credential, now, "credential")
        facts = _facts(credential, issuer)
        return _status_verdict(credential, facts, status_list_path, public_key_for, issuer, now)
    except _Invalid as error:
        return Verdict(INVALID, f"INVALID — {error}")
    except _CannotCheck as error:
        return Verdict(UNCHECKED, f"CANNOT CHECK — {error}")


def _read_json(path, what):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise _CannotCheck(f"cannot read the {what} file {path}: {error}") from error


def _issuer_of(credential):
    if not isinstance(credential, dict):
        raise _Invalid("the file does not hold a credential (a JSON object).")
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str) or not issuer_id:
        raise _Invalid("the credential names no issuer.")
    return issuer_id


def _key_source(issuer, did_document_path, public_key):
    if did_document_path and public_key:
        raise _CannotCheck("give either a DID document or a public key, not both.")
    if public_key:
        return _given_key(issuer, public_key)
    if did_document_path:
        return _did_document_keys(issuer, _read_json(did_document_path, "DID document"))
    raise _CannotCheck(
        "no DID document or public key given, so the signature was not checked "
        "(use --did-document FILE or --public-key z6Mk…)."
    )


def _given_key(issuer, multikey):
    try:
        key = multikey_to_public_key(multikey)
    except ValueError as error:
        raise _CannotCheck(f"the public key given is not an Ed25519 Multikey: {error}") from error
    # The key vouches for the issuer's own verification methods only.
    return lambda method: key if method.startswith(f"{issuer}#") else None


def _did_document_keys(issuer, document):
    if not isinstance(document, dict) or document.get("id") != issuer:
        found = document.get("id") if isinstance(document, dict) else None
        raise _Invalid(f"the DID document is for {found}, but the credential's issuer is {issuer}.")
    try:
        return public_key_resolver(document)
    except DidError as error:
        raise _Invalid(f"the DID document cannot be used: {error}") from error


def _check_signed(document, public_key_for, what):
    result = verify(document, public_key_for)
    if not result.ok:
        raise _Invalid(f"the {what}'s proof fails: {result.reason}")


def _check_dates(document, now, what):
    valid_from = _datetime(document.get("validFrom"), f"the {what}'s validFrom")
    valid_until = _datetime(document.get("validUntil"), f"the {what}'s validUntil")
    if valid_from and now < valid_from:
        raise _Invalid(f"the {what} is not valid before {document['validFrom']}.")
    if valid_until and now >= valid_until:
        raise _Invalid(f"the {what} expired on {document['validUntil']}.")


def _datetime(value, what):
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise _Invalid(f"{what} is not a date and time: {value!r}.") from error
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _facts(credential, issuer):
    issued = str(credential.get("validFrom", "an unknown date"))[:10]
    name = recipient_name(credential) or "an unnamed recipient"
    title = credential.get("name") or "an unnamed achievement"
    return f"signed by {issuer}, issued {issued} to {name} for “{title}”"


def _status_verdict(credential, facts, status_list_path, public_key_for, issuer, now):
    entry = _revocation_entry(credential)
    if entry is None:
        return Verdict(VALID, f"VALID — {facts}; the credential has no revocation status.")
    if not status_list_path:
        return Verdict(
            UNCHECKED,
            f"NOT FULLY CHECKED — signature valid: {facts}; "
            "revocation status NOT checked (no status list given).",
        )
    try:
        bits = _checked_status_list(status_list_path, entry, public_key_for, issuer, now)
    except _StatusUnknown as error:
        return Verdict(
            STATUS_UNKNOWN,
            f"STATUS UNKNOWN — signature valid: {facts}; revocation status unknown: the status "
            f"list in {status_list_path} {error}. Download the current status list from "
            f"{entry.get('statusListCredential')} and run again with --status-list.",
        )
    if statuslist.is_set(bits, _index(entry, bits)):
        return Verdict(
            REVOKED, f"REVOKED — {facts}; status: revoked (according to {status_list_path})."
        )
    return Verdict(
        VALID, f"VALID — {facts}; status: not revoked (checked against {status_list_path})."
    )


def _revocation_entry(credential):
    status = credential.get("credentialStatus")
    entries = status if isinstance(status, list) else [status] if status is not None else []
    revocation = [
        entry
        for entry in entries
        if isinstance(entry, dict) and entry.get("statusPurpose") == statuslist.STATUS_PURPOSE
    ]
    if len(entries) != len(revocation) or len(revocation) > 1:
        raise _Invalid("the credential's status is not a single revocation status list entry.")
    if revocation and revocation[0].get("type") != "BitstringStatusListEntry":
        raise _Invalid("the credential's status entry is not a BitstringStatusListEntry.")
    return revocation[0] if revocation else None


def _checked_status_list(path, entry, public_key_for, issuer, now):
    """The bits of the status list file, once it has passed every check."""
    status_list = _read_json(path, "status list")
    if not isinstance(status_list, dict):
        raise _Invalid(f"the status list file {path} does not hold a credential.")
    if status_list.get("id") != entry.get("statusListCredential"):
        raise _Invalid(
            f"the status list in {path} is {status_list.get('id')}, but the credential's "
            f"status is kept in {entry.get('statusListCredential')}."
        )
    if _issuer_of(status_list) != issuer:
        raise _Invalid(f"the status list in {path} was issued by someone else.")
    _check_signed(status_list, public_key_for, "status list")
    _check_fresh(status_list, now)
    return _status_bits(status_list, path)


def _check_fresh(status_list, now):
    """Raise ``_StatusUnknown`` unless ``now`` lies inside the signed list's validity window.

    The window ends at ``validUntil`` or at ``validFrom`` + ``ttl``, whichever comes first.
    """
    valid_from = _datetime(status_list.get("validFrom"), "the status list's validFrom")
    valid_until = _datetime(status_list.get("validUntil"), "the status list's validUntil")
    ends = [valid_until] if valid_until else []
    ttl = _ttl(status_list)
    if valid_from and ttl is not None:
        with suppress(OverflowError):  # a time to live beyond the calendar sets no limit
            ends.append(valid_from + timedelta(milliseconds=ttl))
    if not ends:
        raise _StatusUnknown("has no validity window (validUntil), so it may be out of date")
    if valid_from and now < valid_from:
        start = statuslist.xsd_datetime(valid_from)
        raise _StatusUnknown(f"is not valid before {start} (check this computer's date and time)")
    if now >= min(ends):
        end = statuslist.xsd_datetime(min(ends))
        raise _StatusUnknown(f"is out of date: it was valid until {end}")


def _ttl(status_list):
    subject = status_list.get("credentialSubject")
    ttl = subject.get("ttl") if isinstance(subject, dict) else None
    if ttl is None:
        return None
    if isinstance(ttl, bool) or not isinstance(ttl, int) or ttl < 0:
        raise _Invalid("the status list's ttl is not a whole number of milliseconds.")
    return ttl


def _status_bits(status_list, path):
    subject = status_list.get("credentialSubject")
    if (
        "BitstringStatusListCredential" not in status_list.get("type", [])
        or not isinstance(subject, dict)
        or subject.get("type") != "BitstringStatusList"
        or subject.get("statusPurpose") != statuslist.STATUS_PURPOSE
    ):
        raise _Invalid(f"{path} is not a revocation BitstringStatusListCredential.")
    try:
        return statuslist.decode(subject.get("encodedList"))
    except statuslist.StatusListError as error:
        raise _Invalid(f"the status list in {path}: {error}") from error


def _index(entry, bits):
    index = entry.get("statusListIndex")
    if not (isinstance(index, str) and index.isascii() and index.isdigit()):
        raise _Invalid("the credential's statusListIndex is not a whole number.")
    if int(index) >= len(bits) * 8:
        raise _Invalid("the credential's statusListIndex is outside the status list.")
    return int(index)


class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on usage errors; 2 means revoked here, so use 3."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(EXIT_CODES[UNCHECKED], f"{self.prog}: error: {message}\n")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command-line arguments, shared with ``manage.py verify_credential``."""
    parser.add_argument("credential", help="The signed credential (JSON).")
    parser.add_argument(
        "--did-document", help="The issuer's DID document (its /.well-known/did.json)."
    )
    parser.add_argument("--public-key", help="The issuer's public key as a Multikey (z6Mk…).")
    parser.add_argument("--status-list", help="The signed status list credential (JSON).")


def main(argv=None) -> int:
    """Print the verdict for one credential file; return the exit code."""
    parser = _Parser(
        prog="verify_credential",
        description="Verify an Evidence Academy certificate credential offline.",
        epilog=EXIT_CODES_HELP,
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    verdict = verify_file(args.credential, args.did_document, args.status_list, args.public_key)
    print(verdict.message)
    return verdict.exit_code
