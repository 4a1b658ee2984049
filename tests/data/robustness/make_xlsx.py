"""Regenerates the hostile workbooks tests/it/robustness.rs reads (standard library only).

The workbooks are committed; run this only to change them:
    python3 tests/data/robustness/make_xlsx.py

- missing_strings.xlsx: a cell refers to shared string 0 of a workbook that has no shared
  strings (calamine 0.31 panics on it: index out of bounds).
- stray_cell.xlsx: a table in A1:C2 and one stray cell at XFD1048576, the last cell of a sheet
  (calamine would allocate a grid of 17 billion cells).
Both are also kept as replay inputs of the input_xlsx fuzz target (first byte 0: long export).
"""

import io
import pathlib
import zipfile

HERE = pathlib.Path(__file__).parent

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="回答" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet(rows):
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )


def workbook(sheet_xml):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        for name, text in [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/worksheets/sheet1.xml", sheet_xml),
        ]:
            # A fixed date, so regenerating gives the same bytes.
            info = zipfile.ZipInfo(name, date_time=(2024, 5, 1, 0, 0, 0))
            book.writestr(info, text)
    return out.getvalue()


HEADER = '<row r="1">' + inline("A1", "id") + inline("B1", "question") + inline("C1", "text") + "</row>"
BOOKS = {
    "missing_strings.xlsx": workbook(sheet(
        HEADER + '<row r="2">' + inline("A2", "1") + inline("B2", "Q6-1")
        + '<c r="C2" t="s"><v>0</v></c></row>'
    )),
    "stray_cell.xlsx": workbook(sheet(
        HEADER + '<row r="2">' + inline("A2", "1") + inline("B2", "Q6-1") + inline("C2", "研修")
        + '</row><row r="1048576">' + inline("XFD1048576", "x") + "</row>"
    )),
}

for name, data in BOOKS.items():
    (HERE / name).write_bytes(data)
    (HERE / "fuzz" / "input_xlsx" / name.replace(".xlsx", "")).write_bytes(b"\x00" + data)
