"""Bar charts for the dashboard, drawn on the server by matplotlib (Agg, without pyplot)
as SVG placed inline in the page: readable without JavaScript, printable, and nothing
for the console's CSP to block.

A bar whose count is hidden ("fewer than 5") gets no value from figures.Section at
all: it is drawn hatched at a fixed height with the words "fewer than 5", so neither
its length nor its place gives the count away. Each chart carries its title as its
accessible name; the table under it is its text alternative.

Drawing is CPU work: call `draw` in a thread. matplotlib's caches are shared, so one
chart is drawn at a time.
"""

from __future__ import annotations

import io
import re
import threading
from typing import List

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.fonttype"] = "path"  # the same letters in every browser
matplotlib.rcParams["svg.hashsalt"] = "navigator-dashboard"  # the same ids every time

from markupsafe import escape  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from bot.console.figures import FEWER, Bar, Section  # noqa: E402

NAVY = "#12355b"
TEXT = "#1a1a1a"
HATCH = "///"
_ONE_AT_A_TIME = threading.Lock()


def draw(section: Section) -> str:
    """The section's chart as inline SVG markup; "" when it has nothing to draw."""
    if not section.bars:
        return ""
    with _ONE_AT_A_TIME:
        figure = _vertical(section) if section.over_time else _horizontal(section)
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    name = f"Bar chart: {section.title}. The table below gives the same numbers."
    return inline(out.getvalue(), section.slug, name)


def _heights(section: Section) -> List[float]:
    shown = [bar.value for bar in section.bars if bar.value is not None]
    top = max(shown, default=0)
    placeholder = (section.placeholder if section.placeholder is not None
                   else (top * 0.25 or 1))
    return [bar.value if bar.value is not None else placeholder for bar in section.bars]


def _label(section: Section, bar: Bar) -> str:
    """The bar's number as its table writes it: a count, or hours to one decimal."""
    if bar.value is None:
        return FEWER
    return f"{bar.value:.0f}" if section.placeholder is not None else f"{bar.value:.1f}"


def _plain(text: str) -> str:
    """Text matplotlib draws as written ("$" would start its maths mode)."""
    return text.replace("$", r"\$")


def _mark_hidden(patches, bars: List[Bar]) -> None:
    for patch, bar in zip(patches, bars, strict=True):
        if bar.value is None:
            patch.set_facecolor("white")
            patch.set_hatch(HATCH)


def _horizontal(section: Section) -> Figure:
    bars = section.bars
    heights = _heights(section)
    figure = Figure(figsize=(7.5, 1.3 + 0.34 * len(bars)), dpi=72, constrained_layout=True)
    axes = figure.add_subplot()
    places = list(range(len(bars)))
    patches = axes.barh(places, heights, color=NAVY, edgecolor=NAVY, height=0.7)
    _mark_hidden(patches, bars)
    axes.set_yticks(places)
    axes.set_yticklabels([_plain(bar.label) for bar in bars])
    axes.invert_yaxis()  # the first row of the table at the top
    top = max(heights, default=0) or 1
    axes.set_xlim(0, top * 1.3)
    for place, height, bar in zip(places, heights, bars, strict=True):
        axes.text(height + top * 0.01, place, _label(section, bar), va="center", fontsize=9,
                  color=TEXT)
    _finish(axes, section)
    axes.set_xlabel(_plain(section.axis))
    return figure


def _vertical(section: Section) -> Figure:
    bars = section.bars
    heights = _heights(section)
    figure = Figure(figsize=(max(6.0, 1.5 + 0.45 * len(bars)), 3.8), dpi=72,
                    constrained_layout=True)
    axes = figure.add_subplot()
    places = list(range(len(bars)))
    patches = axes.bar(places, heights, color=NAVY, edgecolor=NAVY, width=0.7)
    _mark_hidden(patches, bars)
    axes.set_xticks(places)
    axes.set_xticklabels([_plain(bar.label) for bar in bars],
                         rotation=60 if len(bars) > 8 else 0,
                         ha="right" if len(bars) > 8 else "center")
    top = max(heights, default=0) or 1
    axes.set_ylim(0, top * 1.35)
    for place, height, bar in zip(places, heights, bars, strict=True):
        axes.text(place, height + top * 0.02, _label(section, bar), ha="center", va="bottom",
                  fontsize=8, color=TEXT, rotation=90 if bar.value is None else 0)
    _finish(axes, section)
    axes.set_ylabel(_plain(section.axis))
    return figure


def _finish(axes, section: Section) -> None:
    axes.set_title(_plain(section.title), loc="left", fontsize=11, color=TEXT)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    counts = section.placeholder is not None
    if counts:
        axis = axes.yaxis if section.over_time else axes.xaxis
        axis.set_major_locator(MaxNLocator(integer=True))


# ---------------------------------------------------------------- SVG for the page

_STYLE_ATTRIBUTE = re.compile(r'style="([^"]*)"')
_ID = re.compile(r'\bid="([^"]+)"')
_REFERENCE = re.compile(r'(href="#|url\(#)([^")]+)')
_PROPERTY = re.compile(r"^[a-z-]+$")


def inline(svg: str, prefix: str, name: str) -> str:
    """matplotlib's SVG file made fit for the middle of an HTML page: no XML prologue or
    metadata, presentation attributes instead of style attributes and <style> (which
    the console's CSP blocks), ids unique on the page, a role and an accessible name."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r"<style[^>]*>.*?</style>\s*", "", svg, flags=re.S)
    svg = re.sub(r"<defs>\s*</defs>\s*", "", svg)
    svg = _STYLE_ATTRIBUTE.sub(lambda m: _attributes(m.group(1)), svg)
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _REFERENCE.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)
    opening = re.match(r"<svg[^>]*>", svg).group(0)
    tag = opening[:-1] + (f' class="chart" role="img" aria-label="{escape(name)}" '
                       'focusable="false" stroke-linejoin="round" stroke-linecap="butt">')
    return tag + svg[len(opening):]


def _attributes(style: str) -> str:
    pairs = [part.split(":", 1) for part in style.split(";") if ":" in part]
    return " ".join(f'{key.strip()}="{_quoted(value.strip())}"' for key, value in pairs
                    if _PROPERTY.match(key.strip()))


def _quoted(value: str) -> str:
    return value.replace('"', "'")
