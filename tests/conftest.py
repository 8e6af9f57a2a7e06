"""Shared test configuration: headless plotting, and hypothesis's randomness under CI."""

import os

from hypothesis import settings

os.environ.setdefault("MPLBACKEND", "Agg")

# The fuzz and property tests draw new examples on every local run (that is how they find
# things); under CI (CI=true, as .ci/run sets) they draw the same ones every time, so a
# landing is repeatable and a failure can be rerun as it was.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
