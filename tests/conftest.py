"""Shared test configuration: headless plotting, and where the real data sets live."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")
