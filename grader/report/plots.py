"""Small PNG pictures for the HTML reports, as ``data:`` URIs (the pages stay self-contained).

Every function takes plain data (numbers and nested lists from ``CaseResult.details``)
and returns one data URI. The pictures carry no words, only numbers on the axes:
legends and captions are written by the page in the reader's language (and the
machines that render reports need no CJK font). Colours are fixed: the student's
values are :data:`STUDENT` (solid), the reference's :data:`REFERENCE` (dashed grey),
wrong entries :data:`WRONG`.
"""
from __future__ import annotations

import base64
import io
from typing import Any, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
import numpy as np  # noqa: E402
from matplotlib.colors import LogNorm, Normalize  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

STUDENT = "#1f6feb"
REFERENCE = "#57606a"
WRONG = "#cf222e"
PASS = "#2da44e"
DPI = 90
STYLE = {"font.size": 9, "axes.titlesize": 10, "axes.spines.top": False, "axes.spines.right": False,
         "axes.grid": True, "grid.alpha": 0.3, "lines.linewidth": 1.6}


def _figure(width: float, height: float, ncols: int = 1, nrows: int = 1) -> tuple[Figure, Any]:
    with plt.rc_context(STYLE):
        fig = Figure(figsize=(width, height), dpi=DPI)
        axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, axes


def to_data_uri(fig: Figure) -> str:
    """Encode a figure as a small PNG ``data:`` URI (8-bit palette is not worth the dependency)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", pad_inches=0.05,
                metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _finite(values: Any) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64).reshape(-1)
    return np.where(np.isfinite(arr), arr, np.nan)


def curves(z: Sequence[float], panels: list[tuple[str, Any, Any]], ncols: int = 4) -> str:
    """One panel per (name, expected, got): the reference dashed under the student's line."""
    nrows = -(-len(panels) // ncols)
    fig, axes = _figure(2.3 * min(ncols, len(panels)), 1.9 * nrows, min(ncols, len(panels)), nrows)
    with plt.rc_context(STYLE):
        x = _finite(z)
        for ax, (name, expected, got) in zip(axes.flat, panels):
            if got is not None:
                ax.plot(x, _finite(got), color=STUDENT, label="got")
            if expected is not None:
                ax.plot(x, _finite(expected), color=REFERENCE, linestyle=(0, (4, 3)), linewidth=1.2)
            ax.set_title(name)
        for ax in list(axes.flat)[len(panels):]:
            ax.set_visible(False)
        fig.tight_layout()
    return to_data_uri(fig)


def loss_curves(expected: Any, got: Any) -> str:
    """The student's loss history over the reference's, log y-axis (non-finite values are gaps)."""
    fig, axes = _figure(4.6, 2.2)
    ax = axes[0, 0]
    with plt.rc_context(STYLE):
        if expected is not None:
            exp = np.abs(_finite(expected))
            ax.plot(np.arange(exp.size), exp, color=REFERENCE, linestyle=(0, (4, 3)), linewidth=1.2)
        if got is not None:
            arr = np.abs(_finite(got))
            ax.plot(np.arange(arr.size), arr, color=STUDENT)
        ax.set_yscale("log")
        fig.tight_layout()
    return to_data_uri(fig)


def accuracy_bar(accuracy: float, bar: float) -> str:
    """A horizontal bar for the held-out accuracy with the pass mark as a vertical line."""
    fig, axes = _figure(4.6, 0.9)
    ax = axes[0, 0]
    with plt.rc_context(STYLE):
        ax.barh([0], [accuracy], color=PASS if accuracy >= bar else WRONG, height=0.6)
        ax.axvline(bar, color="black", linewidth=1.5, linestyle=(0, (3, 2)))
        ax.set_xlim(0, 1)
        ax.set_yticks([])
        ax.grid(axis="y", visible=False)
        fig.tight_layout()
    return to_data_uri(fig)


def decision_line(rows: list[dict], w: Sequence[float], w0: float) -> str:
    """The four points of {0, 1}² (filled: want +1, open: want -1; red ring: wrong) and w·x + w0 = 0."""
    fig, axes = _figure(2.4, 2.4)
    ax = axes[0, 0]
    with plt.rc_context(STYLE):
        lo, hi = -0.5, 1.5
        for row in rows:
            x1, x2 = row["x"]
            filled = row["expected"] > 0
            ax.scatter([x1], [x2], s=90, zorder=3, color=STUDENT if filled else "white", edgecolors=STUDENT,
                       linewidths=1.8)
            if not row["ok"]:
                ax.scatter([x1], [x2], s=260, zorder=2, facecolors="none", edgecolors=WRONG, linewidths=2)
        a, b = float(w[0]), float(w[1])
        grid = np.linspace(lo, hi, 2)
        if abs(b) > 1e-12:
            ax.plot(grid, -(a * grid + w0) / b, color=REFERENCE)
        elif abs(a) > 1e-12:
            ax.plot([-w0 / a] * 2, [lo, hi], color=REFERENCE)
        xx, yy = np.meshgrid(np.linspace(lo, hi, 60), np.linspace(lo, hi, 60))
        positive = (a * xx + b * yy + w0) >= 0
        ax.contourf(xx, yy, positive.astype(float), levels=[0.5, 1.5], colors=[STUDENT], alpha=0.08)
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        ax.set_aspect("equal")
        ax.set_xticks([0, 1])
        ax.set_yticks([0, 1])
        fig.tight_layout()
    return to_data_uri(fig)


def images(panels: list[tuple[Any, Any]], shared: Sequence[int] = ()) -> str:
    """Grey-scale images side by side; each (2-D array, wrong-mask or None). Wrong cells get a red box.

    The panels whose indices are in ``shared`` use one grey scale, so that equal values look equal.
    """
    arrays = [np.asarray(values, dtype=np.float64).reshape(np.shape(values) if np.ndim(values) == 2 else (1, -1))
              for values, _ in panels]
    together = [a[np.isfinite(a)] for i, a in enumerate(arrays) if i in shared]
    together = np.concatenate(together) if together else np.array([])
    scale = (float(together.min()), float(together.max())) if together.size else (None, None)
    fig, axes = _figure(1.9 * len(panels), 2.0, len(panels))
    with plt.rc_context(STYLE):
        for index, (ax, arr, (_, wrong)) in enumerate(zip(axes.flat, arrays, panels)):
            vmin, vmax = scale if index in shared else (None, None)
            ax.imshow(np.where(np.isfinite(arr), arr, np.nan), cmap="gray", interpolation="nearest",
                      vmin=vmin, vmax=vmax)
            if wrong is not None and np.size(wrong) == arr.size:
                for i, j in np.argwhere(np.asarray(wrong, dtype=bool).reshape(arr.shape)):
                    ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor=WRONG, linewidth=1.5))
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
            for spine in ax.spines.values():
                spine.set_visible(True)
                spine.set_color("#8c959f")
        fig.tight_layout()
    return to_data_uri(fig)


