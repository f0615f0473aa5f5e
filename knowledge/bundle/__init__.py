"""Knowledge bundles: the CSV folder format (see docs/knowledge-bundle.md), read, checked,
imported and exported."""

from knowledge.bundle.exporter import export_bundle
from knowledge.bundle.importer import ImportResult, import_bundle
from knowledge.bundle.problems import BundleInvalid, Problem
from knowledge.bundle.validate import Bundle, check_bundle

__all__ = [
    "Bundle",
    "BundleInvalid",
    "ImportResult",
    "Problem",
    "check_bundle",
    "export_bundle",
    "import_bundle",
]
