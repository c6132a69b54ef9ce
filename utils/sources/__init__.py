"""Data access: the tables in ``data/`` with their sources, the bibliography, real recordings
(downloaded on first use with hash checks, never committed), their file formats, and the twitch
diary reader. Imports nothing from the layers above."""
