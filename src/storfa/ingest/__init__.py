"""Ingestion: detect → extract (→ OCR) → clean → segment → metadata → store → index."""
