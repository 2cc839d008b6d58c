"""Save and load category models safely: skops with an explicit trusted list, and a manifest.

A model directory holds ``model.skops``, ``taxonomy.toml`` and ``manifest.json``.
The manifest records the model version, the taxonomy and training-data hashes,
the library versions, the cross-validation figures and the sha256 of the model
file. Loading refuses a model whose file does not match its hash, whose
scikit-learn version differs, or that contains a type outside :data:`TRUSTED`;
nothing is unpickled.
"""

from __future__ import annotations

import json
import platform
from importlib import resources
from pathlib import Path
from typing import Any

from nlp.classification.model import DecisionRule, Tagger
from nlp.errors import ModelError
from nlp.pipeline import sha256_file
from nlp.taxonomy import load_taxonomy

MODEL_FILE = "model.skops"
MANIFEST_FILE = "manifest.json"
TAXONOMY_FILE = "taxonomy.toml"
MANIFEST_FORMAT = 1

#: The only types outside skops' own defaults a model may contain.
TRUSTED = [
    "nlp.classification.features.DocumentFrequencyFilter",
    "nlp.segmentation.Segmenter",
    "nlp.segmentation.normalise_for_features",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
]


def default_model_dir() -> Path:
    """Return the shipped model directory (``models/default`` beside the package)."""
    here = Path(str(resources.files("nlp"))).resolve().parent / "models" / "default"
    return here


def library_versions() -> dict[str, str]:
    """Return the versions of the libraries a saved model depends on."""
    from importlib.metadata import version

    names = ("scikit-learn", "numpy", "scipy", "skops", "jieba")
    return {"python": platform.python_version(), **{n: version(n) for n in names}}


def save_model(directory: Path, pipeline: Any, labels: list[str], rule: DecisionRule, taxonomy_path: Path,
               manifest: dict[str, Any]) -> dict[str, Any]:
    """Write the model, its taxonomy and its manifest into ``directory``; return the manifest."""
    import skops.io as sio

    directory.mkdir(parents=True, exist_ok=True)
    model_path = directory / MODEL_FILE
    tmp = directory / f".{MODEL_FILE}.tmp"
    sio.dump(pipeline, tmp)
    tmp.replace(model_path)
    (directory / TAXONOMY_FILE).write_bytes(taxonomy_path.read_bytes())
    full = {
        "format": MANIFEST_FORMAT,
        **manifest,
        "labels": labels,
        "thresholds": {k: round(v, 4) for k, v in rule.thresholds.items()},
        "abstain": round(rule.abstain, 4),
        "fallback": rule.fallback,
        "libraries": library_versions(),
        "trusted_types": TRUSTED,
        "model_file": {"name": MODEL_FILE, "sha256": sha256_file(model_path), "bytes": model_path.stat().st_size},
    }
    (directory / MANIFEST_FILE).write_text(json.dumps(full, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return full


def load_model(directory: str | Path | None = None) -> Tagger:
    """Load a model directory (the shipped model when None), checking hash, versions and types.

    >>> tagger = load_model()                      # doctest: +SKIP
    >>> tagger.predict(["2024年12345热线接通率98.6%。"])[0].primary  # doctest: +SKIP
    '政务热线'
    """
    import skops.io as sio

    directory = Path(directory) if directory is not None else default_model_dir()
    manifest_path = directory / MANIFEST_FILE
    if not manifest_path.is_file():
        raise ModelError(f"{directory}: no {MANIFEST_FILE}; not a model directory (train one with `python cli.py train`)")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelError(f"{manifest_path}: the manifest is not valid JSON ({exc})") from exc
    if manifest.get("format") != MANIFEST_FORMAT:
        raise ModelError(f"{manifest_path}: manifest format {manifest.get('format')!r} is not {MANIFEST_FORMAT}; retrain the model")
    model_path = directory / str(manifest.get("model_file", {}).get("name", MODEL_FILE))
    if not model_path.is_file():
        raise ModelError(f"{model_path}: the model file is missing")
    expected = manifest.get("model_file", {}).get("sha256")
    actual = sha256_file(model_path)
    if actual != expected:
        raise ModelError(f"{model_path}: sha256 {actual[:12]}… does not match the manifest ({str(expected)[:12]}…); "
                         "the file was changed or corrupted: refusing to load it")
    _check_versions(manifest, manifest_path)
    try:
        untrusted = sio.get_untrusted_types(file=model_path)
    except Exception as exc:
        raise ModelError(f"{model_path}: not a readable skops file ({type(exc).__name__}: {exc})") from exc
    unknown = sorted(set(untrusted) - set(TRUSTED))
    if unknown:
        raise ModelError(f"{model_path}: contains types that are not trusted ({', '.join(unknown)}); refusing to load it")
    pipeline = sio.load(model_path, trusted=[t for t in untrusted if t in TRUSTED])
    taxonomy = load_taxonomy(directory / TAXONOMY_FILE)
    if taxonomy.sha256 != manifest.get("taxonomy", {}).get("sha256"):
        raise ModelError(f"{directory / TAXONOMY_FILE}: the taxonomy differs from the one the model was trained on")
    rule = DecisionRule(thresholds={k: float(v) for k, v in manifest["thresholds"].items()},
                        abstain=float(manifest["abstain"]), fallback=str(manifest["fallback"]))
    return Tagger(pipeline, manifest["labels"], rule, taxonomy, manifest)


def _check_versions(manifest: dict[str, Any], where: Path) -> None:
    saved = manifest.get("libraries", {}).get("scikit-learn", "")
    current = library_versions()["scikit-learn"]
    if saved.split(".")[:2] != current.split(".")[:2]:
        raise ModelError(f"{where}: the model was trained with scikit-learn {saved}, this is {current}; "
                         "retrain it with `python cli.py train` or install the matching scikit-learn")
