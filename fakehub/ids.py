"""GitHub-like identifiers: node ids that carry numeric database ids, and stable fake SHAs."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import zlib

_LEGACY = re.compile(rb"\d+:[A-Za-z]+(\d+)")


def node_id(prefix: str, *database_ids: int) -> str:
    """A next-generation GitHub node id (``PR_kwDO...``): msgpack ``[0, *ids]`` in URL-safe base64."""
    payload = bytearray([0x91 + len(database_ids), 0x00])
    for value in database_ids:
        # GitHub packs ids as uint32, which gives every id of a type the same ``kwDO`` shape.
        if not 0x10000 <= value < 0x1_0000_0000:
            raise ValueError(f"database id {value} does not fit GitHub's uint32 node id layout")
        payload += b"\xce" + value.to_bytes(4, "big")
    return f"{prefix}_{base64.urlsafe_b64encode(bytes(payload)).rstrip(b'=').decode()}"


def database_id(node: str) -> int:
    """The numeric ``id`` a REST body shows for a node id; a stable hash for ids we did not mint."""
    encoded = node.split("_", 1)[1] if "_" in node else node
    try:
        raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) >= 7 and raw[0] in (0x92, 0x93) and raw[1] == 0 and raw[-5] == 0xCE:
        return int.from_bytes(raw[-4:], "big")
    legacy = _LEGACY.fullmatch(raw)
    if legacy:
        return int(legacy.group(1))
    # Hand-built datasets may use any string; a positive 31-bit hash keeps ids stable and JSON-safe.
    return zlib.crc32(node.encode()) & 0x7FFF_FFFF or 1


def fake_sha(*parts: object) -> str:
    """A 40-hex-digit SHA derived from ``parts``, so the same object always shows the same commit."""
    return hashlib.sha1(":".join(map(str, parts)).encode(), usedforsecurity=False).hexdigest()
