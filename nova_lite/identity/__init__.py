"""Identity service (the keystone analogue): users, projects, roles, tokens, catalog.

Tokens are Fernet tokens (never stored); passwords are bcrypt hashes; the
service catalog is built from the endpoints ``bootstrap`` records.
"""
