"""Write small real PDFs for the reader's tests: reportlab, Word (via LibreOffice), bad files.

Every function takes a folder and returns the path of the file it wrote.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    FrameBreak,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

FILLER = (
    "The Board noted that the force continues to work with community safety partners across the "
    "seven local policing units, and that officers review every case with the victim so that the "
    "service offered is consistent from one area to the next. "
)
TABLE_ROWS = [
    ["", "2012/13", "2013/14", "Milestone", "Performance"],
    ["Reduce Burglary Dwelling", "13,559", "12,735", "-8 %", "-6.1 %"],
    ["Reduce Robbery", "3,781", "3,215", "-10 %", "-15.0 %"],
    ["Reduce Vehicle Crime", "17,211", "16,029", "-5 %", "-6.9 %"],
]
ONE_COLUMN_SENTENCE = "Total recorded crime fell by 4.2% in the year to March 2014."
TABLE_SENTENCE = "The table below sets out performance against the milestones for 2013/14."
LEFT_SENTENCE = "Left column begins here with the first point about neighbourhood teams."
RIGHT_SENTENCE = "Right column begins here with the second point about response times."


def _paper_styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["Normal"], fontName="Helvetica", fontSize=10, leading=13, spaceAfter=8)
    head = ParagraphStyle(
        "head", parent=base["Heading2"], fontName="Helvetica-Bold", fontSize=13, spaceBefore=6, spaceAfter=8
    )
    title = ParagraphStyle("title", parent=base["Title"], fontName="Helvetica-Bold", fontSize=18, spaceAfter=14)
    return body, head, title


def _running(pages_total: list[int]):
    def draw(c: canvas.Canvas, doc: BaseDocTemplate) -> None:
        c.saveState()
        c.setFont("Helvetica", 9)
        c.drawCentredString(A4[0] / 2, A4[1] - 1.2 * cm, "OFFICIAL")
        c.drawString(2 * cm, A4[1] - 1.6 * cm, "Strategic Policing and Crime Board 13 May 2014")
        c.drawCentredString(A4[0] / 2, 1.0 * cm, f"Page {doc.page} of {pages_total[0]}")
        c.restoreState()

    return draw


def reportlab_paper(folder: Path, name: str = "milestones.pdf") -> Path:
    """A 3-page paper: title, numbered paragraphs, a ruled table, a two-column page,
    and running header/footer ("OFFICIAL", "Page N of 3") on every page."""
    body, head, title = _paper_styles()
    path = folder / name
    total = [0]
    for _ in range(2):  # the first build counts the pages for "Page N of M"
        doc = BaseDocTemplate(
            str(path),
            pagesize=A4,
            leftMargin=2.5 * cm,
            rightMargin=2.5 * cm,
            topMargin=2.5 * cm,
            bottomMargin=2.5 * cm,
            title="Police and Crime Plan Milestones 2013/14",
        )
        w, h = doc.width, doc.height
        one = Frame(doc.leftMargin, doc.bottomMargin, w, h, id="one")
        left = Frame(doc.leftMargin, doc.bottomMargin, w / 2 - 0.6 * cm, h, id="left")
        right = Frame(doc.leftMargin + w / 2 + 0.6 * cm, doc.bottomMargin, w / 2 - 0.6 * cm, h, id="right")
        doc.addPageTemplates(
            [
                PageTemplate(id="one", frames=[one], onPage=_running(total)),
                PageTemplate(id="two", frames=[left, right], onPage=_running(total)),
            ]
        )
        story = [
            Paragraph("Police and Crime Plan Milestones", title),
            Paragraph("Performance summary", head),
            Paragraph(f"1. {ONE_COLUMN_SENTENCE} {FILLER}", body),
            Paragraph(f"2. {TABLE_SENTENCE}", body),
            Table(
                TABLE_ROWS,
                style=TableStyle(
                    [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONT", (0, 0), (-1, -1), "Helvetica", 9)]
                ),
            ),
            Spacer(1, 10),
            Paragraph(f"3. Robbery fell by 15% against a milestone of 10%. {FILLER}", body),
            NextPageTemplate("two"),
            PageBreak(),
            Paragraph(f"4. {LEFT_SENTENCE} {FILLER * 3}", body),
            Paragraph(f"5. The left column continues the paper. {FILLER * 2}", body),
            FrameBreak(),
            Paragraph(f"6. {RIGHT_SENTENCE} {FILLER * 3}", body),
            NextPageTemplate("one"),
            PageBreak(),
            Paragraph("Next steps", head),
            Paragraph(f"7. The Board is asked to note the report. {FILLER}", body),
        ]
        doc.build(story)
        total[0] = doc.page
    return path


def image_only_pdf(folder: Path) -> Path:
    """Two pages of shapes and a picture, no text layer (like a scan)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (200, 100), "white")
    ImageDraw.Draw(img).rectangle([10, 10, 190, 90], outline="black")
    img_path = folder / "scan.png"
    img.save(img_path)
    path = folder / "scanned.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(2):
        c.drawImage(str(img_path), 50, 400, width=400, height=200)
        c.rect(50, 50, 300, 100, fill=1)
        c.showPage()
    c.save()
    return path


