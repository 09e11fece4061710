"""Pagefind 1.5.2's filter index in one order, so that the same pages give the same bundle.

Pagefind 1.5.2 gathers each filter (topic, type, author, ...) in a Rust HashMap, whose seed is
random per process, and writes each filter file's values, and the metadata file's list of filter
files, in that map's order. The same values and pages come out in another order from run to run,
so each filter file gets other bytes and another content-hash name, and the metadata file
(`pagefind.<lang>_<hash>.pf_meta`) and `pagefind-entry.json`, which name those hashes, differ
too. Pagefind fixed this after 1.5.2 (its pull request #1124 sorts filters by name and values by
value before encoding them); the Python packages have no release with the fix yet.

`stabilize` does here what that fix does there: it decodes the filter files and the metadata
file (gzip, the `pagefind_dcd` signature, then CBOR), puts filters in name order and each
filter's values in value order (pages in page order), encodes them again and names each file as
Pagefind names it (a short SHA-1 of the CBOR), then points the metadata file and
`pagefind-entry.json` at the new names. Search reads the same index: only the order of entries
that Pagefind looks up by name changes.

It leans on the layout of those files, so it runs only for the Pagefind versions it was tested
on (`TESTED_VERSIONS`, the bundle's own version) and only on files it reads back exactly: every
record must encode again to the very bytes Pagefind wrote, and the entry file must print again
as Pagefind printed it. On anything else it leaves the bundle as Pagefind wrote it (the plugin
says so), except on Pagefind 1.6.0 and later, which write the filter index in this order
themselves: the filter files put in order here have the names and contents 1.6.0 writes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Union

import cbor2

TESTED_VERSIONS = ("1.5.2",)
ORDERED_FROM = (1, 6, 0)  # Pagefind 1.6.0 writes them in this order itself (its filter files are these)
REVISION = 1  # of the order written here: part of a kept bundle's key (index_cache.py)
SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"

# What Pagefind's records hold: integers, text, and arrays of these.
Record = Union[int, str, list]


class UnknownLayout(ValueError):
    """A Pagefind file this module does not read exactly as Pagefind 1.5.2 writes it."""


# --- CBOR, the part of it Pagefind writes (minicbor: definite lengths, shortest heads) --------
# cbor2's default encoding is that same one for integers, text and arrays (test_search.py checks
# it against RFC 8949's examples and against Pagefind's own files); what it reads is kept only if
# it is made of those alone and encodes again to the very bytes it was read from.

def _check(value: object) -> None:
    """UnknownLayout unless `value` is a Record: an integer CBOR holds without a tag (not a bool),
    text, or an array of these."""
    if isinstance(value, list):
        for item in value:
            _check(item)
    elif isinstance(value, bool) or not isinstance(value, (int, str)):
        raise UnknownLayout(f"cannot encode {type(value).__name__}")
    elif isinstance(value, int) and not -(1 << 64) <= value < 1 << 64:
        raise UnknownLayout(f"integer too large for CBOR: {value}")


def encode(value: Record) -> bytes:
    _check(value)
    return cbor2.dumps(value)


def decode(data: bytes) -> Record:
    """The one value `data` holds; UnknownLayout for anything but what `encode` writes."""
    try:
        value = cbor2.loads(data, allow_indefinite=False)
    except cbor2.CBORError as error:
        raise UnknownLayout(f"CBOR: {error}") from None
    _check(value)
    if encode(value) != data:  # bytes after the value, a longer head than needed, a tag...
        raise UnknownLayout("does not encode again to the same bytes")
    return value


# --- Pagefind's files --------------------------------------------------------------------

def pagefind_hash(data: bytes) -> str:
    """SHA-1 of `data` as Pagefind spells it: each byte in lower-case hex, without a leading zero."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())


def read_record(raw: bytes) -> tuple[Record, bytes]:
    """A gzipped Pagefind record: its value and its CBOR bytes (without the signature)."""
    try:
        data = gzip.decompress(raw)
    except (OSError, EOFError) as error:
        raise UnknownLayout(f"not gzip: {error}") from None
    if not data.startswith(SIGNATURE):
        raise UnknownLayout("no pagefind_dcd signature")
    payload = data[len(SIGNATURE):]
    return decode(payload), payload  # decode checks that it encodes again to the same bytes


def write_record(payload: bytes) -> bytes:
    """The file for CBOR `payload`, gzipped with no time or name in it."""
    return gzip.compress(SIGNATURE + payload, compresslevel=9, mtime=0)


def _entry_text(entry: dict) -> str:
    """`pagefind-entry.json` as Pagefind prints it (serde_json, compact, UTF-8)."""
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


def _strings(value: object) -> bool:
    return isinstance(value, str)


def _pages(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(p, int) for p in value)


def _pairs(value: object, second) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) and second(item[1]) for item in value)


@dataclass
class Rewrite:
    """The files of one bundle to write (relative path -> bytes) and to delete."""
    write: dict[str, bytes]
    delete: list[str]


