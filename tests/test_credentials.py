"""Signed certificate credentials: eddsa-rdfc-2022 proofs, did:web keys, revocation, offline checks.

The W3C vc-di-eddsa test vectors are copied into tests/fixtures/vc/ so that nothing outside the
repository is read.
"""

import copy
import dataclasses
import gzip
import hashlib
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path

from django.core.management import call_command

import pytest

from courses.credentials import dataintegrity, did, keys, multibase, offline, openbadges, statuslist
from courses.credentials.dataintegrity import CanonicalizationError, canonicalize, sign, verify
from courses.credentials.documents import UnknownDocumentError, load_document

ROOT = Path(__file__).resolve().parent.parent
VECTORS = Path(__file__).parent / "fixtures" / "vc"
SCRIPT = ROOT / "scripts" / "verify_credential.py"

HOST = "academy.example:8443"
LIST_URL = "https://academy.example:8443/credentials/status/1"
CREATED = "2026-11-23T10:00:00Z"
SIGNED_AT = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # CREATED, as a datetime
DAY = timedelta(hours=24)
INDEX = 40_961


def vector_text(name):
    return (VECTORS / name).read_text(encoding="utf-8")


def vector_json(name):
    return json.loads(vector_text(name))


def write_json(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def changed(document, path, value):
    """A deep copy of ``document`` with the value at ``path`` (a tuple of keys) replaced."""
    document = copy.deepcopy(document)
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return document


@pytest.fixture(scope="module")
def vector_key():
    return keys.load_private_key(vector_json("keyPair.json")["privateKeyMultibase"])


def any_method(public_key):
    """A key source that answers every verification method with ``public_key``."""
    return lambda _method: public_key


# --- The W3C eddsa-rdfc-2022 test vector ---------------------------------------------------


class TestW3cVector:
    def test_the_secret_multikey_gives_the_vector_public_key(self, vector_key):
        assert keys.public_multikey(vector_key) == vector_json("keyPair.json")["publicKeyMultibase"]

    def test_the_canonical_document_matches(self):
        assert canonicalize(vector_json("unsigned.json")) == vector_text("canonDocDataInt.txt")

    def test_the_canonical_proof_configuration_matches(self):
        config = vector_json("proofConfigDataInt.json")
        assert canonicalize(config) == vector_text("proofCanonDataInt.txt")

    def test_the_hashes_match(self):
        document_hash = hashlib.sha256(vector_text("canonDocDataInt.txt").encode()).hexdigest()
        proof_hash = hashlib.sha256(vector_text("proofCanonDataInt.txt").encode()).hexdigest()
        assert document_hash == vector_text("docHashDataInt.txt").strip()
        assert proof_hash == vector_text("proofHashDataInt.txt").strip()

        options = vector_json("proofConfigDataInt.json")
        del options["@context"]
        combined = dataintegrity.hash_data(vector_json("unsigned.json"), options)
        assert combined.hex() == vector_text("combinedHashDataInt.txt").strip()
        assert combined.hex() == proof_hash + document_hash

    def test_signing_reproduces_the_signature_and_the_signed_credential(self, vector_key):
        config = vector_json("proofConfigDataInt.json")
        signed = sign(
            vector_json("unsigned.json"),
            vector_key,
            config["verificationMethod"],
            config["created"],
        )
        proof_value = signed["proof"]["proofValue"]
        assert proof_value == vector_text("sigBTC58DataInt.txt").strip()
        assert multibase.decode(proof_value).hex() == vector_text("sigHexDataInt.txt").strip()
        assert signed == vector_json("signedDataInt.json")

    def test_verify_accepts_the_signed_vector(self, vector_key):
        result = verify(vector_json("signedDataInt.json"), any_method(vector_key.public_key()))
        assert result.ok, result.reason

    def test_verify_uses_the_public_key_for_the_proof_verification_method(self, vector_key):
        asked = []
        signed = vector_json("signedDataInt.json")
        verify(signed, lambda method: asked.append(method) or vector_key.public_key())
        assert asked == [signed["proof"]["verificationMethod"]]


SIGNED_VECTOR_CHANGES = [
    (("id",), "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc34"),
    (("type",), ["VerifiableCredential", "ForgedCredential"]),
    (("name",), "Alumni Credential (forged)"),
    (("description",), "A forged Alumni Credential."),
    (("issuer",), "https://vc.example/issuers/9999"),
    (("validFrom",), "2023-01-02T00:00:00Z"),
    (("credentialSubject", "id"), "did:example:forger"),
    (("credentialSubject", "alumniOf"), "The School of Forgeries"),
    (("proof", "created"), "2023-02-25T23:36:38Z"),
    (
        ("proof", "verificationMethod"),
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#other",
    ),
]


class TestTampering:
    @pytest.mark.parametrize(
        ("path", "value"),
        SIGNED_VECTOR_CHANGES,
        ids=[".".join(p) for p, _ in SIGNED_VECTOR_CHANGES],
    )
    def test_changing_a_signed_field_fails(self, vector_key, path, value):
        forged = changed(vector_json("signedDataInt.json"), path, value)
        result = verify(forged, any_method(vector_key.public_key()))
        assert not result.ok
        assert "signature does not match" in result.reason

    def test_every_top_level_field_of_the_vector_is_covered(self):
        covered = {path[0] for path, _ in SIGNED_VECTOR_CHANGES}
        # @context is covered by the tests below that drop or add a context.
        assert set(vector_json("signedDataInt.json")) - covered == {"@context"}

    def test_adding_a_field_fails(self, vector_key):
        # The examples context has an @vocab, so the field is signed data that was not signed.
        forged = changed(vector_json("signedDataInt.json"), ("honours",), "summa cum laude")
        assert not verify(forged, any_method(vector_key.public_key())).ok

    def test_dropping_the_context_that_defines_a_field_fails(self, vector_key):
        forged = changed(
            vector_json("signedDataInt.json"),
            ("@context",),
            ["https://www.w3.org/ns/credentials/v2"],
        )
        result = verify(forged, any_method(vector_key.public_key()))
        assert not result.ok
        assert "alumniOf" in result.reason

    def test_a_context_that_is_not_pinned_is_never_fetched(self, vector_key):
        signed = vector_json("signedDataInt.json")
        forged = changed(signed, ("@context",), [*signed["@context"], "https://evil.example/ctx"])
        result = verify(forged, any_method(vector_key.public_key()))
        assert not result.ok
        assert "https://evil.example/ctx" in result.reason
        assert "never fetched" in result.reason

    def test_a_wrong_key_fails(self):
        other_key = keys.generate_private_key().public_key()
        result = verify(vector_json("signedDataInt.json"), any_method(other_key))
        assert not result.ok
        assert "signature does not match" in result.reason

    def test_an_unknown_verification_method_fails(self):
        result = verify(vector_json("signedDataInt.json"), lambda _method: None)
        assert not result.ok
        assert "Unknown verification method" in result.reason

    @pytest.mark.parametrize(
        ("change", "reason"),
        [
            (lambda d: d.pop("proof"), "no proof"),
            (lambda d: d.update(proof=[d["proof"]]), "not a single JSON object"),
            (lambda d: d["proof"].update(type="Ed25519Signature2020"), "proof type"),
            (lambda d: d["proof"].update(cryptosuite="eddsa-jcs-2022"), "cryptosuite"),
            (lambda d: d["proof"].update(proofPurpose="authentication"), "proof purpose"),
            (lambda d: d["proof"].pop("proofValue"), "proof value"),
            (lambda d: d["proof"].update(proofValue="u" + "A" * 86), "base58-btc"),
            (lambda d: d["proof"].update(proofValue="z0OIl"), "base58-btc"),
            (lambda d: d["proof"].update(proofValue="z2YwC8z3ap7y"), "Ed25519 signature"),
            (lambda d: d["proof"].update(created="yesterday"), "dateTime"),
            (lambda d: d["proof"].update(nonce="unsigned"), "signature does not match"),
        ],
    )
    def test_a_missing_or_malformed_proof_fails_without_raising(self, vector_key, change, reason):
        document = vector_json("signedDataInt.json")
        change(document)
        result = verify(document, any_method(vector_key.public_key()))
        assert not result.ok
        assert reason in result.reason

    @pytest.mark.parametrize("document", [None, [], "credential", {"proof": "z123"}])
    def test_a_document_that_is_not_a_credential_fails_without_raising(self, document):
        assert not verify(document, lambda _method: None).ok


# --- Strict canonicalisation: nothing may be silently dropped -----------------------------


class TestStrictCanonicalization:
    def test_an_undefined_term_raises(self, credential):
        with pytest.raises(CanonicalizationError, match="'nickname'"):
            canonicalize({**credential, "nickname": "The Forger"})

    @pytest.mark.parametrize(
        "path",
        [("honours",), ("credentialSubject", "honours"), ("credentialSubject", "achievement", "x")],
    )
    def test_adding_an_undefined_term_to_a_signed_credential_fails(self, signed, issuer, path):
        forged = changed(signed, path, "summa cum laude")
        # Without the strict check the canonical form, and so the signature, would not change.
        result = verify(forged, issuer.resolver)
        assert not result.ok
        assert "not defined" in result.reason

    def test_an_undefined_type_fails(self, signed, issuer):
        forged = changed(signed, ("type",), [*signed["type"], "DoctoralDegree"])
        result = verify(forged, issuer.resolver)
        assert not result.ok
        assert "DoctoralDegree" in result.reason

    def test_a_relative_id_fails(self, signed, issuer):
        forged = changed(signed, ("credentialSubject", "id"), "learner-42")
        assert "learner-42" in verify(forged, issuer.resolver).reason

    def test_a_null_value_fails(self, signed, issuer):
        forged = changed(signed, ("validUntil",), None)
        assert "null" in verify(forged, issuer.resolver).reason

    def test_the_loader_serves_only_pinned_contexts(self):
        document = load_document("https://www.w3.org/ns/credentials/v2")["document"]
        assert document["@context"]["VerifiableCredential"]
        with pytest.raises(UnknownDocumentError):
            load_document("https://www.w3.org/ns/did/v1")

    def test_the_loader_hands_out_copies(self):
        load_document("https://w3id.org/security/multikey/v1")["document"].clear()
        assert load_document("https://w3id.org/security/multikey/v1")["document"]


# --- Multibase and keys -------------------------------------------------------------------


class TestMultibase:
    def test_base58_matches_known_values_and_keeps_leading_zeros(self):
        assert multibase.base58_encode(b"Hello World!") == "2NEpo7TZRRrLZSi2U"
        assert multibase.base58_encode(b"\0\0\x01") == "112"
        assert multibase.base58_decode("112") == b"\0\0\x01"
        assert multibase.base58_encode(b"") == ""

    def test_round_trips(self):
        data = bytes(range(256))
        assert multibase.decode(multibase.encode_base58btc(data)) == data
        assert multibase.decode(multibase.encode_base64url(data)) == data
        assert multibase.encode_base64url(b"\xff\xfe") == "u__4"

    @pytest.mark.parametrize("text", ["", "x123", "z0OIl", "u__4=", "u+/"])
    def test_bad_multibase_raises(self, text):
        with pytest.raises(multibase.MultibaseError):
            multibase.decode(text)

    def test_public_multikey_round_trip(self):
        public_key = keys.generate_private_key().public_key()
        text = multibase.public_key_to_multikey(public_key)
        assert text.startswith("z6Mk")
        assert multibase.multikey_to_public_key(text) == public_key

    def test_a_secret_multikey_is_not_a_public_one(self):
        secret = vector_json("keyPair.json")["privateKeyMultibase"]
        with pytest.raises(multibase.MultibaseError):
            multibase.multikey_to_public_key(secret)


class TestKeys:
    def test_pem_round_trip_as_bytes_and_text(self):
        key = keys.generate_private_key()
        pem = keys.private_key_to_pem(key)
        assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
        assert keys.public_multikey(keys.load_private_key(pem)) == keys.public_multikey(key)
        assert keys.public_multikey(keys.load_private_key(pem.decode())) == keys.public_multikey(
            key
        )

    def test_secret_multikey_round_trip(self):
        key = keys.generate_private_key()
        secret = multibase.secret_key_to_multikey(key)
        assert secret.startswith("z3u2")
        assert keys.public_multikey(keys.load_private_key(secret)) == keys.public_multikey(key)

    def test_public_multikey_of_a_public_key(self):
        key = keys.generate_private_key()
        assert keys.public_multikey(key.public_key()) == keys.public_multikey(key)

    @pytest.mark.parametrize(
        "secret", ["", "not a key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"]
    )
    def test_garbage_is_refused(self, secret):
        with pytest.raises(keys.InvalidKeyError):
            keys.load_private_key(secret)


# --- Bitstring Status List ----------------------------------------------------------------


class TestStatusList:
    def test_a_new_list_has_the_minimum_size_and_nothing_set(self):
        bits = statuslist.new_list()
        assert len(bits) * 8 == statuslist.LIST_SIZE >= 131072
        assert not any(bits)

    def test_encode_decode_round_trip(self):
        bits = statuslist.new_list()
        statuslist.set_bit(bits, INDEX)
        encoded = statuslist.encode(bits)
        assert encoded.startswith("u")
        assert "=" not in encoded
        assert gzip.decompress(multibase.decode(encoded)) == bytes(bits)
        assert statuslist.decode(encoded) == bits

    def test_index_zero_is_the_most_significant_bit_of_the_first_byte(self):
        bits = statuslist.new_list()
        statuslist.set_bit(bits, 0)
        assert bits[0] == 0x80
        statuslist.set_bit(bits, 7)
        statuslist.set_bit(bits, 8)
        assert bits[:2] == bytearray([0x81, 0x80])

    def test_is_set_and_clearing(self):
        bits = statuslist.new_list()
        statuslist.set_bit(bits, INDEX)
        assert statuslist.is_set(bits, INDEX)
        assert not statuslist.is_set(bits, INDEX - 1)
        assert not statuslist.is_set(bits, INDEX + 1)
        statuslist.set_bit(bits, INDEX, False)
        assert not any(bits)

    @pytest.mark.parametrize("index", [-1, statuslist.LIST_SIZE])
    def test_an_index_outside_the_list_raises(self, index):
        with pytest.raises(statuslist.StatusListError):
            statuslist.is_set(statuslist.new_list(), index)

    def test_a_short_list_is_refused(self):
        short = bytearray(statuslist.LIST_SIZE // 8 - 1)
        with pytest.raises(statuslist.StatusListError):
            statuslist.encode(short)
        with pytest.raises(statuslist.StatusListError):
            statuslist.decode(multibase.encode_base64url(gzip.compress(bytes(short))))

    @pytest.mark.parametrize(
        "encoded",
        [
            "z" + multibase.base58_encode(gzip.compress(bytes(16384))),  # not base64url
            multibase.encode_base64url(bytes(16384)),  # not gzipped
            multibase.encode_base64url(gzip.compress(bytes(16384))[:-9]),  # truncated
            multibase.encode_base64url(gzip.compress(bytes(statuslist.MAX_LIST_BYTES + 1))),
        ],
        ids=["base58", "not-gzip", "truncated", "too-large"],
    )
    def test_a_bad_encoded_list_is_refused(self, encoded):
        with pytest.raises(statuslist.StatusListError):
            statuslist.decode(encoded)

    def test_status_entry(self):
        assert statuslist.status_entry(LIST_URL, 42) == {
            "id": f"{LIST_URL}#42",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "42",
            "statusListCredential": LIST_URL,
        }

    def test_the_status_list_credential_is_signable(self, issuer):
        bits = statuslist.new_list()
        credential = statuslist.status_list_credential(LIST_URL, issuer.did, bits, SIGNED_AT, DAY)
        assert credential["credentialSubject"]["id"] == f"{LIST_URL}#list"
        assert credential["credentialSubject"]["type"] == "BitstringStatusList"
        assert statuslist.decode(credential["credentialSubject"]["encodedList"]) == bits
        assert verify(issuer.sign(credential), issuer.resolver).ok

    def test_the_status_list_credential_carries_its_validity_window(self):
        signed_at = datetime(2026, 11, 23, 10, 0, 0, 987_654, tzinfo=UTC)
        credential = statuslist.status_list_credential(
            LIST_URL, "did:web:academy.example", statuslist.new_list(), signed_at, 2 * DAY
        )
        assert credential["validFrom"] == "2026-11-23T10:00:00Z"
        assert credential["validUntil"] == "2026-11-25T10:00:00Z"
        assert credential["credentialSubject"]["ttl"] == 2 * 24 * 3600 * 1000  # milliseconds
        canonicalize(credential)  # the pinned contexts define validUntil and ttl

    @pytest.mark.parametrize("validity", [timedelta(0), -DAY])
    def test_a_validity_window_that_is_not_positive_is_refused(self, validity):
        with pytest.raises(statuslist.StatusListError, match="positive"):
            statuslist.status_list_credential(
                LIST_URL, "did:web:academy.example", statuslist.new_list(), SIGNED_AT, validity
            )

    @pytest.mark.parametrize(
        ("path", "value"),
        [(("validUntil",), "2099-01-01T00:00:00Z"), (("credentialSubject", "ttl"), 10**12)],
    )
    def test_lengthening_the_window_breaks_the_signature(self, issuer, path, value):
        signed_list = issuer.sign(
            statuslist.status_list_credential(
                LIST_URL, issuer.did, statuslist.new_list(), SIGNED_AT, DAY
            )
        )
        assert verify(signed_list, issuer.resolver).ok
        assert not verify(changed(signed_list, path, value), issuer.resolver).ok


# --- did:web and key rotation -------------------------------------------------------------


class Issuer:
    """An issuer with a current key and an old one, as its DID document lists them."""

    def __init__(self):
        self.did = did.did_web(HOST)
        self.key = keys.generate_private_key()
        self.old_key = keys.generate_private_key()
        self.document = did.did_document(
            self.did, keys.public_multikey(self.key), [keys.public_multikey(self.old_key)]
        )
        self.resolver = did.public_key_resolver(self.document)

    def method(self, key=None):
        return did.verification_method_id(self.did, keys.public_multikey(key or self.key))

    def sign(self, document, key=None, created=CREATED):
        return sign(document, key or self.key, self.method(key), created)


@pytest.fixture(scope="module")
def issuer():
    return Issuer()


class TestDidWeb:
    def test_did_web_of_a_host(self):
        assert did.did_web("Academy.Example") == "did:web:academy.example"

    def test_a_port_colon_is_percent_encoded(self):
        assert did.did_web(HOST) == "did:web:academy.example%3A8443"
        assert did.did_document_url(did.did_web(HOST)) == (
            "https://academy.example:8443/.well-known/did.json"
        )

    @pytest.mark.parametrize("host", ["", "https://academy.example", "a.example/path", "a:1:2"])
    def test_a_host_that_cannot_be_a_did_web_raises(self, host):
        with pytest.raises(did.DidError):
            did.did_web(host)

    def test_the_document_lists_the_current_key_first_then_the_old_ones(self, issuer):
        current, old = keys.public_multikey(issuer.key), keys.public_multikey(issuer.old_key)
        document = issuer.document
        assert document["id"] == issuer.did
        assert [method["publicKeyMultibase"] for method in document["verificationMethod"]] == [
            current,
            old,
        ]
        assert document["assertionMethod"] == [f"{issuer.did}#{current}", f"{issuer.did}#{old}"]
        for method in document["verificationMethod"]:
            assert method["type"] == "Multikey"
            assert method["controller"] == issuer.did

    def test_a_credential_signed_with_the_old_key_still_verifies(self, issuer, credential):
        result = verify(issuer.sign(credential, issuer.old_key), issuer.resolver)
        assert result.ok, result.reason

    def test_a_key_not_in_the_document_fails(self, issuer, credential):
        stranger = keys.generate_private_key()
        result = verify(issuer.sign(credential, stranger), issuer.resolver)
        assert not result.ok
        assert "Unknown verification method" in result.reason

    def test_a_key_the_document_no_longer_lists_fails(self, issuer, credential):
        signed = issuer.sign(credential, issuer.old_key)
        rotated = did.did_document(issuer.did, keys.public_multikey(issuer.key))
        assert not verify(signed, did.public_key_resolver(rotated)).ok

    def test_a_key_listed_but_not_for_assertion_is_not_used(self, issuer):
        document = copy.deepcopy(issuer.document)
        document["assertionMethod"] = document["assertionMethod"][:1]
        resolver = did.public_key_resolver(document)
        assert resolver(issuer.method()) is not None
        assert resolver(issuer.method(issuer.old_key)) is None


# --- Open Badges 3.0 credentials ----------------------------------------------------------


def make_claim(name="Nguyễn Thị Minh Khai", **changes):
    values = {
        "code": "7KQ2-M9XD-4HFT-X",
        "verify_url": "https://academy.example:8443/v/7KQ2M9XD4HFTX",
        "name": name,
        "course_title": "Electronic evidence and human rights",
        "course_url": "https://academy.example:8443/en/courses/electronic-evidence/",
        "kind": "completion",
        "kind_label": "Certificate of completion",
        "language": "en",
        "issued_on": date(2026, 11, 23),
        "hours": Decimal("12.0"),
        "score": Decimal("85.50"),
        "issuer_name": "Evidence Academy",
        "issuer_url": "https://academy.example:8443/",
        "achievement_id": "https://academy.example:8443/achievements/electronic-evidence/completion",
        "description": "Completed the four modules and passed the final test.",
    }
    return openbadges.CertificateClaim(**{**values, **changes})


@pytest.fixture(scope="module")
def credential(issuer):
    return openbadges.build_credential(
        make_claim(), issuer.did, statuslist.status_entry(LIST_URL, INDEX)
    )


@pytest.fixture(scope="module")
def signed(issuer, credential):
    return issuer.sign(credential)


class TestOpenBadgeCredential:
    def test_the_credential_says_what_the_certificate_says(self, credential, issuer):
        assert credential["@context"] == [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ]
        assert credential["id"] == "https://academy.example:8443/v/7KQ2M9XD4HFTX"
        assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
        assert credential["issuer"]["id"] == issuer.did
        assert credential["issuer"]["type"] == ["Profile"]
        assert credential["validFrom"] == "2026-11-23T00:00:00Z"
        assert (
            credential["name"] == "Certificate of completion: Electronic evidence and human rights"
        )
        subject = credential["credentialSubject"]
        assert subject["identifier"] == [
            {
                "type": "IdentityObject",
                "identityHash": "Nguyễn Thị Minh Khai",
                "identityType": "name",
                "hashed": False,
            }
        ]
        achievement = subject["achievement"]
        assert achievement["achievementType"] == "CertificateOfCompletion"
        assert achievement["criteria"]["id"].endswith("/courses/electronic-evidence/")
        assert achievement["inLanguage"] == "en"
        values = {result["resultDescription"]: result["value"] for result in subject["result"]}
        assert values == {
            f"{achievement['id']}#score": "85.5",
            f"{achievement['id']}#hours": "12",
        }
        assert credential["credentialStatus"]["statusListIndex"] == str(INDEX)

    def test_every_term_is_defined_by_the_pinned_contexts(self, credential):
        assert "IdentityObject" in canonicalize(credential)

    def test_without_score_or_hours_there_is_no_result(self, issuer):
        claim = make_claim(kind="attendance", kind_label="Certificate of attendance", score=None)
        claim = dataclasses.replace(claim, hours=None)
        credential = openbadges.build_credential(
            claim, issuer.did, statuslist.status_entry(LIST_URL, 1)
        )
        assert "result" not in credential["credentialSubject"]
        assert "resultDescription" not in credential["credentialSubject"]["achievement"]
        assert credential["credentialSubject"]["achievement"]["achievementType"] == "Certificate"
        assert verify(issuer.sign(credential), issuer.resolver).ok

    def test_the_course_version_is_the_achievements_signed_version(self, issuer, credential):
        assert "version" not in credential["credentialSubject"]["achievement"]
        versioned = openbadges.build_credential(
            make_claim(course_version=2), issuer.did, statuslist.status_entry(LIST_URL, 2)
        )
        assert versioned["credentialSubject"]["achievement"]["version"] == "2"
        assert "ob/vocab.html#version" in canonicalize(versioned)  # a defined term, kept
        signed = issuer.sign(versioned)
        assert verify(signed, issuer.resolver).ok
        assert not verify(
            changed(signed, ("credentialSubject", "achievement", "version"), "1"), issuer.resolver
        ).ok

    def test_an_unknown_kind_raises(self, issuer):
        with pytest.raises(ValueError, match="kind"):
            openbadges.build_credential(make_claim(kind="honorary"), issuer.did, {})

    def test_an_aware_datetime_is_given_in_utc(self):
        issued = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
        assert openbadges.valid_from(issued) == "2026-11-23T09:30:00Z"

    @pytest.mark.parametrize(
        ("name", "language"),
        [("محمد بن عبد الله", "ar"), ("王小明", "zh-hans"), ("Nguyễn Thị Minh Khai", "vi")],
    )
    def test_sign_and_verify_names_in_any_script(self, issuer, name, language):
        claim = make_claim(name=name, language=language)
        signed = issuer.sign(
            openbadges.build_credential(claim, issuer.did, statuslist.status_entry(LIST_URL, 7))
        )
        assert verify(signed, issuer.resolver).ok
        assert openbadges.recipient_name(signed) == name

        # Survives a round trip through a file written without ASCII escapes.
        assert verify(json.loads(json.dumps(signed, ensure_ascii=False)), issuer.resolver).ok

        forged = copy.deepcopy(signed)
        forged["credentialSubject"]["identifier"][0]["identityHash"] = name + " "
        assert not verify(forged, issuer.resolver).ok


# --- Offline verification -----------------------------------------------------------------


@pytest.fixture
def files(tmp_path, issuer, signed):
    """The credential, the issuer's DID document and a status list with nothing revoked."""
    bits = statuslist.new_list()
    return {
        "credential": write_json(tmp_path / "credential.json", signed),
        "did": write_json(tmp_path / "did.json", issuer.document),
        "status": write_json(tmp_path / "status.json", signed_list(issuer, bits)),
        "dir": tmp_path,
    }


def signed_list(issuer, bits, list_url=LIST_URL, valid_from=None, validity=DAY):
    """A status list valid for ``validity`` from ``valid_from``: by default fresh right now."""
    if valid_from is None:
        valid_from = datetime.now(UTC) - timedelta(minutes=1)
    unsigned = statuslist.status_list_credential(list_url, issuer.did, bits, valid_from, validity)
    return issuer.sign(unsigned, created=unsigned["validFrom"])


def revoked_bits(index=INDEX):
    bits = statuslist.new_list()
    statuslist.set_bit(bits, index)
    return bits


class TestVerifyFile:
    def test_a_valid_credential(self, files, issuer):
        verdict = offline.verify_file(files["credential"], files["did"], files["status"])
        assert verdict.state == offline.VALID
        assert verdict.exit_code == 0
        assert verdict.message.startswith(f"VALID — signed by {issuer.did}, issued 2026-11-23")
        assert "to Nguyễn Thị Minh Khai" in verdict.message
        assert "Electronic evidence and human rights" in verdict.message
        assert f"not revoked (checked against {files['status']})" in verdict.message

    def test_a_revoked_credential(self, files, issuer):
        write_json(files["status"], signed_list(issuer, revoked_bits()))
        verdict = offline.verify_file(files["credential"], files["did"], files["status"])
        assert (verdict.state, verdict.exit_code) == (offline.REVOKED, 2)
        assert verdict.message.startswith("REVOKED — ")

    def test_another_revoked_index_leaves_the_credential_valid(self, files, issuer):
        write_json(files["status"], signed_list(issuer, revoked_bits(INDEX + 1)))
        assert (
            offline.verify_file(files["credential"], files["did"], files["status"]).exit_code == 0
        )

    def test_a_tampered_status_list_is_rejected(self, files, issuer):
        # Someone clears the revocation bit in a copy of the signed list.
        status_list = signed_list(issuer, revoked_bits())
        status_list["credentialSubject"]["encodedList"] = statuslist.encode(statuslist.new_list())
        write_json(files["status"], status_list)
        verdict = offline.verify_file(files["credential"], files["did"], files["status"])
        assert (verdict.state, verdict.exit_code) == (offline.INVALID, 1)
        assert "status list's proof fails" in verdict.message

    def test_a_status_list_signed_by_another_key_is_rejected(self, files, issuer):
        stranger = keys.generate_private_key()
        unsigned = statuslist.status_list_credential(
            LIST_URL, issuer.did, statuslist.new_list(), SIGNED_AT, DAY
        )
        write_json(files["status"], issuer.sign(unsigned, stranger))
        verdict = offline.verify_file(files["credential"], files["did"], files["status"])
        assert verdict.state == offline.INVALID

    def test_a_status_list_from_another_url_is_rejected(self, files, issuer):
        other = signed_list(issuer, statuslist.new_list(), list_url=LIST_URL + "0")
        write_json(files["status"], other)
        verdict = offline.verify_file(files["credential"], files["did"], files["status"])
        assert verdict.state == offline.INVALID
        assert "status is kept in" in verdict.message

    def test_a_tampered_credential_is_invalid(self, files, signed):
        forged = changed(signed, ("credentialSubject", "achievement", "name"), "Doctor of Laws")
        write_json(files["credential"], forged)
        verdict = offline.verify_file(files["credential"], files["did"], files["status"])
        assert (verdict.state, verdict.exit_code) == (offline.INVALID, 1)
        assert verdict.message.startswith("INVALID — the credential's proof fails")

    def test_without_a_status_list_the_check_is_not_complete(self, files):
        verdict = offline.verify_file(files["credential"], files["did"])
        assert (verdict.state, verdict.exit_code) == (offline.UNCHECKED, 3)
        assert "signature valid" in verdict.message
        assert "revocation status NOT checked (no status list given)" in verdict.message

    def test_without_a_key_nothing_is_checked(self, files):
        verdict = offline.verify_file(files["credential"], status_list_path=files["status"])
        assert verdict.exit_code == 3
        assert "signature was not checked" in verdict.message

    def test_a_public_key_can_stand_in_for_the_did_document(self, files, issuer):
        multikey = keys.public_multikey(issuer.key)
        verdict = offline.verify_file(files["credential"], None, files["status"], multikey)
        assert verdict.state == offline.VALID

    def test_a_wrong_public_key_is_invalid(self, files):
        stranger = keys.public_multikey(keys.generate_private_key())
        verdict = offline.verify_file(files["credential"], None, files["status"], stranger)
        assert verdict.state == offline.INVALID

    def test_the_did_document_of_another_issuer_is_invalid(self, files, issuer):
        other = did.did_document(did.did_web("other.example"), keys.public_multikey(issuer.key))
        write_json(files["did"], other)
        verdict = offline.verify_file(files["credential"], files["did"], files["status"])
        assert verdict.state == offline.INVALID
        assert "did:web:other.example" in verdict.message

    def test_a_credential_before_its_valid_from_is_invalid(self, files):
        before = datetime(2026, 11, 22, tzinfo=UTC)
        verdict = offline.verify_file(
            files["credential"], files["did"], files["status"], now=before
        )
        assert verdict.state == offline.INVALID
        assert "not valid before" in verdict.message

    def test_an_unreadable_file_cannot_be_checked(self, files):
        (files["dir"] / "broken.json").write_text("{", encoding="utf-8")
        verdict = offline.verify_file(files["dir"] / "broken.json", files["did"], files["status"])
        assert verdict.exit_code == 3
        missing = offline.verify_file(files["dir"] / "missing.json", files["did"])
        assert missing.exit_code == 3


class TestStatusListFreshness:
    """A status list proves nothing outside its validity window: no verdict, its own exit code."""

    def verdict(self, files, status_list, now):
        write_json(files["status"], status_list)
        return offline.verify_file(files["credential"], files["did"], files["status"], now=now)

    def test_an_old_copy_kept_from_before_a_revocation_never_says_valid(self, files, issuer):
        # The review's reproduction: the copy taken before the revocation, used days later.
        before_revocation = signed_list(issuer, statuslist.new_list(), valid_from=SIGNED_AT)
        verdict = self.verdict(files, before_revocation, now=SIGNED_AT + 3 * DAY)
        assert verdict.state not in (offline.VALID, offline.INVALID)
        assert (verdict.state, verdict.exit_code) == (offline.STATUS_UNKNOWN, 4)

    def test_an_expired_list_says_status_unknown_and_where_to_refresh_it(self, files, issuer):
        stale = signed_list(issuer, statuslist.new_list(), valid_from=SIGNED_AT)
        verdict = self.verdict(files, stale, now=SIGNED_AT + DAY + timedelta(seconds=1))
        assert verdict.message.startswith("STATUS UNKNOWN — signature valid: signed by ")
        assert "out of date: it was valid until 2026-11-24T10:00:00Z" in verdict.message
        assert f"Download the current status list from {LIST_URL} and run again" in (
            verdict.message
        )

    def test_the_list_is_believed_up_to_the_end_of_its_window_and_not_at_it(self, files, issuer):
        fresh = signed_list(issuer, revoked_bits(), valid_from=SIGNED_AT)
        last_second = SIGNED_AT + DAY - timedelta(seconds=1)
        assert self.verdict(files, fresh, now=last_second).state == offline.REVOKED
        assert self.verdict(files, fresh, now=SIGNED_AT + DAY).state == offline.STATUS_UNKNOWN

    def test_a_fresh_list_still_says_valid_or_revoked(self, files, issuer):
        an_hour_later = SIGNED_AT + timedelta(hours=1)
        nothing = signed_list(issuer, statuslist.new_list(), valid_from=SIGNED_AT)
        assert self.verdict(files, nothing, now=an_hour_later).state == offline.VALID
        revoked = signed_list(issuer, revoked_bits(), valid_from=SIGNED_AT)
        assert self.verdict(files, revoked, now=an_hour_later).state == offline.REVOKED

    def test_a_stale_list_that_says_revoked_gives_no_verdict_either(self, files, issuer):
        stale = signed_list(issuer, revoked_bits(), valid_from=SIGNED_AT)
        assert self.verdict(files, stale, now=SIGNED_AT + 2 * DAY).exit_code == 4

    def test_a_ttl_shorter_than_valid_until_ends_the_window(self, files, issuer):
        unsigned = statuslist.status_list_credential(
            LIST_URL, issuer.did, statuslist.new_list(), SIGNED_AT, DAY
        )
        unsigned["credentialSubject"]["ttl"] = 3600 * 1000
        short_lived = issuer.sign(unsigned)
        two_hours_later = SIGNED_AT + timedelta(hours=2)
        verdict = self.verdict(files, short_lived, now=two_hours_later)
        assert verdict.state == offline.STATUS_UNKNOWN
        assert "valid until 2026-11-23T11:00:00Z" in verdict.message

    def test_a_list_not_yet_valid_is_not_believed(self, files, issuer):
        tomorrow = signed_list(issuer, statuslist.new_list(), valid_from=SIGNED_AT + DAY)
        verdict = self.verdict(files, tomorrow, now=SIGNED_AT + timedelta(hours=1))
        assert (verdict.state, verdict.exit_code) == (offline.STATUS_UNKNOWN, 4)
        assert "not valid before 2026-11-24T10:00:00Z" in verdict.message
        assert "check this computer's date and time" in verdict.message

    def test_a_list_without_a_validity_window_is_not_believed(self, files, issuer):
        # As every list was signed before lists had a window.
        unsigned = statuslist.status_list_credential(
            LIST_URL, issuer.did, statuslist.new_list(), SIGNED_AT, DAY
        )
        del unsigned["validUntil"], unsigned["credentialSubject"]["ttl"]
        verdict = self.verdict(files, issuer.sign(unsigned), now=SIGNED_AT + timedelta(hours=1))
        assert verdict.state == offline.STATUS_UNKNOWN
        assert "no validity window" in verdict.message

    @pytest.mark.parametrize(
        ("path", "value"),
        [(("validUntil",), "2099-01-01T00:00:00Z"), (("credentialSubject", "ttl"), 10**12)],
    )
    def test_an_expired_list_with_a_lengthened_window_is_invalid(self, files, issuer, path, value):
        stale = signed_list(issuer, statuslist.new_list(), valid_from=SIGNED_AT)
        verdict = self.verdict(files, changed(stale, path, value), now=SIGNED_AT + 3 * DAY)
        assert (verdict.state, verdict.exit_code) == (offline.INVALID, 1)
        assert "status list's proof fails" in verdict.message

    @pytest.mark.parametrize("ttl", ["one day", -1, 1.5, True])
    def test_a_ttl_that_is_not_a_whole_number_of_milliseconds_is_invalid(self, files, issuer, ttl):
        unsigned = statuslist.status_list_credential(
            LIST_URL, issuer.did, statuslist.new_list(), SIGNED_AT, DAY
        )
        unsigned["credentialSubject"]["ttl"] = ttl
        verdict = self.verdict(files, issuer.sign(unsigned), now=SIGNED_AT + timedelta(hours=1))
        assert verdict.state == offline.INVALID
        assert "ttl" in verdict.message


def last_weeks_list(issuer):
    """A genuine list with nothing revoked, out of date by the wall clock the script uses."""
    return signed_list(issuer, statuslist.new_list(), valid_from=datetime.now(UTC) - 7 * DAY)


def run_fully(files):
    """The standalone script with the DID document and the status list."""
    return run_script(
        files["credential"],
        "--did-document",
        files["did"],
        "--status-list",
        files["status"],
        cwd=files["dir"],
    )


def run_script(*args, cwd):
    # A clean environment: no DJANGO_SETTINGS_MODULE, no PYTHONPATH.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd,
        timeout=60,
        check=False,
    )


class TestCommandLine:
    def test_the_package_imports_without_django(self):
        code = (
            "import sys; import courses.credentials.offline; "
            "sys.exit(any(name.split('.')[0] == 'django' for name in sys.modules))"
        )
        env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)}
        result = subprocess.run([sys.executable, "-c", code], env=env, check=False, timeout=60)
        assert result.returncode == 0

    def test_a_valid_credential(self, files):
        result = run_fully(files)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("VALID — signed by did:web:academy.example%3A8443")
        assert "Nguyễn Thị Minh Khai" in result.stdout

    def test_a_tampered_credential(self, files, signed):
        write_json(files["credential"], changed(signed, ("validFrom",), "2020-01-01T00:00:00Z"))
        result = run_fully(files)
        assert result.returncode == 1, result.stderr
        assert result.stdout.startswith("INVALID — ")

    def test_a_revoked_credential(self, files, issuer):
        write_json(files["status"], signed_list(issuer, revoked_bits()))
        result = run_fully(files)
        assert result.returncode == 2, result.stderr
        assert result.stdout.startswith("REVOKED — ")

    def test_an_out_of_date_status_list_exits_with_4_and_says_how_to_refresh(self, files, issuer):
        write_json(files["status"], last_weeks_list(issuer))
        result = run_fully(files)
        assert result.returncode == 4, result.stderr
        assert result.stdout.startswith("STATUS UNKNOWN — ")
        assert f"Download the current status list from {LIST_URL}" in result.stdout

    def test_the_help_lists_every_exit_code(self, files):
        result = run_script("--help", cwd=files["dir"])
        assert result.returncode == 0
        assert "3 not fully checked, 4 status unknown" in " ".join(result.stdout.split())

    def test_a_usage_error_is_not_mistaken_for_revoked(self, files):
        result = run_script("--status-list", files["status"], cwd=files["dir"])
        assert result.returncode == 3
        assert "required" in result.stderr


class TestManagementCommand:
    def test_a_valid_credential(self, files):
        out = StringIO()
        call_command(
            "verify_credential",
            str(files["credential"]),
            did_document=str(files["did"]),
            status_list=str(files["status"]),
            stdout=out,
        )
        assert out.getvalue().startswith("VALID — ")

    def test_a_revoked_credential_exits_with_2(self, files, issuer):
        write_json(files["status"], signed_list(issuer, revoked_bits()))
        code, out = self.exit_code_and_output(files)
        assert code == 2
        assert out.startswith("REVOKED — ")

    def test_an_out_of_date_status_list_exits_with_4(self, files, issuer):
        write_json(files["status"], last_weeks_list(issuer))
        code, out = self.exit_code_and_output(files)
        assert code == 4
        assert out.startswith("STATUS UNKNOWN — ")

    @staticmethod
    def exit_code_and_output(files):
        out = StringIO()
        with pytest.raises(SystemExit) as exit_:
            call_command(
                "verify_credential",
                str(files["credential"]),
                "--did-document",
                str(files["did"]),
                "--status-list",
                str(files["status"]),
                stdout=out,
            )
        return exit_.value.code, out.getvalue()
