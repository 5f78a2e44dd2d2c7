"""boardpapers: police board papers as figures people can search, chart, check and download."""

__version__ = "0.1.0"
