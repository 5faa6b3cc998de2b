"""ZIP uploads and the chunked CSV reading: a zipped export imports as the file itself would,
limits hold whatever a ZIP header claims, and the chunk size never changes a result."""

from __future__ import annotations

import io
import json
import struct
import zipfile
from pathlib import Path

import pytest

from bench import synth
from geo.data.importers import ImportResult, IncidentImportError, csv_schema, import_incidents
from geo.data.importers.archive import MAX_RATIO

DATA = Path(__file__).resolve().parents[2] / "data"
BAD = DATA / "bad"
MANIFEST = json.loads((BAD / "manifest.json").read_text("utf-8"))


def _zip(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def _outcome(result: ImportResult) -> tuple[object, ...]:
    return (result.format, result.rows_read, result.ignored_columns,
            [r.as_row() for r in result.rejected], result.data.to_csv())


@pytest.mark.parametrize("name", ["acled_bom.csv", "ucdp_ged_header.csv", "ucdp_ged_noheader.csv",
                                  "incidents_bom.csv", "bad/points_3d.geojson"])
def test_a_zipped_file_imports_as_the_file_itself(name: str) -> None:
    data = (DATA / name).read_bytes()
    plain = import_incidents(data, name)
    member = f"export/{Path(name).name}"
    zipped = import_incidents(_zip((member, data)), name)
    assert _outcome(zipped) == _outcome(plain)
    assert zipped.data.equals(plain.data)
    note = f"Read {member} from the ZIP archive."
    assert " ".join(zipped.notes) == " ".join([note, *plain.notes])


@pytest.mark.parametrize("name", ["acled_broken.csv", "ucdp_ged_noheader_broken.csv"])
def test_a_zipped_file_is_refused_as_the_file_itself(name: str) -> None:
    data = (DATA / name).read_bytes()
    with pytest.raises(IncidentImportError) as plain:
        import_incidents(data, name)
    with pytest.raises(IncidentImportError) as zipped:
        import_incidents(_zip((name, data)), name)
    assert str(zipped.value) == str(plain.value)


def test_a_header_that_understates_the_size_does_not_get_past_the_limits() -> None:
    content = b"0" * 3_000_000
    archive = bytearray(_zip(("incidents.csv", content)))
    # Claim 1,000 bytes uncompressed in the local and the central header (a ratio below 100).
    for magic, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = archive.index(magic) + offset
        archive[at:at + 4] = struct.pack("<I", 1_000)
    with pytest.raises(IncidentImportError, match=r"^lying\.zip: incidents\.csv"):
        import_incidents(bytes(archive), "lying.zip")


def test_the_ratio_limit_leaves_real_exports_alone() -> None:
    frame = synth.to_acled(synth.synthetic_incidents(2_000))
    export = frame.to_csv(index=False).encode()
    packed = _zip(("a.csv", export))
    assert len(export) / len(packed) < MAX_RATIO / 5  # realistic rows: far below the limit
    assert import_incidents(packed, "export.zip").accepted == 2_000
    with pytest.raises(IncidentImportError, match="would expand more than 100 times"):
        import_incidents(_zip(("a.csv", b"\n" * 5_000_000)), "bomb.zip")


def test_progress_reports_rows_read_up_to_the_whole_file() -> None:
    header, *rows = (DATA / "acled_bom.csv").read_text("utf-8-sig").splitlines()
    many = "\n".join([header, *(rows[0].replace(rows[0].split(",")[0], f"P-{i}", 1)
                                for i in range(25_000))]) + "\n"
    calls: list[tuple[int, float]] = []
    result = import_incidents(many.encode(), "many.csv",
                              progress=lambda n, share: calls.append((n, share)))
    assert result.rows_read == 25_000
    assert [n for n, _ in calls] == [10_000, 20_000, 25_001]
    shares = [s for _, s in calls]
    assert shares == sorted(shares) and 0 < shares[0] < 1 and shares[-1] == 1.0


@pytest.mark.parametrize("chunk", [1, 2, 3])
def test_the_chunk_size_never_changes_a_result(chunk: int, monkeypatch) -> None:
    """Every CSV of the corpus and of tests/data, read in chunks of 1-3 rows, gives exactly
    what one chunk gives (duplicates across chunks, ragged rows, file order of refusals)."""
    files = [p for p in [*BAD.glob("*.csv"), *DATA.glob("*.csv")]]
    assert len(files) > 20

    def run(path: Path) -> tuple[object, ...]:
        limit = MANIFEST.get(path.name, {}).get("max_bytes", 50_000_000)
        try:
            return _outcome(import_incidents(path.read_bytes(), path.name, max_bytes=limit))
        except IncidentImportError as exc:
            return (str(exc),)

    whole = {p.name: run(p) for p in files}
    monkeypatch.setattr(csv_schema, "CHUNK_ROWS", chunk)
    assert {p.name: run(p) for p in files} == whole
