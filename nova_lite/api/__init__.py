"""WSGI plumbing shared by the REST APIs: routing, JSON bodies, errors, auth, policy."""
