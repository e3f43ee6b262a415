"""Keypair cryptography: public keys checked and fingerprinted as nova does."""

from __future__ import annotations

import base64
import hashlib
import struct
import warnings

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa

from nova_lite.common import exception
from nova_lite.compute import keypair_keys

# Tempest's imported key (test_keypair_create_with_pub_key).
TEMPEST_RSA = ('ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCsNe3/1ILNCqFyfYWDeTKLD6jEXC2OQHLmiet'
               'MWW+/vdaZq7KZEwO0jhglaFjU1mpqq4Gz5RX156sCTNM9vRbwKAxfsdF9laBYVsex3m3Wmui3uYrK'
               'yumsoJn2g9GNnG1PI1mrVjZ61i0GY3khna+wzlTpCCmy5HNlrmbj3XLqBUpipTOXmsnr4sChzC53K'
               'Cd8LXuwc1i/CZPvF+3XipvAgFSE53pCtLOeB1kYMOBaiUPLQTWXR3JpckqFIQwhIH0zoHlJvZE8hh'
               '90XcPojYN56tI0OlrGqojbediJYD0rUsJu4weZpbn8vilb3JuDY+jwssnSA8wzBx3A/8y9Pp1B '
               'nova@ubuntu')


def _md5_colons(line: str) -> str:
    digest = hashlib.md5(base64.b64decode(line.split()[1]), usedforsecurity=False).hexdigest()
    return ':'.join(digest[i:i + 2] for i in range(0, len(digest), 2))


def _openssh(public_key: object) -> str:
    assert isinstance(public_key, (ed25519.Ed25519PublicKey, ec.EllipticCurvePublicKey))
    return public_key.public_bytes(serialization.Encoding.OpenSSH,
                                   serialization.PublicFormat.OpenSSH).decode()


def test_rsa_fingerprint_is_md5_of_the_blob() -> None:
    fingerprint = keypair_keys.ssh_fingerprint(TEMPEST_RSA)
    assert fingerprint == _md5_colons(TEMPEST_RSA)
    assert len(fingerprint) == 47 and fingerprint.count(':') == 15


def test_ed25519_and_ecdsa_keys_are_accepted() -> None:
    ed_line = _openssh(ed25519.Ed25519PrivateKey.generate().public_key()) + ' me@host'
    assert keypair_keys.ssh_fingerprint(ed_line) == _md5_colons(ed_line)
    ec_line = _openssh(ec.generate_private_key(ec.SECP384R1()).public_key())
    assert ec_line.startswith('ecdsa-sha2-nistp384 ')
    assert keypair_keys.fingerprint(ec_line, 'ssh') == _md5_colons(ec_line)


@pytest.mark.parametrize('bad', ['ssh-rsa JUNK nova@ubuntu', ' ', '',
                                 'ssh-rsa ' + 'A' * 2048 + ' openstack@ubuntu',
                                 'not a key at all', '-----BEGIN CERTIFICATE-----'])
def test_bad_ssh_keys_are_400_naming_public_key(bad: str) -> None:
    with pytest.raises(exception.InvalidInput) as caught:
        keypair_keys.ssh_fingerprint(bad)
    assert caught.value.code == 400 and 'public_key' in caught.value.message


def test_generated_rsa_pair_matches_its_private_key() -> None:
    pair = keypair_keys.generate('ssh', 'mykey')
    assert pair.public_key.startswith('ssh-rsa ') and pair.public_key.endswith(' mykey')
    private = serialization.load_pem_private_key(pair.private_key.encode(), None)
    assert isinstance(private, rsa.RSAPrivateKey) and private.key_size == 2048
    assert pair.private_key.startswith('-----BEGIN RSA PRIVATE KEY-----')
    derived = private.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                                serialization.PublicFormat.OpenSSH).decode()
    assert pair.public_key.split()[1] == derived.split()[1]
    assert pair.fingerprint == _md5_colons(pair.public_key)


def test_generated_ed25519_pair() -> None:
    pair = keypair_keys.generate_ssh('k', algorithm='ed25519')
    assert pair.public_key.startswith('ssh-ed25519 ')
    private = serialization.load_ssh_private_key(pair.private_key.encode(), None)
    assert isinstance(private, ed25519.Ed25519PrivateKey)
    assert pair.fingerprint == _md5_colons(pair.public_key)


def test_x509_generated_and_imported() -> None:
    pair = keypair_keys.generate('x509', 'user-1')
    cert = x509.load_pem_x509_certificate(pair.public_key.encode())
    assert cert.subject.rfc4514_string() == 'CN=user-1'
    sha1 = cert.fingerprint(hashes.SHA1()).hex()
    assert pair.fingerprint == ':'.join(sha1[i:i + 2] for i in range(0, 40, 2))
    assert keypair_keys.fingerprint(pair.public_key, 'x509') == pair.fingerprint
    private = serialization.load_pem_private_key(pair.private_key.encode(), None)
    assert isinstance(private, rsa.RSAPrivateKey)
    with pytest.raises(exception.InvalidInput, match='public_key'):
        keypair_keys.fingerprint(TEMPEST_RSA, 'x509')
    with pytest.raises(exception.InvalidInput, match='public_key'):
        keypair_keys.fingerprint(pair.public_key, 'ssh')


def test_unsupported_and_dsa_keys_are_400() -> None:
    blob = struct.pack('>I', 7) + b'ssh-xyz' + struct.pack('>I', 3) + b'abc'
    with pytest.raises(exception.InvalidInput, match='unsupported OpenSSH public key type'):
        keypair_keys.ssh_fingerprint('ssh-xyz ' + base64.b64encode(blob).decode())
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        dsa_line = dsa.generate_private_key(1024).public_key().public_bytes(
            serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
        with pytest.raises(exception.InvalidInput, match='ssh-rsa, ssh-ed25519 and ecdsa'):
            keypair_keys.ssh_fingerprint(dsa_line)
