"""A pyld document loader that serves the pinned contexts and never touches the network.

Pass it per call (``{"documentLoader": load_document}``); pyld's global loader stays as it is.
"""

import copy
import json
from functools import cache
from pathlib import Path

CONTEXTS_DIR = Path(__file__).parent / "contexts"

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
CREDENTIALS_EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
OPEN_BADGES_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

# URL → file in contexts/ (contexts/README.md says where each file came from).
PINNED_CONTEXTS = {
    CREDENTIALS_V2: "credentials-v2.jsonld",
    CREDENTIALS_EXAMPLES_V2: "credentials-examples-v2.jsonld",
    DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
    OPEN_BADGES_V3: "ob-v3p0-context-3.0.3.json",
}


class UnknownDocumentError(LookupError):
    """A document asked for a URL that is not one of the pinned contexts."""


@cache
def _pinned(url):
    return json.loads((CONTEXTS_DIR / PINNED_CONTEXTS[url]).read_text(encoding="utf-8"))


def load_document(url, options=None):
    """Return the pinned context for ``url`` in pyld's RemoteDocument shape."""
    if url not in PINNED_CONTEXTS:
        raise UnknownDocumentError(
            f"JSON-LD document {url!r} is not pinned in courses/credentials/contexts/ "
            "and is never fetched from the network."
        )
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        # A copy, so that nothing downstream can change the cached context.
        "document": copy.deepcopy(_pinned(url)),
    }
