"""Prove the Label Studio round trip on a real server: tasks → annotations → export → training rows → model.

    python benchmarks/labelstudio_roundtrip.py [--label-studio /work/ls-venv/bin/label-studio] [--record]

Installs nothing: it needs a ``label-studio`` executable (its own virtual environment is
best, it is about 1 GB; see README). Steps, each printed:

1. tag ``examples/`` (our own text) and ``suggest`` tasks from it (tasks.json, label_config.xml);
2. start Label Studio on 127.0.0.1 with a throw-away data folder, a user and an API token;
3. create a project with the labelling configuration, import the tasks through the API;
4. annotate a few tasks through the API: accept two predictions, correct two (one with a
   secondary category), cancel one; leave the rest unlabelled;
5. export the project as JSON and read it with ``import-labels``; check every row against
   what was annotated;
6. train on the corpus plus the imported rows into a temporary model directory, classify with
   ``--model`` there, and check that the shipped model did not change.

With ``--record`` the export is saved as ``tests/fixtures/labelstudio-export.json`` (with the
tasks and configuration beside it), so the tests check the round trip without a server.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "tests" / "fixtures"
PORT = 8089


def api(base: str, token: str, method: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            raw = response.read()
    except urllib.error.HTTPError as exc:
        raise SystemExit(f"{method} {path}: HTTP {exc.code}: {exc.read()[:500]!r}") from None
    return json.loads(raw) if raw else None


def wait_for(base: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/health", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(1)
    raise SystemExit(f"Label Studio did not answer on {base} within {seconds:.0f} s")


def cli(*args: str) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"cli.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout + done.stderr


def make_tasks(work: Path, n: int) -> Path:
    """Tag the example report and write suggested tasks for it."""
    reports = work / "reports.jsonl"
    cli("tag", str(ROOT / "examples" / "jiangling-zsj-2024-self-evaluation.txt"), "--format", "jsonl", "--out", str(reports))
    tasks = work / "tasks.json"
    print(cli("suggest", str(reports), "--n", str(n), "--out", str(tasks)).strip())
    return tasks


def annotate(base: str, token: str, project: int, labels: list[str]) -> dict[int, dict[str, Any]]:
    """Annotate the first tasks through the API; return what was done to each task id."""
    listed = api(base, token, "GET", f"/api/tasks?project={project}&page_size=100")
    ordered = sorted(listed["tasks"] if isinstance(listed, dict) else listed, key=lambda task: task["id"])
    plan: dict[int, dict[str, Any]] = {}
    for i, task in enumerate(ordered[:5]):
        predicted = task["predictions"][0]["result"] if task.get("predictions") else []
        primary = next(r["value"]["choices"][0] for r in predicted if r["from_name"] == "primary") if predicted else labels[0]
        if i < 2:  # accept the model's labels
            plan[task["id"]] = {"primary": primary, "secondary": [], "cancelled": False}
        elif i < 4:  # correct them: another primary; the second correction adds a secondary label
            other = next(label for label in labels if label != primary)
            second = [next(label for label in labels if label not in (primary, other, labels[-1]))] if i == 3 else []
            plan[task["id"]] = {"primary": other, "secondary": second, "cancelled": False}
        else:  # skipped by the reviewer
            plan[task["id"]] = {"primary": None, "secondary": [], "cancelled": True}
        result = []
        if plan[task["id"]]["primary"]:
            result.append({"from_name": "primary", "to_name": "text", "type": "choices",
                           "value": {"choices": [plan[task["id"]]["primary"]]}})
        if plan[task["id"]]["secondary"]:
            result.append({"from_name": "secondary", "to_name": "text", "type": "choices",
                           "value": {"choices": plan[task["id"]]["secondary"]}})
        body: dict[str, Any] = {"result": result, "was_cancelled": plan[task["id"]]["cancelled"], "lead_time": 3.5}
        api(base, token, "POST", f"/api/tasks/{task['id']}/annotations", body)
    return plan


def model_hash(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(directory.iterdir()):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label-studio", default=shutil.which("label-studio") or "/work/ls-venv/bin/label-studio")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--n", type=int, default=8, help="tasks to suggest")
    parser.add_argument("--record", action="store_true", help="save the export as the tests' fixture")
    parser.add_argument("--skip-train", action="store_true")
    args = parser.parse_args()
    if not Path(args.label_studio).exists():
        sys.exit(f"no label-studio at {args.label_studio}: install it in its own venv (pip install label-studio)")

    from nlp.labelstudio import read_export
    from nlp.taxonomy import load_taxonomy

    work = Path(tempfile.mkdtemp(prefix="ls-roundtrip-"))
    tasks_path = make_tasks(work, args.n)
    config = (work / "label_config.xml").read_text(encoding="utf-8")
    tasks = json.loads(tasks_path.read_text(encoding="utf-8"))
    token = secrets.token_hex(20)
    base = f"http://127.0.0.1:{args.port}"
    env = {**os.environ, "LABEL_STUDIO_BASE_DATA_DIR": str(work / "ls-data"),
           "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true", "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true"}
    started = time.perf_counter()
    server = subprocess.Popen([args.label_studio, "start", "--host", "127.0.0.1", "--port", str(args.port), "--no-browser",
                               "--username", "reviewer@example.org", "--password", secrets.token_hex(12),
                               "--user-token", token], env=env, stdout=(work / "ls.log").open("w"),
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(base, 240)
        print(f"Label Studio up in {time.perf_counter() - started:.0f} s on {base}")
        project = api(base, token, "POST", "/api/projects", {"title": "govreport review", "label_config": config})
        api(base, token, "POST", f"/api/projects/{project['id']}/import", tasks)
        print(f"project {project['id']}: {len(tasks)} tasks imported")
        labels = load_taxonomy().labels
        plan = annotate(base, token, project["id"], labels)
        print(f"annotated through the API: {sum(not p['cancelled'] for p in plan.values())} labelled, "
              f"{sum(p['cancelled'] for p in plan.values())} cancelled, {len(tasks) - len(plan)} left unlabelled")
        export = api(base, token, "GET", f"/api/projects/{project['id']}/export?exportType=JSON&download_all_tasks=true")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    export_path = work / "export.json"
    export_path.write_text(json.dumps(export, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    imported = read_export(export_path, load_taxonomy())
    expected = {(p["primary"], tuple(p["secondary"])) for p in plan.values() if not p["cancelled"]}
    got = {(r["primary"], tuple(r["secondary"])) for r in imported.rows}
    print(f"export: {len(export)} tasks; import-labels: {len(imported.rows)} rows, skipped {dict(imported.skipped)}")
    if got != expected or any(not r["provenance"]["annotator"] or r["provenance"]["task"] is None for r in imported.rows):
        sys.exit(f"round trip mismatch: annotated {sorted(expected)}, imported {sorted(got)}")
    print("round trip: every annotation came back with its annotator, task id and time")
    if args.record:
        FIXTURES.mkdir(exist_ok=True)
        shutil.copy(export_path, FIXTURES / "labelstudio-export.json")
        shutil.copy(tasks_path, FIXTURES / "labelstudio-tasks.json")
        shutil.copy(work / "label_config.xml", FIXTURES / "labelstudio-label_config.xml")
        print(f"recorded {FIXTURES.relative_to(ROOT)}/labelstudio-export.json (+ tasks and configuration)")
    if not args.skip_train:
        train_and_classify(work, export_path)
    print(f"work folder: {work}")


def train_and_classify(work: Path, export_path: Path) -> None:
    from nlp.classification.persistence import default_model_dir

    shipped = default_model_dir()
    before = model_hash(shipped)
    rows = work / "imported.jsonl"
    print(cli("import-labels", str(export_path), "--out", str(rows)).strip())
    model = work / "model"
    started = time.perf_counter()
    out = cli("train", str(ROOT / "training_data"), str(rows), "--model-out", str(model), "--folds", "3")
    print(f"trained on the corpus + imported rows in {time.perf_counter() - started:.0f} s: "
          + next((line for line in out.splitlines() if "macro" in line.lower() or "宏平均" in line), out.strip().splitlines()[-1]))
    manifest = json.loads((model / "manifest.json").read_text(encoding="utf-8"))
    print(f"model files: {manifest['training_data']['files']}, rows {manifest['training_data']['rows']}")
    texts = work / "texts.jsonl"
    first = json.loads(rows.read_text(encoding="utf-8").splitlines()[0])
    texts.write_text(json.dumps({"id": "r1", "text": first["text"]}, ensure_ascii=False) + "\n", encoding="utf-8")
    print("classify --model:", cli("classify", str(texts), "--model", str(model)).strip()[:200])
    after = model_hash(shipped)
    print(f"shipped model unchanged: {before == after}")
    if before != after:
        sys.exit("the shipped model changed")


if __name__ == "__main__":
    main()
