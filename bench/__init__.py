"""Performance benchmark of the dashboard at ACLED scale (not part of ``make test``)."""
