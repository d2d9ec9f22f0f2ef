"""hexaglot: program texts and press releases into reviewable six-language translations."""

__version__ = "0.1.0"
