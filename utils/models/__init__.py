"""The models: numbers and arrays in, numbers and arrays out. They read their parameters from
``data/`` tables (the sources layer) but never load recordings: panels and notebooks do that."""
