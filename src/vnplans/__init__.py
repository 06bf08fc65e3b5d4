"""vnplans: Vietnamese government plan PDFs (Kế hoạch) into a queryable database."""

__version__ = "0.1.0"

# Bumped whenever extraction output can change for the same PDF: the store re-ingests
# documents extracted by an older version.
EXTRACTOR_VERSION = "0.1.0"
