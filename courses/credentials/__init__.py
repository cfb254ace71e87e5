"""Signed Open Badges 3.0 certificates: Data Integrity proofs (eddsa-rdfc-2022), did:web,
Bitstring Status List revocation and offline verification.

Pure Python on purpose: nothing here imports Django or the rest of ``courses``, so that
``scripts/verify_credential.py`` runs anywhere with only PyLD and cryptography installed.
"""
