"""Benchmark: peak memory of hostile and large uploads over the process baseline.

Each case runs in a fresh process (peak RSS is a high-water mark, so cases must not share one): the
process sets up Django on a throwaway SQLite database holding the enterprises the files name, takes
its resident memory as the baseline, then runs `yuanqu.intake.services.batch_import` (as the system
actor; a dry run, except the `_applied` case, which writes) on the case's file and reports the peak
RSS over the baseline, the CPU time, the outcome, and for .ods the peak of the memory-capped child
that reads it. The floor is the same
pipeline on a small valid workbook, measured in the same run. The bound: 300 MB over the baseline.

Cases:
- `floor`: a 1,000-row monthly workbook, valid;
- `xfd_single_quoted`: 1.8 KB .xlsx, cells A1 and XFD1048576, attributes in single quotes;
- `gr200001`: cells A1 and GR200001 (inside the row and column limits), double quotes;
- `formatted_rows`: 3 data rows and formatted empty rows down to row 1,048,576;
- `zip_bomb`: an .xlsx with a 1 GiB member of zeros (about 1 MB compressed);
- `ods_bomb`: 1.9 KB .ods whose repeated cells fill 150,000 × 150;
- `csv_27mb` and `csv_50mb`: monthly CSV files of that size (valid rows, real enterprises);
- `largest_xlsx`: a monthly workbook just under the default cell cap (49,000 rows × 20 columns, plus
  its 10,000 shared strings), checked (dry run) and `largest_xlsx_applied`: imported (written).

Run from the repository root:  .venv/bin/python -m benchmarks.bench_hostile_uploads [case …]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BOUND_MB = 300
ENTERPRISES = 5_000
CASES = (
    "floor",
    "xfd_single_quoted",
    "gr200001",
    "formatted_rows",
    "zip_bomb",
    "ods_bomb",
    "csv_27mb",
    "csv_50mb",
    "largest_xlsx",
    "largest_xlsx_applied",
)
# Each flow (营业收入, 工业总产值, 工业增加值, 利润总额, 税金, 研发费用, 能耗, 出口交货值) as a share of a
# firm's base, so that the rows pass the pack's hard audit rules (工业增加值 ≤ 工业总产值, 利润总额 ≤
# 营业收入), as the intake benchmark's workbook does.
SHARES = (1.0, 1.1, 0.35, 0.12, 0.06, 0.04, 0.5, 0.3)
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def setup_django(workdir: Path) -> None:
    os.environ["YUANQU_DEMO"] = "1"
    os.environ["YUANQU_DEBUG"] = "0"
    os.environ["YUANQU_VAR_DIR"] = str(workdir / "var")
    os.environ["YUANQU_MEDIA_ROOT"] = str(workdir / "files")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
    import django

    django.setup()


# ---------------------------------------------------------------- files


def raw_xlsx(sheet_xml: str, quote: str = '"') -> bytes:
    q = quote
    workbook = (
        f"<workbook xmlns={q}{NS}{q} xmlns:r={q}{R_NS}{q}><sheets>"
        f"<sheet name={q}填报{q} sheetId={q}1{q} r:id={q}rId1{q}/></sheets></workbook>"
    )
    rels = (
        f"<Relationships xmlns={q}http://schemas.openxmlformats.org/package/2006/relationships{q}>"
        f"<Relationship Id={q}rId1{q} Type={q}{R_NS}/worksheet{q} Target={q}worksheets/sheet1.xml{q}/>"
        "</Relationships>"
    )
    return zipped(
        ("[Content_Types].xml", "<Types/>"),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", rels),
        ("xl/worksheets/sheet1.xml", f"<worksheet xmlns={q}{NS}{q}>{sheet_xml}</worksheet>"),
    )


def zipped(*members: tuple[str, str]) -> bytes:
    """A zip archive (deflated) of the members, each a name and its text."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members:
            archive.writestr(name, text)
    return buffer.getvalue()


def _inline(ref: str, text: str, q: str = '"') -> str:
    return f"<c r={q}{ref}{q} t={q}inlineStr{q}><is><t>{text}</t></is></c>"


def monthly_header() -> list[str]:
    from yuanqu.intake.kinds import KINDS

    return [column.title for column in KINDS["monthly"].columns]


