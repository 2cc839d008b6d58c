"""Save and load category models: plain arrays in an ``.npz`` file, a manifest, the taxonomy.

A model directory holds ``model.npz``, ``taxonomy.toml`` and ``manifest.json``.
The model file holds only numeric and string arrays (the vocabulary, IDF
weights, and per label a linear function and a sigmoid) and is read with
``allow_pickle=False``, so loading one runs no code from it and imports no
estimator library. The manifest records the model version, the feature
settings, the taxonomy and training-data hashes, the library versions, the
cross-validation figures, the decision thresholds and the sha256 of the model
file. Loading refuses a model whose file does not match its hash, whose
arrays do not have the expected names, types and shapes, or whose taxonomy
changed.
"""

from __future__ import annotations

import json
import platform
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from nlp.classification.features import FeatureSpec, LinearScorer
from nlp.classification.model import DecisionRule, Tagger
from nlp.errors import ModelError
from nlp.pipeline import sha256_file
from nlp.taxonomy import load_taxonomy

MODEL_FILE = "model.npz"
MANIFEST_FILE = "manifest.json"
TAXONOMY_FILE = "taxonomy.toml"
MANIFEST_FORMAT = 2
#: A model's arrays once unpacked (the shipped one: about 2 MB); more is refused, not decompressed.
MAX_UNPACKED_BYTES = 512 * 2**20


def default_model_dir() -> Path:
    """Return the shipped model's directory: the checkout's ``models/default``, else the wheel's copy.

    A checkout (or an editable install) trains and versions the model in
    ``models/default`` beside the package, so it is read there and a retrained model is
    never shadowed; an installed wheel carries it as package data in ``nlp/_model``.
    """
    package = Path(str(resources.files("nlp"))).resolve()
    checkout = package.parent / "models" / "default"
    if (checkout / MANIFEST_FILE).is_file():
        return checkout
    return package / "_model"


def library_versions() -> dict[str, str]:
    """Return the versions of the libraries a saved model depends on."""
    from importlib.metadata import version

    names = ("scikit-learn", "numpy", "scipy", "jieba")
    return {"python": platform.python_version(), **{n: version(n) for n in names}}


def save_model(directory: Path, scorer: LinearScorer, labels: list[str], rule: DecisionRule, taxonomy_path: Path,
               manifest: dict[str, Any]) -> dict[str, Any]:
    """Write the model, its taxonomy and its manifest into ``directory``; return the manifest."""
    directory.mkdir(parents=True, exist_ok=True)
    model_path = directory / MODEL_FILE
    tmp = directory / f".{MODEL_FILE}.tmp"
    with tmp.open("wb") as handle:
        arrays = {name: getattr(scorer, name) for name in LinearScorer.ARRAYS}
        arrays["vocabulary"] = np.asarray(scorer.vocabulary, dtype=np.str_)
        np.savez_compressed(handle, **arrays)
    tmp.replace(model_path)
    (directory / TAXONOMY_FILE).write_bytes(taxonomy_path.read_bytes())
    full = {
        "format": MANIFEST_FORMAT,
        **manifest,
        "labels": labels,
        "features": scorer.spec.to_dict(),
        "vocabulary_size": len(scorer.vocabulary),
        "thresholds": {k: round(v, 4) for k, v in rule.thresholds.items()},
        "abstain": round(rule.abstain, 4),
        "fallback": rule.fallback,
        "libraries": library_versions(),
        "model_file": {"name": MODEL_FILE, "sha256": sha256_file(model_path), "bytes": model_path.stat().st_size},
    }
    (directory / MANIFEST_FILE).write_text(json.dumps(full, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return full


def read_manifest(directory: Path) -> tuple[dict[str, Any], Path]:
    """Return a model directory's manifest and the path of the model file it names, both checked."""
    manifest_path = directory / MANIFEST_FILE
    if not manifest_path.is_file():
        raise ModelError(f"{directory}: no {MANIFEST_FILE}; not a model directory (train one with `python cli.py train`)")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelError(f"{manifest_path}: the manifest is not valid JSON ({exc})") from exc
    if manifest.get("format") != MANIFEST_FORMAT:
        raise ModelError(f"{manifest_path}: manifest format {manifest.get('format')!r} is not {MANIFEST_FORMAT}; retrain the model")
    name = str(manifest.get("model_file", {}).get("name", MODEL_FILE))
    if Path(name).name != name:
        raise ModelError(f"{manifest_path}: the model file {name!r} is not a file name inside the model directory")
    model_path = directory / name
    if not model_path.is_file():
        raise ModelError(f"{model_path}: the model file is missing")
    return manifest, model_path


def load_model(directory: str | Path | None = None) -> Tagger:
    """Load a model directory (the shipped model when None), checking its hash, its arrays and its taxonomy.

    >>> tagger = load_model()                      # doctest: +SKIP
    >>> tagger.predict(["2024年12345热线接通率98.6%。"])[0].primary  # doctest: +SKIP
    '政务热线'
    """
    directory = Path(directory) if directory is not None else default_model_dir()
    manifest, model_path = read_manifest(directory)
    manifest_path = directory / MANIFEST_FILE
    expected = manifest.get("model_file", {}).get("sha256")
    actual = sha256_file(model_path)
    if actual != expected:
        raise ModelError(f"{model_path}: sha256 {actual[:12]}… does not match the manifest ({str(expected)[:12]}…); "
                         "the file was changed or corrupted: refusing to load it")
    scorer = _read_scorer(model_path, manifest)
    taxonomy = load_taxonomy(directory / TAXONOMY_FILE)
    if taxonomy.sha256 != manifest.get("taxonomy", {}).get("sha256"):
        raise ModelError(f"{directory / TAXONOMY_FILE}: the taxonomy differs from the one the model was trained on")
    try:
        rule = DecisionRule(thresholds={k: float(v) for k, v in manifest["thresholds"].items()},
                            abstain=float(manifest["abstain"]), fallback=str(manifest["fallback"]))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ModelError(f"{manifest_path}: the decision thresholds are missing or malformed ({exc!r})") from exc
    return Tagger(scorer, manifest["labels"], rule, taxonomy, manifest)


def _read_scorer(path: Path, manifest: dict[str, Any]) -> LinearScorer:
    """Read the arrays of a model file, refusing anything but the expected plain arrays."""
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise ValueError(f"its arrays would take {unpacked / 2**20:,.0f} MB, more than the "
                                 f"{MAX_UNPACKED_BYTES / 2**20:,.0f} MB a model may take")
        with np.load(path, allow_pickle=False) as data:
            names = set(data.files)
            if names != set(LinearScorer.ARRAYS):
                raise ValueError(f"it holds arrays {sorted(names)}, expected {sorted(LinearScorer.ARRAYS)}")
            arrays = {name: data[name] for name in LinearScorer.ARRAYS}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise ModelError(f"{path}: not a readable model file ({exc}); retrain it with `python cli.py train`") from exc
    vocabulary = arrays.pop("vocabulary")
    if vocabulary.dtype.kind != "U" or vocabulary.ndim != 1:
        raise ModelError(f"{path}: the vocabulary is not a list of strings; refusing to load it")
    labels = manifest.get("labels") or []
    if arrays["intercept"].shape != (len(labels),):
        raise ModelError(f"{path}: the model scores {len(arrays['intercept'])} labels, the manifest lists {len(labels)}")
    try:
        return LinearScorer(spec=FeatureSpec.from_dict(manifest.get("features", {})), vocabulary=vocabulary.tolist(),
                            **arrays)
    except (ValueError, TypeError) as exc:
        raise ModelError(f"{path}: {exc}; refusing to load it") from exc
