"""The nesting limit checked before any JSON from outside is decoded."""

from __future__ import annotations

import json
import random

import pytest

from player.errors import BadInput
from player.jsondepth import check_depth, loads, too_deep


def depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    return 0


def random_json(rng: random.Random, level: int = 0) -> object:
    roll = rng.random()
    if level > 40 or roll < 0.3:
        # Strings full of what the scan must not mistake for structure.
        return rng.choice(["a[{", '\\"[', "x\\\\", '}]\\n"', 1, None, "", '"[[[[' * 3, "中文]"])
    if roll < 0.65:
        return [random_json(rng, level + 1) for _ in range(rng.randint(0, 3))]
    keys = ["k", "[", "\\", '"{', "", "]]"]
    return {rng.choice(keys) + str(i): random_json(rng, level + 1) for i in range(rng.randint(0, 3))}


def test_the_scan_agrees_with_the_decoder_on_every_depth():
    rng = random.Random(7)
    for _ in range(1500):
        value = random_json(rng)
        for text in (json.dumps(value), json.dumps(value, ensure_ascii=False, indent=1)):
            for limit in (1, 3, 10, 64):
                assert too_deep(text, limit) == (depth(value) > limit), text


@pytest.mark.parametrize(
    ("raw", "deep"),
    [
        (b"[" * 100_000, True),  # never closed: the decoder would still recurse into it
        (b"[" * 64 + b"]" * 64, False),
        (b"[" * 65 + b"]" * 65, True),
        (b"[[]" * 70 + b"]" * 70, True),  # deep without a long run of openers
        (b"[" * 64 + b'"]', False),  # an unterminated string: the decoder stops there
        (b'{"a": "' + b"[" * 500 + b'"}', False),
    ],
)
def test_edge_cases(raw, deep):
    assert too_deep(raw) is deep


def test_the_error_names_the_file_and_the_limit():
    with pytest.raises(BadInput, match=r"^/x/bundle.json is nested more than 64 levels deep") as info:
        check_depth(b'{"a": ' + b"[" * 990 + b"]" * 990 + b"}", "/x/bundle.json")
    assert info.value.exit_code == 2
    assert loads('{"a": [[1]]}', "t.json") == {"a": [[1]]}
