"""The issuer's ``did:web`` identifier and DID document, and key lookup for ``verify``.

Key rotation: the current key signs new credentials; old keys stay in the document, under both
``verificationMethod`` and ``assertionMethod``, so that credentials they signed still verify.
Removing a key from the document (for example after it leaked) makes everything it signed
unverifiable, on purpose.
"""

from collections.abc import Callable
from urllib.parse import quote

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from courses.credentials.documents import MULTIKEY_V1
from courses.credentials.multibase import multikey_to_public_key

# DID Core requires its own context first. It is not pinned because nothing here processes a
# DID document as JSON-LD (it is never signed or canonicalised): verify() reads it as JSON.
DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY = "Multikey"
ASSERTION_METHOD = "assertionMethod"


class DidError(ValueError):
    """A host that cannot be a did:web, or a DID document without an identifier."""


def did_web(host: str) -> str:
    """``did:web:<host>``, a port's colon percent-encoded (``did:web:localhost%3A8000``)."""
    host = host.strip().lower()
    if not host or "/" in host or "%" in host or host.count(":") > 1:
        raise DidError(f"{host!r} is not a host name with an optional port.")
    return "did:web:" + quote(host, safe="")


def did_document_url(did: str) -> str:
    """Where a ``did:web`` (without a path) publishes its DID document."""
    prefix = "did:web:"
    if not did.startswith(prefix) or ":" in did[len(prefix) :]:
        raise DidError(f"{did!r} is not a did:web without a path.")
    host = did[len(prefix) :].replace("%3A", ":").replace("%3a", ":")
    return f"https://{host}/.well-known/did.json"


def verification_method_id(did: str, multikey: str) -> str:
    """The id under which ``multikey`` is listed in the DID document."""
    return f"{did}#{multikey}"


def did_document(did: str, current_multikey: str, old_multikeys=()) -> dict:
    """The DID document listing the current key first, then the old keys still trusted."""
    multikeys = [current_multikey, *(key for key in old_multikeys if key != current_multikey)]
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": [_verification_method(did, key) for key in multikeys],
        ASSERTION_METHOD: [verification_method_id(did, key) for key in multikeys],
    }


def _verification_method(did, multikey):
    return {
        "id": verification_method_id(did, multikey),
        "type": MULTIKEY,
        "controller": did,
        "publicKeyMultibase": multikey,
    }


def public_key_resolver(
    did_document: dict, relationship: str = ASSERTION_METHOD
) -> Callable[[str], Ed25519PublicKey | None]:
    """A ``public_key_for`` for ``verify``: keys the document lists for ``relationship``."""
    did = did_document.get("id") if isinstance(did_document, dict) else None
    if not isinstance(did, str) or not did:
        raise DidError("The DID document has no id.")
    methods = _multikeys_by_id(did, did_document, relationship)
    allowed = _relationship_ids(did, did_document, relationship, methods)

    def public_key_for(verification_method: str) -> Ed25519PublicKey | None:
        if verification_method not in allowed:
            return None
        try:
            return multikey_to_public_key(methods[verification_method])
        except ValueError:
            return None

    return public_key_for


def _absolute(did, method_id):
    return did + method_id if method_id.startswith("#") else method_id


def _multikeys_by_id(did, document, relationship):
    """Verification method id → publicKeyMultibase, for the DID's own Multikeys."""
    methods = {}
    embedded = [item for item in _as_list(document.get(relationship)) if isinstance(item, dict)]
    for method in [*_as_list(document.get("verificationMethod")), *embedded]:
        if not isinstance(method, dict) or not isinstance(method.get("id"), str):
            continue
        method_id = _absolute(did, method["id"])
        if (
            method_id.startswith(did + "#")
            and method.get("type") == MULTIKEY
            and method.get("controller") == did
        ):
            methods[method_id] = method.get("publicKeyMultibase")
    return methods


def _relationship_ids(did, document, relationship, methods):
    ids = set()
    for item in _as_list(document.get(relationship)):
        method_id = item.get("id") if isinstance(item, dict) else item
        if isinstance(method_id, str):
            ids.add(_absolute(did, method_id))
    return ids & methods.keys()


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