def encrypted_pdf(folder: Path) -> Path:
    path = folder / "protected.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, encrypt="secret")
    c.drawString(72, 720, "Confidential performance figures: 12,735 burglaries.")
    c.showPage()
    c.save()
    return path


def truncated_pdf(folder: Path) -> Path:
    good = reportlab_paper(folder, "whole.pdf").read_bytes()
    path = folder / "truncated.pdf"
    path.write_bytes(good[: len(good) // 2])
    return path


def html_pdf(folder: Path) -> Path:
    path = folder / "error-page.pdf"
    path.write_bytes(b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>Not found</body></html>\n")
    return path


def empty_pdf(folder: Path) -> Path:
    path = folder / "empty.pdf"
    path.write_bytes(b"")
    return path


# --- a Word paper, converted by LibreOffice -------------------------------------------------

WORD_LONG_PARAGRAPH = 4  # paragraph "4." is long enough to cross from page 1 to page 2
WORD_HEADING = "Neighbourhood policing"
WORD_BULLETS = ["Burglary fell by 6.1% across the force area.", "Robbery fell by 15.0% against a milestone of 10%."]
WORD_TABLE = [["Measure", "2012/13", "2013/14"], ["Burglary", "13,559", "12,735"], ["Robbery", "3,781", "3,215"]]
WORD_SENTENCE = "Emergency response times averaged 12 minutes and 44 seconds in March."


def _page_field(paragraph, instr: str) -> None:
    """Append a Word field (PAGE or NUMPAGES) to a python-docx paragraph."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instr), ("separate", None), (None, None), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)
        elif text:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
            run._r.append(el)
        else:
            t = OxmlElement("w:t")
            t.text = "1"
            run._r.append(t)


def word_docx(folder: Path) -> Path:
    import docx
    from docx.shared import Pt

    d = docx.Document()
    d.styles["Normal"].font.name = "Liberation Serif"
    d.styles["Normal"].font.size = Pt(12)
    d.styles["Normal"].paragraph_format.space_after = Pt(8)
    section = d.sections[0]
    section.header.paragraphs[0].text = "OFFICIAL"
    foot = section.footer.paragraphs[0]
    foot.add_run("Page ")
    _page_field(foot, "PAGE")
    foot.add_run(" of ")
    _page_field(foot, "NUMPAGES")
    d.add_heading("Strategic Policing and Crime Board: Performance Report", level=1)
    d.add_paragraph("1. Purpose of the report. This report updates the Board on the Police and Crime Plan.")
    d.add_paragraph(f"2. {WORD_SENTENCE} {FILLER}")
    d.add_heading(WORD_HEADING, level=2)
    d.add_paragraph(f"3. Officers attended 94.1% of emergency calls within the target time. {FILLER * 2}")
    d.add_paragraph(
        f"{WORD_LONG_PARAGRAPH}. Satisfaction with the overall service rose to 85.6% for victims of burglary. "
        + FILLER * 9
        + "The long paragraph ends here."
    )
    d.add_paragraph("5. The Board is asked to note the contents of this report.")
    for text in WORD_BULLETS:
        d.add_paragraph(text, style="List Bullet")
    table = d.add_table(rows=len(WORD_TABLE), cols=len(WORD_TABLE[0]))
    table.style = "Table Grid"
    for r, row in enumerate(WORD_TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.add_paragraph("6. Recorded crime fell by 4% compared with the previous year.")
    path = folder / "word-paper.docx"
    d.save(str(path))
    return path


def word_pdf(folder: Path) -> Path:
    """The Word paper as LibreOffice prints it; raises RuntimeError when soffice is missing."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("soffice is not on PATH")
    src = word_docx(folder)
    profile = folder / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return folder / "word-paper.pdf"


UNRULED_ROWS = [
    ["Measure", "2012/13", "2013/14", "Change"],
    ["Burglary Dwelling", "13,559", "12,735", "-6.1%"],
    ["Robbery", "3,781", "3,215", "-15.0%"],
    ["Vehicle Crime", "17,211", "16,029", "-6.9%"],
]


def unruled_table_pdf(folder: Path) -> Path:
    """One page: prose, a table set out in aligned columns with no lines, more prose."""
    path = folder / "unruled.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    y = 760.0
    for text in (
        "1. Recorded crime fell in every local policing unit during 2013/14 compared",
        "with the year before, as the table below shows for the main crime types.",
    ):
        c.drawString(72, y, text)
        y -= 13
    y -= 12
    xs = (72, 250, 330, 410)
    for row in UNRULED_ROWS:
        for x, cell in zip(xs, row, strict=True):
            c.drawString(x, y, cell)
        y -= 15
    y -= 12
    c.drawString(72, y, "2. The Board is asked to note the reductions in 2013/14.")
    c.showPage()
    c.save()
    return path


def booktabs_table_pdf(folder: Path) -> Path:
    """A table with horizontal rules only (no grid), between two paragraphs."""
    base = getSampleStyleSheet()
    path = folder / "booktabs.pdf"
    rules = TableStyle(
        [
            ("LINEABOVE", (0, 0), (-1, 0), 1, colors.black),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
            ("LINEBELOW", (0, -1), (-1, -1), 1, colors.black),
        ]
    )
    story = [
        Paragraph("1. Performance against the milestones is set out below for the Board.", base["Normal"]),
        Table(TABLE_ROWS, style=rules),
        Paragraph("2. The Board is asked to note the report.", base["Normal"]),
    ]
    BaseDocTemplate(str(path), pagesize=A4, pageTemplates=[_one_frame()]).build(story)
    return path


def _one_frame() -> PageTemplate:
    return PageTemplate(id="plain", frames=[Frame(2.5 * cm, 2.5 * cm, A4[0] - 5 * cm, A4[1] - 5 * cm)])


# --- a board paper for the build tests: figures on known pages, a ruled table --------------

BOARD_TABLE = [
    ["Force Objectives", "2012/13", "2013/14", "Milestone", "Performance"],
    ["Reduce Burglary Dwelling", "13,559", "12,721", "-8 %", "-6.1 %"],
    ["Reduce Robbery", "3,781", "3,215", "-10 %", "-15.0 %"],
    ["Reduce Vehicle Crime", "17,211", "16,029", "-5 %", "-6.9 %"],
]
BOARD_PAGE1_SENTENCE = "Total recorded crime fell by 4.2% in the year to March 2014."
BOARD_CARRIED_END = "The carried paragraph ends with 1,234 arrests for drug supply in 2013/14."
BOARD_PAGE2_SENTENCE = "Victim satisfaction with the police stood at 86.3% in March 2014."


def board_paper_pdf(folder: Path, name: str = "board-paper.pdf") -> Path:
    """A 2-page board paper: running header "OFFICIAL" and footer "Page N of 2", a ruled
    table (``BOARD_TABLE``) on page 1, numbered paragraph 4 carried from page 1 to
    page 2 (ending with ``BOARD_CARRIED_END``), and ``BOARD_PAGE2_SENTENCE`` (paragraph 5)
    on page 2."""
    body, head, title = _paper_styles()
    path = folder / name
    total = [0]
    for _ in range(2):  # the first build counts the pages for "Page N of M"
        doc = BaseDocTemplate(
            str(path),
            pagesize=A4,
            leftMargin=2.5 * cm,
            rightMargin=2.5 * cm,
            topMargin=2.5 * cm,
            bottomMargin=2.5 * cm,
            title="Performance against the 2013/14 Milestones",
        )
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="one")
        doc.addPageTemplates([PageTemplate(id="one", frames=[frame], onPage=_running(total))])
        grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONT", (0, 0), (-1, -1), "Helvetica", 9)])
        story = [
            Paragraph("Performance against the 2013/14 Milestones", title),
            Paragraph("Crime performance", head),
            Paragraph(f"1. {BOARD_PAGE1_SENTENCE} {FILLER}", body),
            Paragraph("2. The table below sets out performance against the milestones for 2013/14.", body),
            Table(BOARD_TABLE, style=grid),
            Spacer(1, 10),
            Paragraph(f"3. Officers continued to target the most harmful offenders. {FILLER * 6}", body),
            Paragraph(f"4. Neighbourhood teams worked with partners. {FILLER * 8}{BOARD_CARRIED_END}", body),
            Paragraph(f"5. {BOARD_PAGE2_SENTENCE} {FILLER}", body),
            Paragraph("Next steps", head),
            Paragraph("6. The Board is asked to note the report.", body),
        ]
        doc.build(story)
        total[0] = doc.page
    return path


BOARD_TEXT = """STRATEGIC POLICING AND CRIME BOARD
13th May 2014

Neighbourhood policing

1. Emergency response times averaged 12 minutes and 44 seconds in March 2014.

2. Anti-social behaviour incidents fell by 9% compared with 2012/13.
"""


def board_paper_txt(folder: Path, name: str = "board-paper.txt") -> Path:
    path = folder / name
    path.write_text(BOARD_TEXT, encoding="utf-8")
    return path


# --- a text paper printed as a Word paper would be: for scoring PDF against text ------------

_ITEM_START = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3})*[.)]|\(?[a-z]\)|[-•*]\s)")
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*\s*$")
_LONE_NUMBER = re.compile(r"^\d{1,3}[.,]?$")  # a paragraph number left alone on its line by the export
_INLINE = re.compile(r"<i>(.*?)</i>|\*\*(.*?)\*\*|\^\{(.*?)\}|</?p>")


