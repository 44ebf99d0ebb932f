"""Ed25519 signatures over the exact bytes of `catalog.json`.

Key files are PEM (PKCS#8 for the private key, SubjectPublicKeyInfo for the public key).
A public key may also be given inline as 64 hex digits or the PEM text, which is how
`--pubkey` accepts it and how the library pins it.
`catalog.json.sig` holds the 64-byte signature, base64-encoded, on one line.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from player.errors import BadInput, SignatureError


def generate_keypair(private_path: Path) -> Path:
    """Write `private_path` (mode 0600) and `private_path.pub`; return the public key's path."""
    private_path = Path(private_path)
    public_path = private_path.with_name(private_path.name + ".pub")
    for path in (private_path, public_path):
        if path.exists():
            raise BadInput(
                f"{path} already exists.", hint="Choose another file name; keys are never overwritten."
            )
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    public_path.write_text(public_key_hex(key.public_key()) + "\n")
    return public_path


def load_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise BadInput(f"Cannot read the private key {path}: {exc}.") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise BadInput(f"{path} is not an Ed25519 private key.")
    return key


def public_key_hex(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def parse_public_key(text: str) -> str:
    """Normalise a public key given as hex, PEM text, or a path to either; return 64 hex digits."""
    text = text.strip()
    candidate = Path(text)
    if len(text) < 4096 and "\n" not in text and candidate.is_file():
        text = candidate.read_text(errors="replace").strip()
    if len(text) == 64:
        try:
            Ed25519PublicKey.from_public_bytes(bytes.fromhex(text))
            return text.lower()
        except ValueError:
            pass
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(text.encode())
        except ValueError:
            key = None
        if isinstance(key, Ed25519PublicKey):
            return public_key_hex(key)
    raise BadInput(
        "The public key is not an Ed25519 key (expected 64 hex digits, a PEM public key, or a file with either)."
    )


def sign(catalog_bytes: bytes, key: Ed25519PrivateKey) -> bytes:
    """The content of `catalog.json.sig` for these exact bytes."""
    return base64.b64encode(key.sign(catalog_bytes)) + b"\n"


def verify(catalog_bytes: bytes, sig_file: bytes | None, pubkey_hex: str) -> None:
    """Raise SignatureError unless `sig_file` is a valid signature of the bytes by that key."""
    if sig_file is None:
        raise SignatureError(
            "The catalog has no signature (catalog.json.sig), but this source's key is pinned.",
            problems=[("$", "missing signature")],
            hint="Ask the publisher for the signed catalog; an unsigned copy may have been altered.",
        )
    try:
        signature = base64.b64decode(sig_file.strip(), validate=True)
    except (binascii.Error, ValueError):
        signature = b""
    if len(signature) != 64:
        raise SignatureError(
            "The catalog's signature file is malformed.",
            problems=[("$", "malformed signature")],
            hint="Fetch catalog.json.sig again; it should be one line of base64.",
        )
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(pubkey_hex))
    try:
        key.verify(signature, catalog_bytes)
    except InvalidSignature:
        raise SignatureError(
            "The catalog's signature does not match the pinned key: it was altered, or signed by another key.",
            problems=[("$", "bad signature")],
            hint="Do not use this copy. If the publisher changed keys, remove the source and add it "
            "again with the new --pubkey.",
        ) from None
