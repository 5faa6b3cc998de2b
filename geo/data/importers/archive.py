"""ZIP uploads (ACLED and UCDP bulk downloads): the one data file inside, read with limits.

Nothing is written to disk: the member is decompressed in memory, in blocks, and refused as
soon as it passes the size limit or the compression-ratio limit (a zip bomb), whatever its
header claims. An archive is refused, with a message that says why, when it holds no data file
or more than one, another archive, a path that leaves the archive's folder, an encrypted
member, or too many entries to be a download of one file.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Final

from geo.data.importers.result import IncidentImportError

#: Files an archive may hold as its one data file.
DATA_SUFFIXES: Final[frozenset[str]] = frozenset({".csv", ".geojson", ".json", ".gpkg"})
#: Archives inside an archive are never opened.
ARCHIVE_SUFFIXES: Final[frozenset[str]] = frozenset(
    {".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".tar", ".zst"}
)
#: Uncompressed size over compressed size beyond which a member is refused as a zip bomb.
#: CSV and GeoJSON exports compress about 5-15:1; a zip bomb by hundreds or thousands to one.
MAX_RATIO: Final[int] = 100
#: Entries an archive may hold (a download of one file has one to a handful).
MAX_ENTRIES: Final[int] = 100
_BLOCK: Final[int] = 1 << 20
_MAGIC: Final[tuple[bytes, ...]] = (b"PK\x03\x04", b"PK\x05\x06", b"\x1f\x8b", b"7z\xbc\xaf",
                                    b"Rar!", b"BZh", b"\xfd7zXZ")


@dataclass(frozen=True)
class Member:
    """The data file read from an archive: its name in the archive, its bytes, and a note."""

    name: str
    data: bytes
    note: str


def is_zip(data: bytes) -> bool:
    return data.startswith((b"PK\x03\x04", b"PK\x05\x06"))


def _megabytes(count: int) -> str:
    """A size for people: "250 MB", "1.2 MB", "20 KB", "120 bytes"."""
    if count >= 1_000_000:
        return f"{count / 1e6:,.1f}".removesuffix(".0") + " MB"
    return f"{count / 1e3:,.0f} KB" if count >= 1_000 else f"{count} bytes"


def _is_metadata(path: PurePosixPath) -> bool:
    """Folders and the files macOS adds to archives (__MACOSX/, ._name, .DS_Store)."""
    return (path.parts[:1] == ("__MACOSX",) or path.name.startswith("._")
            or path.name == ".DS_Store")


def _path_problem(raw: str) -> str:
    """Why an entry's name is refused ("" when it is a plain relative path)."""
    if "\x00" in raw or any(not ch.isprintable() for ch in raw):
        return "has a control character in its name"
    if raw.startswith(("/", "\\")) or (len(raw) > 1 and raw[1] == ":"):
        return "has an absolute path"
    if ".." in raw.replace("\\", "/").split("/"):
        return "has a path that leaves the archive's folder (..)"
    return ""


def _shown(names: list[str]) -> str:
    return ", ".join(n[:60] for n in names[:5]) + (" …" if len(names) > 5 else "")


def _open(data: bytes, name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise IncidentImportError(
            f"{name}: this is a damaged ZIP archive ({str(exc)[:120]}). Upload the CSV, "
            "GeoJSON or GeoPackage itself."
        ) from None


def _choose(infos: list[zipfile.ZipInfo], name: str) -> tuple[zipfile.ZipInfo, list[str]]:
    """The one data member, and the names of the other (ignored) files."""
    if len(infos) > MAX_ENTRIES:
        raise IncidentImportError(
            f"{name}: the ZIP archive has {len(infos):,} entries; an export holds one data "
            f"file (at most {MAX_ENTRIES} entries are read)."
        )
    data: list[zipfile.ZipInfo] = []
    others: list[str] = []
    for info in infos:
        problem = _path_problem(info.filename)
        if problem:
            raise IncidentImportError(
                f"{name}: refused: an entry of the ZIP archive {problem} "
                f"({info.filename[:60]!r})."
            )
        path = PurePosixPath(info.filename.replace("\\", "/"))
        if info.is_dir() or _is_metadata(path):
            continue
        suffix = path.suffix.lower()
        if suffix in ARCHIVE_SUFFIXES:
            raise IncidentImportError(
                f"{name}: the ZIP archive holds another archive ({info.filename[:60]}); "
                "archives inside archives are not opened. Upload the data file itself."
            )
        if suffix in DATA_SUFFIXES:
            data.append(info)
        else:
            others.append(info.filename)
    if any(n.startswith("xl/") for n in [*others, *(i.filename for i in data)]):
        raise IncidentImportError(
            f"{name}: this is an Excel workbook (.xlsx). Save the sheet as "
            "'CSV UTF-8 (comma delimited)' and upload the CSV."
        )
    if not data:
        found = f" (it holds {_shown(others)})" if others else " (it is empty)"
        raise IncidentImportError(
            f"{name}: the ZIP archive holds no CSV, GeoJSON or GeoPackage file{found}."
        )
    if len(data) > 1:
        raise IncidentImportError(
            f"{name}: the ZIP archive holds {len(data)} data files "
            f"({_shown([i.filename for i in data])}); upload one at a time."
        )
    return data[0], others


def _refuse_size(name: str, member: str, size: int, packed: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise IncidentImportError(
            f"{name}: {member} is {_megabytes(size)} uncompressed; the limit is "
            f"{_megabytes(max_bytes)}. Split it or filter it to the region first."
        )
    if size > MAX_RATIO * max(packed, 1):
        raise IncidentImportError(
            f"{name}: refused: {member} would expand more than {MAX_RATIO} times "
            f"({_megabytes(packed)} compressed), which is how zip bombs look; exports "
            "compress far less."
        )


def extract_single(data: bytes, name: str, max_bytes: int) -> Member:
    """The one data file of a ZIP archive, checked against ``max_bytes`` uncompressed and
    :data:`MAX_RATIO`; raises :class:`IncidentImportError` with the reason otherwise."""
    with _open(data, name) as archive:
        info, others = _choose(archive.infolist(), name)
        member = info.filename[:120]
        if info.flag_bits & 0x1:
            raise IncidentImportError(
                f"{name}: {member} is password-protected in the ZIP archive; unzip it first."
            )
        _refuse_size(name, member, info.file_size, info.compress_size, max_bytes)
        blocks: list[bytes] = []
        total = 0
        try:
            with archive.open(info) as stream:
                while block := stream.read(_BLOCK):
                    total += len(block)  # the header's sizes may lie: count what comes out
                    _refuse_size(name, member, total, info.compress_size, max_bytes)
                    blocks.append(block)
        except (zipfile.BadZipFile, EOFError, OSError, zipfile.LargeZipFile) as exc:
            raise IncidentImportError(
                f"{name}: {member} cannot be read from the ZIP archive ({str(exc)[:120]})."
            ) from None
        except NotImplementedError:
            raise IncidentImportError(
                f"{name}: {member} is compressed with a method this app cannot read; "
                "re-zip it (deflate) or upload the file itself."
            ) from None
    content = b"".join(blocks)
    if content.startswith(_MAGIC):
        raise IncidentImportError(
            f"{name}: {member} in the ZIP archive is itself an archive; archives inside "
            "archives are not opened. Upload the data file itself."
        )
    skipped = f" ({len(others)} other file(s) ignored: {_shown(others)})" if others else ""
    return Member(member, content, f"Read {member} from the ZIP archive{skipped}.")
