"""Build hook: the wheel carries the shipped model as package data (``nlp/_model``).

``models/default`` at the top of the checkout stays where the model is trained and
versioned; building a wheel copies it into the package, and
:func:`nlp.classification.persistence.default_model_dir` reads the checkout's copy
when there is one, so a retrained model is never shadowed by a stale copy.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

MODEL = Path(__file__).resolve().parent / "models" / "default"


class BuildWithModel(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads models/default in place
        target = Path(self.build_lib) / "nlp" / "_model"
        self.mkpath(str(target))
        for path in sorted(MODEL.iterdir()):
            if path.is_file() and not path.name.startswith("."):
                self.copy_file(str(path), str(target / path.name))


setup(cmdclass={"build_py": BuildWithModel})
