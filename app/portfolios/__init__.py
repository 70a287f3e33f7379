"""Portfolios: projects, their images, the directory and search."""
