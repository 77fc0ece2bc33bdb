"""督办 duban: supervision and follow-up platform."""

__version__ = "0.1.0"
