"""The HTML page read back as the plain-text spelling the other renderings use.

The page sets the prose's symbols with <sup> and <sub> (z<sup>l</sup><sub>j</sub>); tests that
compare its words with the text's read them back as z^l_j, a^(l−1)_k, e^(z_j).
"""

from __future__ import annotations

import re
from html import unescape

_INNERMOST = re.compile(r"<(sup|sub)>([^<]*)</\1>")


def _spelled(match: re.Match) -> str:
    mark = "^" if match.group(1) == "sup" else "_"
    inner = match.group(2)
    return mark + (inner if re.fullmatch(r"[A-Za-z0-9]+", inner) else f"({inner})")


def plain(html: str) -> str:
    """``html`` with entities undone and each <sup>/<sub> written back as ^… or _…."""
    while _INNERMOST.search(html):
        html = _INNERMOST.sub(_spelled, html)
    return unescape(html)