def plan(bundle: Path) -> Rewrite:
    """What to change in `bundle` (a folder Pagefind wrote) to put its filter index in order.
    Reads only; UnknownLayout if a file is not as Pagefind 1.5.2 writes it."""
    entry_path = bundle / ENTRY
    try:
        entry_raw = entry_path.read_text(encoding="utf-8")
        entry = json.loads(entry_raw)
    except (OSError, ValueError) as error:
        raise UnknownLayout(f"{ENTRY}: {error}") from None
    if not isinstance(entry, dict) or not isinstance(entry.get("languages"), dict) or _entry_text(entry) != entry_raw:
        raise UnknownLayout(f"{ENTRY} is not as Pagefind prints it")
    version = entry.get("version")
    write: dict[str, bytes] = {}
    delete: list[str] = []
    for language, about in entry["languages"].items():
        if not isinstance(about, dict) or not isinstance(about.get("hash"), str):
            raise UnknownLayout(f"{ENTRY}: no hash for language {language!r}")
        meta_name = f"pagefind.{about['hash']}.pf_meta"
        meta, _ = _read(bundle, meta_name)
        if not (isinstance(meta, list) and len(meta) == 6 and meta[0] == version
                and _pairs(meta[3], _strings) and _pairs(meta[4], _pages)):
            raise UnknownLayout(f"{meta_name}: not a Pagefind {version} metadata record")
        filters: list[tuple[str, bytes]] = []
        for name, file_hash in meta[3]:
            filter_name = f"filter/{file_hash}.pf_filter"
            record, _ = _read(bundle, filter_name)
            if not (isinstance(record, list) and len(record) == 2 and record[0] == name and _pairs(record[1], _pages)):
                raise UnknownLayout(f"{filter_name}: not the filter {name!r} of its metadata")
            values = sorted([value, sorted(pages)] for value, pages in record[1])
            filters.append((name, encode([name, values])))
            delete.append(filter_name)
        # Named as Pagefind names them, in name order: a short hash, two characters longer while
        # it collides with one taken.
        named: list[list[str]] = []
        taken: set[str] = set()
        for name, payload in sorted(filters):
            full = f"{language}_{pagefind_hash(payload)}"
            short = full[:len(language) + 8]
            while short in taken and len(short) < len(full):
                short = full[:len(short) + 2]
            taken.add(short)
            named.append([name, short])
            write[f"filter/{short}.pf_filter"] = write_record(payload)
        meta[3], meta[4] = named, sorted(meta[4], key=lambda sort: sort[0])
        meta_payload = encode(meta)
        meta_hash = f"{language}_{pagefind_hash(meta_payload)[:len(language) + 8]}"
        write[f"pagefind.{meta_hash}.pf_meta"] = write_record(meta_payload)
        delete.append(meta_name)
        about["hash"] = meta_hash
    entry["languages"] = dict(sorted(entry["languages"].items()))
    write[ENTRY] = _entry_text(entry).encode("utf-8")
    return Rewrite(write=write, delete=[name for name in delete if name not in write])


def _read(bundle: Path, name: str) -> tuple[Record, bytes]:
    try:
        raw = (bundle / name).read_bytes()
    except OSError as error:
        raise UnknownLayout(f"{name}: {error}") from None
    try:
        return read_record(raw)
    except UnknownLayout as error:
        raise UnknownLayout(f"{name}: {error}") from None


def bundle_version(bundle: Path) -> str | None:
    try:
        version = json.loads((bundle / ENTRY).read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError, AttributeError):
        return None
    return version if isinstance(version, str) else None


def indexed_pages(bundle: Path) -> int:
    """How many pages the bundle's index holds (all languages), as its entry file says."""
    try:
        entry = json.loads((bundle / ENTRY).read_text(encoding="utf-8"))
        return sum(int(about["page_count"]) for about in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return 0


def orders_itself(version: str | None) -> bool:
    """Whether this Pagefind version writes its filter index in order itself."""
    numbers = []
    for part in (version or "").split("-")[0].split(".")[:3]:
        if not part.isdigit():
            return False
        numbers.append(int(part))
    return len(numbers) == 3 and tuple(numbers) >= ORDERED_FROM


def stabilize(bundle: Path) -> bool:
    """Puts the filter index of the bundle at `bundle` in order (its own files: not the parts
    inside it). True if it is in order now (or was: Pagefind 1.6.0 and later write it so); False,
    and the bundle left as it is, if Pagefind's version there is neither; UnknownLayout, and the
    bundle left as it is, if one of its files is not as that version writes it."""
    version = bundle_version(bundle)
    if orders_itself(version):
        return True
    if version not in TESTED_VERSIONS:
        return False
    rewrite = plan(bundle)  # reads everything first: a file it cannot read changes nothing
    for name, data in rewrite.write.items():  # new names first, the entry file naming them last
        if name != ENTRY:
            _write(bundle / name, data)
    _write(bundle / ENTRY, rewrite.write[ENTRY])
    for name in rewrite.delete:
        (bundle / name).unlink(missing_ok=True)
    return True


def _write(path: Path, data: bytes) -> None:
    unfinished = path.with_name(path.name + ".tmp")
    unfinished.write_bytes(data)
    os.replace(unfinished, path)
