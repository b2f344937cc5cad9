"""Writing cells of every Excel export the same safe way.

openpyxl writes any string that begins with "=" as a live formula, and refuses Django's lazy
translations (`gettext_lazy`) outright ("Cannot convert … to Excel"). Every export writes its
rows through `append` (or one cell through `put`), which
- turns lazy strings into plain ones, and
- stores text beginning with = + - @ (what a spreadsheet may read as a formula: CSV/formula
  injection, OWASP) as text, unchanged and never evaluated when the file is opened.
Numbers, dates and None pass through as they are."""

from django.utils.functional import Promise

FORMULA_STARTS = ("=", "+", "-", "@")


def plain(value):
    """A value openpyxl can store: lazy translations become str."""
    return str(value) if isinstance(value, Promise) else value


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _text_cell(ws, value: str):
    from openpyxl.cell import Cell, WriteOnlyCell  # loaded with the first workbook

    cell = WriteOnlyCell(ws, value) if _write_only(ws) else Cell(ws, value=value)
    cell.data_type = "s"  # text, whatever it starts with
    return cell


def _write_only(ws) -> bool:
    return not hasattr(ws, "cell")


def append(ws, values) -> None:
    """`ws.append(values)`, every value made safe (normal and write-only sheets alike)."""
    row = []
    for value in values:
        value = plain(value)
        row.append(_text_cell(ws, value) if looks_like_formula(value) else value)
    ws.append(row)


def put(ws, row: int, column: int, value):
    """`ws.cell(row, column, value)`, the value made safe; returns the cell for styling."""
    value = plain(value)
    cell = ws.cell(row=row, column=column, value=value)
    if looks_like_formula(value):
        cell.data_type = "s"
    return cell
