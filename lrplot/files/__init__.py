"""Bytes to disk: CSV and JSON encodings, atomic writes, and the -o targets."""
