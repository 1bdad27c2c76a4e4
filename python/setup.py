"""Builds libSMSArchiveC with SwiftPM (a release build of the repository this folder is in) and installs it
inside the package, so that `pip install ./python` is the one step a user takes."""

import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent
LIBRARY = "libSMSArchiveC.dylib" if sys.platform == "darwin" else "libSMSArchiveC.so"


class BuildWithSwift(build_py):
    def run(self) -> None:
        if not (REPOSITORY / "Package.swift").exists():
            raise SystemExit(f"{REPOSITORY} holds no Package.swift: install from the smsarchive repository (pip install ./python)")
        # The flags of `make release` (see the Makefile), so that the two share .build/release.
        flags = ["-c", "release"] + (["--static-swift-stdlib"] if sys.platform.startswith("linux") else [])
        subprocess.run(["swift", "build", *flags, "--product", "SMSArchiveC"], cwd=REPOSITORY, check=True)
        built = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=REPOSITORY, check=True,
                               capture_output=True, text=True).stdout.strip()
        super().run()
        target = Path(self.build_lib) / "smsarchive"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(built) / LIBRARY, target / LIBRARY)


setup(cmdclass={"build_py": BuildWithSwift})
