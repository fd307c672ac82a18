"""Benchmarks that print ratios; their recorded results live beside them (RESULTS.md)."""
