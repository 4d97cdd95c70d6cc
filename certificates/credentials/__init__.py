"""Certificates as Open Badges 3.0 credentials anyone can check without
calling the academy: the payload (`openbadges.py`), its VC-JOSE signature
(`jws.py`, EdDSA over Ed25519) and the academy's keys as a did:web issuer
(`keys.py`, published at /.well-known/did.json). Pure functions and key
handling; the rows and the signing in the worker are in
certificates/services/credentials.py."""
