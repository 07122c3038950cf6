"""API of the development app, one module per part."""
