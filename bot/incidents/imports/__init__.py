"""Incidents imported from other systems' spreadsheets (CSV, XLSX): read, understood, saved."""
