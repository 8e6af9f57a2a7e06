"""Pictures of learning, drawn with matplotlib's Figure API (no pyplot, no global state).

Every function returns a :class:`matplotlib.figure.Figure`; :func:`save_figure` writes it
as PNG, SVG or PDF by the file's extension. :func:`plot_run` draws all that applies to a
finished run folder.
"""

from ._figure import save_figure
from .boundary import (
    BoundarySnapshots,
    animate_decision_boundary,
    decision_boundary,
    decision_boundary_frames,
)
from .confusion import confusion_matrix, misclassified_gallery
from .curves import learning_curves
from .gradients import gradient_distributions
from .network_diagram import DiagramNames, network_diagram
from .run import RunPlots, plot_run
from .weights import first_layer_weights

__all__ = [
    "BoundarySnapshots",
    "RunPlots",
    "animate_decision_boundary",
    "confusion_matrix",
    "decision_boundary",
    "decision_boundary_frames",
    "first_layer_weights",
    "gradient_distributions",
    "learning_curves",
    "misclassified_gallery",
    "network_diagram",
    "DiagramNames",
    "plot_run",
    "save_figure",
]
