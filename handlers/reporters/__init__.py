"""`/est rapportör`: reporters\x27 links (admins) and the monthly feedback."""
