"""The notebook fragment reads on a light and on a dark theme; the page stays a light page.

Before, the fragment (``_repr_html_``) set ``color: #1b1b1b`` and no background: in VS Code's
or JupyterLab's dark theme its text was near-black on dark grey, and only the blue headings
showed. The note box's cream background (#fff6e0) under the theme's light text was as bad.
"""

from __future__ import annotations

import re

import pytest

import deltaprop as dp
from deltaprop.walkthrough import examples, render_html, render_html_fragment

WHITE = "#ffffff"
DARK_GREYS = ("#111111", "#1e1e1e", "#212121", "#2b2b2b")  # JupyterLab dark, VS Code dark and their cells
LARGE_TEXT = 3.0  # WCAG's least contrast for large text (the headings)
TEXT = 4.5  # … for body text


def luminance(colour: str) -> float:
    channels = [int(colour[k : k + 2], 16) / 255 for k in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """(selector, {property: value}) of every rule, those inside @media included."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@media[^{]*\{", "", css)  # the rules of a media block, as rules
    found = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        declarations = dict(
            (name.strip(), value.strip())
            for name, value in (d.split(":", 1) for d in body.split(";") if ":" in d)
        )
        found.append((" ".join(selector.split()), declarations))
    return found


@pytest.fixture(scope="module")
def xor():
    ex = examples.get("xor")
    return dp.explain(ex.net, ex.x, ex.y, ex.learning_rate)


@pytest.fixture(scope="module")
def fragment_css(xor):
    return re.search(r"<style>(.*?)</style>", render_html_fragment(xor), re.S)[1]


def test_the_fragment_keeps_the_notebooks_text_colour(fragment_css):
    found = rules(fragment_css)
    root = [d for s, d in found if s == ".deltaprop-walkthrough" and "color" in d]
    assert root and root[0]["color"] == "inherit"
    assert "#1b1b1b" not in fragment_css and "#fff6e0" not in fragment_css
    for selector, declarations in found:
        for name, value in declarations.items():
            if name == "color":  # text: the notebook's own, or the accent defined below
                assert value in ("inherit", "var(--dp-accent)"), (selector, value)
            if name.startswith("background"):  # nothing opaque under inherited text
                assert value == "transparent" or value.startswith("var(--"), (selector, value)


def test_the_fragments_colours_read_on_light_and_dark_themes(fragment_css):
    found = rules(fragment_css)
    base = next(d for s, d in found if s == ".deltaprop-walkthrough" and "--dp-accent" in d)
    for background in (WHITE, *DARK_GREYS):
        assert contrast(base["--dp-accent"], background) >= LARGE_TEXT + 0.5, background
    # the note's and the table's colours are translucent: they tint whatever is behind them
    for name in ("--dp-note-bg", "--dp-rule"):
        alpha = float(re.fullmatch(r"rgba\(.*,\s*([\d.]+)\)", base[name])[1])
        assert 0 < alpha <= 0.5, name


def test_a_dark_theme_gets_a_lighter_accent(fragment_css):
    assert "@media (prefers-color-scheme: dark)" in fragment_css
    dark = [(s, d) for s, d in rules(fragment_css) if "--dp-accent" in d and s != ".deltaprop-walkthrough"]
    selectors = " ".join(s for s, _ in dark)
    for marker in ("body.vscode-dark", '[data-jp-theme-light="false"]', ':not([data-jp-theme-light="true"])'):
        assert marker in selectors, marker
    for _, declarations in dark:
        for background in DARK_GREYS:
            assert contrast(declarations["--dp-accent"], background) >= TEXT


def test_the_page_is_a_light_page_with_its_own_background(xor):
    css = re.search(r"<style>(.*?)</style>", render_html(xor), re.S)[1]
    root = dict(rules(css))[":root"]
    assert root["background"] in ("#fff", WHITE) and contrast(root["color"], WHITE) >= TEXT
    assert contrast(root["--dp-accent"], WHITE) >= TEXT
