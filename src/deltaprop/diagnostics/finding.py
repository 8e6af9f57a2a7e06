"""One diagnosis in plain words: :class:`Finding`, and the order findings are shown in."""

from __future__ import annotations

from dataclasses import asdict, dataclass

SEVERITIES = ("info", "warning", "error")


@dataclass(frozen=True)
class Finding:
    """One diagnosis: a stable ``code``, a ``severity`` (info, warning, error), what was seen, what to do."""

    code: str
    severity: str
    message: str
    fix: str

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}; got {self.severity!r}")

    def to_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.severity}: {self.message} Fix: {self.fix}."


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, then information; the order within each kept."""
    rank = {s: i for i, s in enumerate(reversed(SEVERITIES))}
    return sorted(findings, key=lambda f: rank[f.severity])
