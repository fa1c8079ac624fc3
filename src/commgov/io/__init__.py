"""Reading and writing tabular files (CSV, Excel) for imports and rejected-row reports."""
