"""The organisation coordinator's pages (/organisation/): their organisation's
staff claims to confirm or refuse, and its confirmed staff. Who may see which
organisation is enrolments/access.py's to say; every write is a service of
enrolments/services/membership.py."""
