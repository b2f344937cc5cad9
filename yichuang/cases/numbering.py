"""Case and document numbers: the formats are cases'; the counter and the codes are core's."""

from datetime import date

from yichuang.core.numbering import new_code, next_value


def case_number(day: date) -> str:
    """202612020001: the day, the day's sequence. Call inside the intake's transaction."""
    return f"{day:%Y%m%d}{next_value(f'case:{day:%Y%m%d}'):04d}"


def document_number(short_name: str, department_id: int, year: int) -> str:
    """e.g. 教务〔2026〕0123号 — one series per department and year."""
    return f"{short_name}〔{year}〕{next_value(f'doc:{department_id}:{year}'):04d}号"


def query_code() -> str:
    return new_code(8)
