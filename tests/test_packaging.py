"""The wheel is a usable dependency: it carries the shipped model and the ``govreport`` command."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

MODEL_FILES = ("model.npz", "manifest.json", "taxonomy.toml")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(ROOT)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {result.stderr.strip()[-300:]}")
    (path,) = out.glob("govreport_nlp-*.whl")
    return path


def test_wheel_carries_the_shipped_model(wheel):
    with zipfile.ZipFile(wheel) as archive:
        for name in MODEL_FILES:
            packaged = hashlib.sha256(archive.read(f"nlp/_model/{name}")).hexdigest()
            assert packaged == hashlib.sha256((ROOT / "models" / "default" / name).read_bytes()).hexdigest(), name
        entry_points = next(n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt"))
        assert "govreport = nlp.cli:main" in archive.read(entry_points).decode()
        assert "nlp/__main__.py" in archive.namelist()


def test_installed_wheel_tags_from_another_folder(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run([sys.executable, "-c", "from nlp.classification.persistence import default_model_dir as d; print(d())"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()) == site / "nlp" / "_model"
    result = subprocess.run([sys.executable, "-m", "nlp", "tag", str(EXAMPLES / "jiangling-zsj-2024-self-evaluation.txt"),
                             "--format", "jsonl"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    import json

    report = json.loads(result.stdout)
    assert sum(p.get("primary") not in (None, "其他") for p in report["paragraphs"]) >= 5