def error_heatmap(grid: Any) -> str:
    """The largest |got - expected| per block on a log colour scale (white: exact), with a colour bar."""
    err = np.asarray(grid, dtype=np.float64)
    err = err.reshape(1, -1) if err.ndim < 2 else err
    positive = err[err > 0]
    top = float(positive.max()) if positive.size else 1.0
    low = max(float(positive.min()) if positive.size else top, top * 1e-12)
    shown = np.where(err > 0, err, np.nan)
    height = 0.6 + 2.6 * min(1.0, err.shape[0] / max(err.shape[1], 1))
    fig, axes = _figure(3.4, max(0.9, height))
    ax = axes[0, 0]
    with plt.rc_context(STYLE):
        norm = LogNorm(vmin=low, vmax=top) if top > low else Normalize(vmin=0, vmax=top)
        image = ax.imshow(shown, cmap="Reds", norm=norm, interpolation="nearest", aspect="auto")
        bar = fig.colorbar(image, ax=ax, fraction=0.05, pad=0.03)
        bar.ax.minorticks_off()
        ticks = [low, top] if top > low else [0.0, top]
        bar.set_ticks(ticks, labels=[f"{v:.1e}" for v in ticks])
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        fig.tight_layout()
    return to_data_uri(fig)


def histogram(values: Sequence[float], top: float, bins: int = 20) -> str:
    """Distribution of total scores from 0 to ``top``."""
    fig, axes = _figure(5.6, 2.0)
    ax = axes[0, 0]
    with plt.rc_context(STYLE):
        ax.hist(np.asarray(values, dtype=np.float64), bins=np.linspace(0, max(top, 1e-9), bins + 1),
                color=STUDENT, edgecolor="white")
        ax.set_xlim(0, max(top, 1e-9))
        ax.yaxis.get_major_locator().set_params(integer=True)
        fig.tight_layout()
    return to_data_uri(fig)
