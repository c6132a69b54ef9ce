"""Interactive panels: the ``Panel`` base in ``kit`` and the panels of each notebook. A panel
computes with the models, draws with the figures layer and describes its state in words."""
