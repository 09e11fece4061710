"""A canonical text for settings that go into cache keys: the same settings give the same text in
every process, whatever their dict order or the memory addresses of their objects.

`repr()` is not that: a configuration that names a function (material's documented
`emoji_index: !!python/name:material.extensions.emoji.twemoji`) prints its address, which differs
from process to process, so a cache keyed on it never hits. Here a function, class or module is
named by `module:qualname`, mappings are sorted by key, sets are sorted, dataclasses and plain
objects are taken field by field. A value that has no such stable text raises `Unkeyable`: the
cache that wanted it then steps aside (slower, never stale).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import re
import types
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any


class Unkeyable(ValueError):
    """A setting with no stable text (an object whose state is not plain data)."""


_NAMED = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, type, types.ModuleType)


def _plain(value: Any, depth: int = 0) -> Any:
    if depth > 50:
        raise Unkeyable("settings nested too deeply to key a cache on")
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return {"float": value.hex()}
    if isinstance(value, bytes):
        return {"bytes": value.hex()}
    if isinstance(value, enum.Enum):
        return {"enum": f"{type(value).__module__}:{type(value).__qualname__}.{value.name}"}
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return {"date": value.isoformat()}
    if isinstance(value, PurePath):
        return {"path": value.as_posix()}
    if isinstance(value, _NAMED):
        module = getattr(value, "__module__", None) or getattr(value, "__name__", "")
        qualname = value.__name__ if isinstance(value, types.ModuleType) else getattr(value, "__qualname__", "")
        if "<locals>" in qualname or "<lambda>" in qualname or not qualname:
            raise Unkeyable(f"a setting names {value!r}, which has no importable name")
        return {"callable": f"{module}:{qualname}"}
    if isinstance(value, Mapping):
        items = [(_plain(key, depth + 1), _plain(item, depth + 1)) for key, item in value.items()]
        return {"map": sorted(items, key=lambda pair: json.dumps(pair[0], sort_keys=True))}
    if isinstance(value, (list, tuple)):
        return [_plain(item, depth + 1) for item in value]
    if isinstance(value, (set, frozenset)):
        return {"set": sorted((_plain(item, depth + 1) for item in value), key=lambda v: json.dumps(v, sort_keys=True))}
    if dataclasses.is_dataclass(value):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return {"object": f"{type(value).__module__}:{type(value).__qualname__}", "fields": _plain(fields, depth + 1)}
    if isinstance(value, re.Pattern):
        return {"pattern": value.pattern if isinstance(value.pattern, str) else value.pattern.hex(), "flags": value.flags}
    state = getattr(value, "__dict__", None)
    if isinstance(state, dict):
        return {"object": f"{type(value).__module__}:{type(value).__qualname__}", "fields": _plain(state, depth + 1)}
    raise Unkeyable(f"a setting of type {type(value).__qualname__} has no stable text to key a cache on")


def canonical(*values: Any) -> str:
    """The canonical text of `values`; raises Unkeyable."""
    return json.dumps([_plain(value) for value in values], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
