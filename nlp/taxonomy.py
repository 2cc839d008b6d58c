"""Load the category taxonomy a model is trained on (a TOML file).

The default taxonomy ships in ``nlp/resources/taxonomy.toml``; no code names
its categories. A taxonomy lists categories (name, description, cue words)
and marks one as the fallback that a paragraph gets when nothing else fits.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from nlp.errors import TaxonomyError


@dataclass(frozen=True)
class Category:
    name: str
    description: str = ""
    cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    """The categories of a model, in a fixed order, with one fallback."""

    name: str
    categories: tuple[Category, ...]
    fallback: str
    sha256: str = field(default="", compare=False)

    @property
    def labels(self) -> list[str]:
        """Return every category name, the fallback included."""
        return [c.name for c in self.categories]

    @property
    def topical(self) -> list[str]:
        """Return the category names other than the fallback."""
        return [c.name for c in self.categories if c.name != self.fallback]


def default_taxonomy_path() -> Path:
    """Return the path of the shipped default taxonomy file."""
    return Path(str(resources.files("nlp") / "resources" / "taxonomy.toml"))


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load and check a taxonomy file (the shipped default when ``path`` is None).

    >>> load_taxonomy().fallback
    '其他'
    """
    path = Path(path) if path is not None else default_taxonomy_path()
    try:
        data = path.read_bytes()
        doc = tomllib.loads(data.decode("utf-8"))
    except FileNotFoundError as exc:
        raise TaxonomyError(f"{path}: taxonomy file not found") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TaxonomyError(f"{path}: not a valid UTF-8 TOML file ({exc})") from exc
    entries = doc.get("category")
    if not isinstance(entries, list) or len(entries) < 2:
        raise TaxonomyError(f"{path}: needs at least two [[category]] tables")
    categories, fallbacks, seen = [], [], set()
    for i, entry in enumerate(entries, start=1):
        name = str(entry.get("name", "")).strip() if isinstance(entry, dict) else ""
        if not name:
            raise TaxonomyError(f"{path}: category {i} has no name")
        if name in seen:
            raise TaxonomyError(f"{path}: category {name!r} is listed twice")
        seen.add(name)
        categories.append(Category(name, str(entry.get("description", "")), tuple(map(str, entry.get("cues", [])))))
        if entry.get("fallback"):
            fallbacks.append(name)
    if len(fallbacks) != 1:
        raise TaxonomyError(f"{path}: exactly one category must have `fallback = true` (found {len(fallbacks)})")
    return Taxonomy(name=str(doc.get("name", path.stem)), categories=tuple(categories), fallback=fallbacks[0],
                    sha256=hashlib.sha256(data).hexdigest())
