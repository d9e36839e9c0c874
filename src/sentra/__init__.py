"""Sentra: the information system for Indonesia's IKM (small and medium industry) programme."""

__version__ = "0.1.0"
