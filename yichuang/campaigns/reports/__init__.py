"""The campaign's summary report (PDF, Excel) and the election's count (Excel)."""
