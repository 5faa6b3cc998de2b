"""From uploaded bytes to text: binary formats refused, encodings decoded, CSV records read."""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final

from geo.data.importers.result import IncidentImportError

#: A date cell that starts with an ISO day (a time may follow): the day is group 1.
ISO_DATE_PREFIX = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:[ T][0-9:.]*)?\s*$")
_DELIMITERS: Final[dict[str, str]] = {";": "semicolons", "\t": "tabs", "|": "pipes (|)"}


def refuse_binary(data: bytes, name: str) -> None:
    """Raise a specific error for gzip, office files, PDFs and other binary content (ZIP
    archives are opened before: geo.data.importers.archive)."""
    if data.startswith(b"\x1f\x8b"):
        raise IncidentImportError(f"{name}: this is gzip-compressed. Decompress it first.")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise IncidentImportError(
            f"{name}: this is an old Excel/Office file (.xls). Save it as CSV (UTF-8) first."
        )
    if data.startswith(b"%PDF"):
        raise IncidentImportError(f"{name}: this is a PDF, not a data file.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    head = data[:65536]
    zeros = head.count(b"\x00")
    if zeros:
        if zeros >= len(head) // 3:
            raise IncidentImportError(
                f"{name}: looks like UTF-16 text without a byte-order mark. Save it as "
                "UTF-8 CSV (or UTF-16 with a BOM) and upload it again."
            )
        raise IncidentImportError(
            f"{name}: this is a binary file, not CSV, GeoJSON or GeoPackage."
        )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode as UTF-8 (BOM or not), then UTF-16 (with a BOM), then Latin-1.

    Returns the text and a note for the user when the encoding was not UTF-8.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "Decoded as UTF-16."
        except UnicodeDecodeError:
            raise IncidentImportError(
                f"{name}: starts with a UTF-16 byte-order mark but is not valid UTF-16."
            ) from None
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        pass
    text = data.decode("latin-1")
    if len(_CONTROL.findall(text[:200_000])) > max(5, len(text[:200_000]) // 100):
        raise IncidentImportError(
            f"{name}: the text is not UTF-8, UTF-16 or Latin-1 (it may be binary or in another "
            "encoding). Save it as UTF-8 CSV."
        )
    return text, (
        "The file is not valid UTF-8 and was decoded as Latin-1: check accented and Arabic "
        "names, and save as UTF-8 next time."
    )


#: Called while a CSV is read: the records read so far, and the share of the text read (0-1).
Progress = Callable[[int, float], None]
#: Records between two calls of a :data:`Progress` callback.
PROGRESS_EVERY: Final[int] = 10_000


def iter_records(
    text: str, name: str, progress: Progress | None = None
) -> Iterator[tuple[int, list[str]]]:
    """Every non-blank CSV record with its record number (the header is record 1), read
    lazily; ``progress`` is told every :data:`PROGRESS_EVERY` records and at the end."""
    buffer = io.StringIO(text, newline="")
    reader = csv.reader(buffer)
    size = max(len(text), 1)
    number = 0
    try:
        for fields in reader:
            number += 1
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress(number, buffer.tell() / size)
            if not fields or not (fields[0].strip() or any(f.strip() for f in fields)):
                continue
            yield number, fields
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise IncidentImportError(
                f"{name}: record {number + 1} has a cell longer than "
                f"{csv.field_size_limit():,} characters; the file is probably not a CSV "
                "(or a quote is not closed)."
            ) from None
        raise IncidentImportError(
            f"{name}: not a readable CSV (record {number + 1}: {exc})."
        ) from None
    if progress is not None:
        progress(number, 1.0)


def check_delimiter(first: Sequence[str], name: str) -> None:
    if len(first) != 1:
        return
    counts = Counter({d: first[0].count(d) for d in _DELIMITERS})
    delimiter, count = counts.most_common(1)[0]
    if count:
        raise IncidentImportError(
            f"{name}: the columns are separated by {_DELIMITERS[delimiter]}, not commas. Save it "
            "as comma-separated CSV (UTF-8) and upload it again."
        )


def is_number(value: Any) -> bool:
    try:
        number = float(str(value))
    except (TypeError, ValueError):
        return False
    return not (math.isnan(number) or math.isinf(number))
