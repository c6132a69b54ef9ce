"""Figures of the series: :class:`~utils.figures.widget.PlotlyFigure`, the interactive figure every panel
uses (plotly.js served once per page by :mod:`utils.figures.server`).

Import the submodule you need (``from utils.figures.widget import PlotlyFigure``); importing this
package alone loads nothing heavy.
"""
