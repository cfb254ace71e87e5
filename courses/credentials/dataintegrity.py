"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (W3C vc-di-eddsa).

The signed bytes are SHA-256(canonical proof configuration) || SHA-256(canonical document),
both canonicalised with RDFC-1.0 over the pinned contexts only. Canonicalisation is strict:
a JSON-LD processor silently drops what the contexts do not define, so a forger could add
unsigned fields to a signed credential; here anything that would be dropped is an error.
"""

import hashlib
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyld import jsonld
from pyld.context_resolver import ContextResolver

from courses.credentials.documents import load_document
from courses.credentials.multibase import decode, encode_base58btc

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
ASSERTION_METHOD = "assertionMethod"
SIGNATURE_LENGTH = 64

# XML Schema dateTime, as the proof's `created` must be.
DATETIME = re.compile(
    r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?\Z", re.ASCII
)
ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
BLANK_NODE = "_:"


class CanonicalizationError(ValueError):
    """The document holds something its contexts do not define, which would not be signed."""


class ProofError(ValueError):
    """A proof that is missing, malformed or of a kind this module does not verify."""


@dataclass(frozen=True)
class Result:
    """The outcome of ``verify``: ``ok``, and in English why not."""

    ok: bool
    reason: str = ""


def canonicalize(document: dict) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document, refusing undefined terms."""
    _reject_nulls(document)
    processor = jsonld.JsonLdProcessor(on_property_dropped=_raise_dropped)
    expanded = processor.expand(document, _options())
    _reject_relative_iris(expanded)
    return processor.normalize(
        expanded, {**_options(), "algorithm": "URDNA2015", "format": "application/n-quads"}
    )


def _options():
    return {
        "documentLoader": load_document,
        # A resolver of our own, so no context cached by other pyld users in this process is used.
        "contextResolver": ContextResolver({}, load_document),
        # No base IRI: pyld would otherwise resolve relative IRIs against http://example.org/base/
        # where other processors drop them; left relative, _reject_relative_iris refuses them.
        "base": None,
    }


def _raise_dropped(term):
    raise CanonicalizationError(
        f"The term {term!r} is not defined by the document's contexts; it would not be signed."
    )


def _reject_nulls(value, path="document"):
    # JSON-LD ignores null values; a signed document has no use for them.
    if value is None:
        raise CanonicalizationError(f"{path} is null; JSON-LD would ignore it.")
    if isinstance(value, dict):
        for key, item in value.items():
            _reject_nulls(item, f"{path}.{key}")
    elif isinstance(value, list):
        for position, item in enumerate(value):
            _reject_nulls(item, f"{path}[{position}]")


def _reject_relative_iris(expanded):
    # Statements about, or pointing at, a relative IRI are left out of the RDF dataset.
    if isinstance(expanded, list):
        for item in expanded:
            _reject_relative_iris(item)
        return
    if not isinstance(expanded, dict):
        return
    if "@id" in expanded:
        _require_absolute(expanded["@id"], "@id")
    if "@type" in expanded and "@value" not in expanded:
        for type_ in expanded["@type"]:
            _require_absolute(type_, "type")
    for key, item in expanded.items():
        if key not in ("@id", "@type", "@value"):
            _reject_relative_iris(item)


def _require_absolute(iri, what):
    if not isinstance(iri, str) or not (iri.startswith(BLANK_NODE) or ABSOLUTE_IRI.match(iri)):
        raise CanonicalizationError(
            f"The {what} {iri!r} is not an absolute IRI or a defined term; it would not be signed."
        )


def hash_data(unsecured_document: dict, proof_options: dict) -> bytes:
    """SHA-256 of the canonical proof configuration, then of the canonical document."""
    config = {**proof_options, "@context": unsecured_document["@context"]}
    config_hash = hashlib.sha256(canonicalize(config).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonicalize(unsecured_document).encode("utf-8")).digest()
    return config_hash + document_hash


def sign(
    document: dict,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: str,
    proof_purpose: str = ASSERTION_METHOD,
) -> dict:
    """A copy of ``document`` with an ``eddsa-rdfc-2022`` proof (``created``: xsd:dateTime)."""
    if "proof" in document:
        raise ProofError("The document already has a proof; proof sets are not supported.")
    if not DATETIME.match(created):
        raise ProofError(f"created {created!r} is not an XML Schema dateTime.")
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    signature = private_key.sign(hash_data(document, proof))
    return {**document, "proof": {**proof, "proofValue": encode_base58btc(signature)}}


def verify(document: dict, public_key_for, proof_purpose: str = ASSERTION_METHOD) -> Result:
    """Check the document's proof; ``public_key_for(verification_method)`` returns a key or None.

    Never raises: anything wrong with the document or its proof gives ``Result(False, reason)``.
    """
    try:
        proof = _proof_of(document)
        _check_proof_kind(proof, proof_purpose)
        signature = _signature_of(proof)
        public_key = public_key_for(proof["verificationMethod"])
        if public_key is None:
            return Result(False, f"Unknown verification method {proof['verificationMethod']}.")
        unsecured = {key: value for key, value in document.items() if key != "proof"}
        options = {
            key: value for key, value in proof.items() if key not in ("proofValue", "@context")
        }
        public_key.verify(signature, hash_data(unsecured, options))
    except InvalidSignature:
        return Result(False, "The signature does not match: the document or its proof was changed.")
    except (ProofError, CanonicalizationError) as error:
        return Result(False, str(error))
    except Exception as error:  # malformed JSON-LD, an unknown context, a broken key: never raise
        return Result(False, f"The document cannot be checked: {_root_cause(error)}")
    return Result(True, "")


def _proof_of(document):
    if not isinstance(document, dict):
        raise ProofError("The document is not a JSON object.")
    proof = document.get("proof")
    if proof is None:
        raise ProofError("The document has no proof.")
    if not isinstance(proof, dict):
        raise ProofError("The proof is not a single JSON object (proof sets are not supported).")
    if "@context" in proof and proof["@context"] != document.get("@context"):
        raise ProofError("The proof's @context differs from the document's.")
    return proof


def _check_proof_kind(proof, proof_purpose):
    if proof.get("type") != PROOF_TYPE:
        raise ProofError(f"The proof type is not {PROOF_TYPE}.")
    if proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(f"The cryptosuite is not {CRYPTOSUITE}.")
    if proof.get("proofPurpose") != proof_purpose:
        raise ProofError(f"The proof purpose is not {proof_purpose}.")
    if not isinstance(proof.get("verificationMethod"), str):
        raise ProofError("The proof has no verification method.")
    created = proof.get("created")
    if created is not None and not (isinstance(created, str) and DATETIME.match(created)):
        raise ProofError("The proof's created date is not an XML Schema dateTime.")


def _signature_of(proof):
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError("The proof value is missing or not multibase base58-btc.")
    try:
        signature = decode(value)
    except ValueError as error:
        raise ProofError(f"The proof value is not base58-btc: {error}") from error
    if len(signature) != SIGNATURE_LENGTH:
        raise ProofError("The proof value is not an Ed25519 signature.")
    return signature


def _root_cause(error):
    while error.__cause__ is not None:
        error = error.__cause__
    return str(error) or type(error).__name__
