#!/usr/bin/env python3
"""Verify a certificate credential offline, without Django or a database.

    scripts/verify_credential.py CREDENTIAL.json --did-document did.json --status-list status.json

Needs only PyLD and cryptography (the project's .venv/bin/python has both).
Exit codes: 0 valid, 1 invalid, 2 revoked, 3 not fully checked, 4 status unknown (the status
list is out of date: download the current one from the credential's statusListCredential URL,
e.g. https://<host>/credentials/status/1, and run again).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

try:
    from courses.credentials.offline import main
except ImportError as error:
    # Exit 1 would read as "invalid credential"; a missing library means "not checked".
    print(f"CANNOT CHECK — {error}: install PyLD and cryptography, or use .venv/bin/python.")
    sys.exit(3)

if __name__ == "__main__":
    sys.exit(main())