def _add_marked_up(paragraph, text: str, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Add ``text`` to a python-docx paragraph, turning the export's inline markup back into
    formatting: <i>..</i> italic, **..** bold, ^{..} superscript, <p> tags dropped."""
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            paragraph.add_run(text[pos : m.start()]).bold = bold or None
        italic, strong, sup = m.groups()
        if italic is not None:
            run = paragraph.add_run(italic)
            run.italic = True
            run.bold = bold or None
        elif strong is not None:
            paragraph.add_run(strong).bold = True
        elif sup is not None:
            paragraph.add_run(sup).font.superscript = True
        pos = m.end()
    if pos < len(text):
        paragraph.add_run(text[pos:]).bold = bold or None


def _looks_like_heading(line: str, next_line: str | None) -> bool:
    s = _INLINE.sub(lambda m: next(g for g in m.groups() if g is not None) if any(m.groups()) else "", line).strip()
    if not s or len(s) > 110 or _ITEM_START.match(s) or _SENTENCE_END.search(s) or s[0].islower():
        return False
    if ", " in s and not s.isupper():  # a sentence cut by the export's line wrapping
        return False
    if next_line is not None and re.match(r"^\(.*\)$", next_line.strip()):
        return True  # "A- Improving confidence in policing" over "(Lead ACC Local Policing)"
    return s.isupper() or next_line is None or bool(_ITEM_START.match(next_line)) or not next_line.strip()


def text_blocks(text: str) -> list[tuple[str, object]]:
    """The text paper as Word blocks: ("heading", line), ("paragraph", text), ("table", rows).

    Lines with tabs are table rows (consecutive rows make one table). Other lines are
    reflowed into paragraphs the way the paper's author typed them: a new paragraph at a
    paragraph number or bullet, after a heading, or at a blank line after a finished sentence
    or after a paragraph the export did not wrap (a blank line inside a wrapped paragraph is
    where the original's page broke).
    """
    lines = text.splitlines()
    blocks: list[tuple[str, object]] = []
    para: list[str] = []
    rows: list[list[str]] = []
    blank_before = False

    def flush_para() -> None:
        if para:
            blocks.append(("paragraph", " ".join(para)))
            para.clear()

    def flush_rows() -> None:
        if rows:
            width = max(len(r) for r in rows)
            blocks.append(("table", [r + [""] * (width - len(r)) for r in rows]))
            rows.clear()

    for i, raw in enumerate(lines):
        line = raw.rstrip()
        if "\t" in line:
            flush_para()
            rows.append([c.strip() for c in line.split("\t")])
            continue
        flush_rows()
        if not line.strip():
            blank_before = True
            continue
        nxt = next((ln for ln in lines[i + 1 :] if ln.strip()), None)
        stripped = line.strip()
        mid_sentence = bool(para) and not _SENTENCE_END.search(para[-1]) and not blank_before
        if _looks_like_heading(stripped, nxt) and not mid_sentence:
            flush_para()
            blocks.append(("heading", stripped))
        elif (
            not para
            or _ITEM_START.match(stripped)
            or _LONE_NUMBER.match(stripped)
            or _LONE_NUMBER.match(para[-1])
            or (blank_before and (_SENTENCE_END.search(para[-1]) or any(len(x) > 100 for x in para)))
        ):
            flush_para()
            para.append(stripped)
        else:
            para.append(stripped)
        blank_before = False
    flush_para()
    flush_rows()
    return blocks


def text_paper_docx(text: str, folder: Path, stem: str) -> Path:
    """A Word paper holding ``text``: headings in bold, numbered paragraphs as typed, tab
    rows as bordered Word tables, a running header "OFFICIAL" and a "Page X of Y" footer."""
    import docx
    from docx.shared import Pt

    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.name = "Liberation Sans"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(8)
    section = d.sections[0]
    section.header.paragraphs[0].text = "OFFICIAL"
    foot = section.footer.paragraphs[0]
    foot.add_run("Page ")
    _page_field(foot, "PAGE")
    foot.add_run(" of ")
    _page_field(foot, "NUMPAGES")
    for kind, content in text_blocks(text):
        if kind == "table":
            rows = content  # type: ignore[assignment]
            table = d.add_table(rows=len(rows), cols=len(rows[0]))  # type: ignore[arg-type]
            table.style = "Table Grid"
            for r, row in enumerate(rows):  # type: ignore[arg-type]
                for c, value in enumerate(row):
                    cell = table.cell(r, c)
                    _add_marked_up(cell.paragraphs[0], value)
                    cell.paragraphs[0].paragraph_format.space_after = Pt(0)
            d.add_paragraph().paragraph_format.space_after = Pt(0)
        else:
            _add_marked_up(d.add_paragraph(), str(content), bold=kind == "heading")
    path = folder / f"{stem}.docx"
    d.save(str(path))
    return path


def text_papers_pdf(texts: dict[str, Path], folder: Path) -> dict[str, Path]:
    """Text papers (id -> file) typed into Word (``text_paper_docx``) and printed to PDF by
    LibreOffice in one run, as the PDF answer keys read them: id -> PDF. RuntimeError when
    soffice is missing."""
    docx = [text_paper_docx(path.read_text(encoding="utf-8"), folder, stem) for stem, path in texts.items()]
    return dict(zip(texts, convert_to_pdf(docx, folder), strict=True))


def convert_to_pdf(docx_paths: list[Path], outdir: Path) -> list[Path]:
    """Print Word files to PDF with LibreOffice in one run; RuntimeError when soffice is missing."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("soffice is not on PATH")
    profile = outdir / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(outdir)]
        + [str(p) for p in docx_paths],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return [outdir / (p.stem + ".pdf") for p in docx_paths]


SPLIT_TABLE = [["District", "2013/14 Allocation £"]] + [[f"Area {i}", f"{100000 + i:,}"] for i in range(12)]


def split_table_pdf(folder: Path) -> Path:
    """A ruled table that a page break cuts in two, its header only on the first page."""
    path = folder / "split-table.pdf"
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)])
    story = [
        Spacer(1, 560),
        Paragraph("1. The proposed allocations are shown in the following table.", getSampleStyleSheet()["Normal"]),
        Table(SPLIT_TABLE, style=grid),
    ]
    BaseDocTemplate(str(path), pagesize=A4, pageTemplates=[_one_frame()]).build(story)
    return path


