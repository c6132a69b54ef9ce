"""Figures: the series' theme (Okabe–Ito colours plus line styles), the figure widget, and the
builders that turn model output into plotly figures. No widgets' controls here."""
