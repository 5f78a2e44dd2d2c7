"""boardpapers: police board papers as figures people can search, chart, check and download."""

__version__ = "0.2.0"