ONE_PAGE_BODY = [
    "1. Recorded crime fell by 4% in 2013/14 compared with the year before.",
    "OFFICIAL",
    "2. The Board is asked to note the report.",
]


def one_page_pdf(folder: Path) -> Path:
    """One page: "OFFICIAL" in the top band and "Page 1 of 1" in the bottom band (too few
    pages to find them by repetition), and a body with "OFFICIAL" alone mid-page."""
    path = folder / "one-page.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 9)
    c.drawCentredString(A4[0] / 2, A4[1] - 1.2 * cm, "OFFICIAL")
    c.drawCentredString(A4[0] / 2, 1.0 * cm, "Page 1 of 1")
    c.setFont("Helvetica", 11)
    y = 700.0
    for text in ONE_PAGE_BODY:
        c.drawString(72, y, text)
        y -= 40
    c.showPage()
    c.save()
    return path


SECOND_TABLE = [["Force", "Officers"], ["West Midlands", "6,612"], ["West Mercia", "2,050"]]


def two_tables_pdf(folder: Path) -> Path:
    """Two ruled tables of the same width and columns, the first ending page 1, the second
    (with a bold header row of its own) opening page 2."""
    path = folder / "two-tables.pdf"
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)])
    bold_head = TableStyle(
        [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 10)]
    )
    story = [
        Spacer(1, 560),
        Paragraph("1. The allocations and the officer numbers follow.", getSampleStyleSheet()["Normal"]),
        Table(SPLIT_TABLE[:6], colWidths=[200, 150], style=grid),
        PageBreak(),
        Table(SECOND_TABLE, colWidths=[200, 150], style=bold_head),
    ]
    BaseDocTemplate(str(path), pagesize=A4, pageTemplates=[_one_frame()]).build(story)
    return path


def split_table_repeated_header_pdf(folder: Path) -> Path:
    """``split_table_pdf`` with the header row repeated at the top of the second page."""
    path = folder / "split-table-repeated.pdf"
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)])
    story = [
        Spacer(1, 560),
        Paragraph("1. The proposed allocations are shown in the following table.", getSampleStyleSheet()["Normal"]),
        Table(SPLIT_TABLE, style=grid, repeatRows=1),
    ]
    BaseDocTemplate(str(path), pagesize=A4, pageTemplates=[_one_frame()]).build(story)
    return path
