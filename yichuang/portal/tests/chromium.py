"""Where the browser tests find Debian chromium and leave their screenshots (test-artifacts/,
git-ignored, for a person to look at)."""

import shutil
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
