"""Keypair cryptography: check a public key, fingerprint it, or make a new pair.

SSH public keys (RSA, Ed25519, ECDSA) are fingerprinted as nova does: the MD5
of the key's blob in colon-separated hex. X.509 certificates (PEM) get the
SHA-1 of their DER form. Generated private keys are returned to the caller
once and never kept.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import hashlib

from cryptography import exceptions as crypto_exceptions
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID

from nova_lite.common import exception

SSH = 'ssh'
X509 = 'x509'
TYPES = (SSH, X509)
RSA_BITS = 2048
_SSH_KEY_TYPES = (rsa.RSAPublicKey, ed25519.Ed25519PublicKey, ec.EllipticCurvePublicKey)
_CERTIFICATE_DAYS = 3650


@dataclasses.dataclass(frozen=True)
class GeneratedPair:
    public_key: str
    private_key: str
    fingerprint: str


def _colon_hex(digest: bytes) -> str:
    return ':'.join(f'{byte:02x}' for byte in digest)


def _invalid(reason: str) -> exception.InvalidInput:
    return exception.InvalidInput(field='public_key', reason=reason)


def ssh_fingerprint(public_key: str) -> str:
    """The MD5 fingerprint of an OpenSSH public key line; 400 when it is not one."""
    text = public_key.strip()
    if not text:
        raise _invalid('the public key is empty')
    try:
        key = serialization.load_ssh_public_key(text.encode('utf-8'))
    except (ValueError, UnicodeError, TypeError) as exc:
        raise _invalid(f'not a valid OpenSSH public key ({exc})') from None
    except crypto_exceptions.UnsupportedAlgorithm:
        raise _invalid('unsupported OpenSSH public key type') from None
    if not isinstance(key, _SSH_KEY_TYPES):
        raise _invalid('only ssh-rsa, ssh-ed25519 and ecdsa-sha2 keys are accepted')
    blob = key.public_bytes(serialization.Encoding.OpenSSH,
                            serialization.PublicFormat.OpenSSH).split(b' ')[1]
    return _colon_hex(hashlib.md5(base64.b64decode(blob), usedforsecurity=False).digest())


def x509_fingerprint(certificate: str) -> str:
    """The SHA-1 fingerprint of a PEM certificate; 400 when it is not one."""
    text = certificate.strip()
    if not text:
        raise _invalid('the certificate is empty')
    try:
        cert = x509.load_pem_x509_certificate(text.encode('utf-8'))
    except (ValueError, UnicodeError, TypeError) as exc:
        raise _invalid(f'not a valid PEM X.509 certificate ({exc})') from None
    return _colon_hex(cert.fingerprint(hashes.SHA1()))  # nova's x509 fingerprint


def fingerprint(public_key: str, key_type: str) -> str:
    """The fingerprint of ``public_key`` of ``key_type`` (ssh or x509)."""
    return x509_fingerprint(public_key) if key_type == X509 else ssh_fingerprint(public_key)


def _private_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM,
                             serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption()).decode('ascii')


def generate_ssh(comment: str, algorithm: str = 'rsa') -> GeneratedPair:
    """A new SSH key pair (RSA 2048, or Ed25519); ``comment`` ends the public key line."""
    if algorithm == 'ed25519':
        ed_key = ed25519.Ed25519PrivateKey.generate()
        private = ed_key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.OpenSSH,
                                       serialization.NoEncryption()).decode('ascii')
        public_bytes = ed_key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                                        serialization.PublicFormat.OpenSSH)
    else:
        rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
        private = _private_pem(rsa_key)
        public_bytes = rsa_key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                                         serialization.PublicFormat.OpenSSH)
    public = f'{public_bytes.decode("ascii")} {comment}'.strip()
    return GeneratedPair(public, private, ssh_fingerprint(public))


def generate_x509(common_name: str) -> GeneratedPair:
    """A new RSA key and a self-signed certificate for ``common_name`` (the user)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name or 'nova-lite')])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(
                days=_CERTIFICATE_DAYS))
            .sign(key, hashes.SHA256()))
    public = cert.public_bytes(serialization.Encoding.PEM).decode('ascii')
    return GeneratedPair(public, _private_pem(key), x509_fingerprint(public))


def generate(key_type: str, comment: str) -> GeneratedPair:
    """A new pair of ``key_type`` (x509: a certificate as the public key)."""
    return generate_x509(comment) if key_type == X509 else generate_ssh(comment)