def monthly_rows(firms: list[str], count: int) -> Iterator[list[Any]]:
    """Consistent monthly reports: each firm month after month, 本月 the difference of cumulatives.
    Past twelve months of every firm the reports go on into the years before 2025 (2024-01 …
    2024-12, then 2023 …), so no (firm, period) repeats: 5,000 firms fill the ten years the intake
    accepts with 600,000 rows, more than any case here reads."""
    for number in range(count):
        uscc = firms[number % len(firms)]
        year, month = 2025 - (number // len(firms)) // 12, 1 + (number // len(firms)) % 12
        values: list[Any] = [uscc, f"武汉测试{number % len(firms)}有限公司", f"{year}-{month:02d}"]
        for share in SHARES:
            value = round((50 + (number % len(firms)) % 400) * share, 2)
            values += [value, round(value * month, 2)]
        values.append(20 + number % 7)
        yield values


def xlsx_bytes(rows: Iterator[list[Any]]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as book:
        sheet = book.add_worksheet("填报")
        sheet.write_row(0, 0, monthly_header())
        for number, row in enumerate(rows, start=1):
            sheet.write_row(number, 0, row)
    return buffer.getvalue()


def csv_bytes(rows: Iterator[list[Any]], size_mb: int) -> bytes:
    """Rows as UTF-8 CSV, up to the given size."""
    limit = size_mb * 2**20
    parts = [(",".join(monthly_header()) + "\r\n").encode("utf-8")]
    total = len(parts[0])
    for row in rows:
        line = (",".join(str(cell) for cell in row) + "\r\n").encode("utf-8")
        if total + len(line) > limit:
            break
        parts.append(line)
        total += len(line)
    return b"".join(parts)


def ods_bomb() -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="填报">'
        '<table:table-row table:number-rows-repeated="150000"><table:table-cell table:number-columns-repeated="150"'
        ' office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    return zipped(
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", content),
    )


def zip_bomb() -> bytes:
    base = raw_xlsx('<sheetData><row r="1">' + _inline("A1", "x") + "</row></sheetData>")
    source = zipfile.ZipFile(io.BytesIO(base))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for item in source.infolist():
            archive.writestr(item, source.read(item))
        with archive.open("xl/media/image1.bin", "w", force_zip64=True) as member:
            zeros = b"\0" * 2**24
            for _ in range(64):  # 1 GiB
                member.write(zeros)
    return buffer.getvalue()


def make_file(case: str, firms: list[str]) -> tuple[str, bytes]:
    if case == "floor":
        return "floor.xlsx", xlsx_bytes(monthly_rows(firms, 1_000))
    if case == "xfd_single_quoted":
        sheet = (
            "<dimension ref='A1:XFD1048576'/><sheetData><row r='1'>" + _inline("A1", "x", "'") + "</row>"
            "<row r='1048576'><c r='XFD1048576'><v>1</v></c></row></sheetData>"
        )
        return "xfd.xlsx", raw_xlsx(sheet, quote="'")
    if case == "gr200001":
        sheet = (
            '<dimension ref="A1:GR200001"/><sheetData><row r="1">' + _inline("A1", "x") + "</row>"
            '<row r="200001"><c r="GR200001"><v>1</v></c></row></sheetData>'
        )
        return "gr.xlsx", raw_xlsx(sheet)
    if case == "formatted_rows":
        header = "".join(_inline(f"{chr(65 + i)}1", title) for i, title in enumerate(monthly_header()[:3]))
        rows = "".join(
            f'<row r="{n}">{_inline(f"A{n}", firms[n])}{_inline(f"C{n}", "2025-01")}</row>' for n in range(2, 5)
        )
        empty = "".join(f'<row r="{n}" s="0" customFormat="1"/>' for n in range(5, 1_048_577))
        return "formatted.xlsx", raw_xlsx(f'<sheetData><row r="1">{header}</row>{rows}{empty}</sheetData>')
    if case == "zip_bomb":
        return "bomb.xlsx", zip_bomb()
    if case == "ods_bomb":
        return "bomb.ods", ods_bomb()
    if case == "csv_27mb":
        return "27mb.csv", csv_bytes(monthly_rows(firms, 400_000), 27)
    if case == "csv_50mb":
        return "50mb.csv", csv_bytes(monthly_rows(firms, 700_000), 50)
    if case in ("largest_xlsx", "largest_xlsx_applied"):
        return "largest.xlsx", xlsx_bytes(monthly_rows(firms, 49_000))
    raise ValueError(case)


# ---------------------------------------------------------------- one case, in its own process


def run_case(case: str, workdir: Path) -> dict[str, Any]:
    setup_django(workdir)
    from yuanqu.intake.kinds import KINDS
    from yuanqu.intake.reading import FileRefused
    from yuanqu.intake.services import batch_import, system_actor
    from yuanqu.registry.models import Enterprise

    path = next((workdir / "files").glob(f"{case}.*"))
    name, content = path.name, path.read_bytes()
    Enterprise.objects.exists()  # the database connection is open before the baseline
    import gc

    gc.collect()
    baseline, peak_before = rss_mb(), peak_mb()
    cpu = time.process_time()
    started = time.perf_counter()
    try:
        outcome = batch_import(
            actor=system_actor("benchmark"),
            spec=KINDS["monthly"],
            file_name=name,
            content=content,
            dry_run=not case.endswith("_applied"),
        )
        result = f"{outcome.status}: {outcome.message}"
    except FileRefused as exc:
        result = f"refused: {exc}"
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    peak = peak_mb()
    with open("/proc/self/status") as handle:
        threads = next(line.split()[1] for line in handle if line.startswith("Threads:"))
    return {
        "case": case,
        "file_mb": len(content) / 2**20,
        "baseline_mb": baseline,
        "peak_before_mb": peak_before,
        "peak_mb": peak,
        "over_baseline_mb": peak - baseline,
        "child_peak_mb": peak_mb(resource.RUSAGE_CHILDREN),
        "cpu_s": cpu,
        "child_cpu_s": resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime,
        "wall_s": elapsed,
        "threads": threads,
        "result": result[:140],
    }


def prepare(directory: str, cases: list[str]) -> None:
    """The database (migrated, reference data, the enterprises) and each case's file, on disk."""
    workdir = Path(directory)
    setup_django(workdir)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from yuanqu.core.uscc import make
    from yuanqu.registry.models import District, Enterprise
    from yuanqu.registry.services import reference_data_load

    reference_data_load()
    district = District.objects.get(code="420115")
    Enterprise.objects.bulk_create(
        [
            Enterprise(
                uscc=make(f"914201157{n:08d}"), name=f"武汉测试{n}有限公司", industry_id="C3976", district=district
            )
            for n in range(ENTERPRISES)
        ],
        batch_size=2000,
    )
    firms = list(Enterprise.objects.order_by("pk").values_list("uscc", flat=True))
    (workdir / "files").mkdir()
    for case in cases:
        name, content = make_file(case, firms)
        (workdir / "files" / f"{case}{Path(name).suffix}").write_bytes(content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", default=list(CASES))
    parser.add_argument("--case-in-process", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case_in_process:
        print(json.dumps(run_case(args.case_in_process, Path(args.workdir))))
        return
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        workdir = Path(tmp)
        subprocess.run(
            [
                sys.executable,
                "-c",
                f"from benchmarks.bench_hostile_uploads import prepare; prepare({str(workdir)!r}, {args.cases!r})",
            ],
            check=True,
        )
        environment = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
        results = []
        for case in args.cases:
            completed = subprocess.run(
                [sys.executable, "-m", "benchmarks.bench_hostile_uploads", "--case-in-process", case, "--workdir", tmp],
                capture_output=True,
                text=True,
                env=environment,
                check=False,
            )
            if completed.returncode != 0:
                print(f"{case}: the process failed ({completed.returncode}): {completed.stderr[-400:]}")
                continue
            results.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
        f"load {' '.join(load)}, OMP_NUM_THREADS={environment['OMP_NUM_THREADS']}"
    )
    floor = next((r["over_baseline_mb"] for r in results if r["case"] == "floor"), None)
    print("| case | file | baseline | peak over baseline | ÷ floor | reader child peak | CPU (s) | threads | outcome |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        ratio = f"{r['over_baseline_mb'] / floor:.1f}×" if floor else "—"
        child = f"{r['child_peak_mb']:.0f} MB" if r["child_peak_mb"] else "—"
        bound = "" if r["over_baseline_mb"] <= BOUND_MB else " **over the bound**"
        print(
            f"| {r['case']} | {r['file_mb']:.2f} MB | {r['baseline_mb']:.0f} MB | {r['over_baseline_mb']:.0f} MB{bound}"
            f" | {ratio} | {child} | {r['cpu_s']:.1f} + {r['child_cpu_s']:.1f} | {r['threads']} | {r['result']} |"
        )


if __name__ == "__main__":
    main()
