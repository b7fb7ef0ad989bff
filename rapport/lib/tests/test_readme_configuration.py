"""The README's configuration table lists every variable the settings read."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_every_environment_variable_read_by_the_settings_is_documented_in_the_readme():
    settings_source = (ROOT / "rapport" / "settings.py").read_text()
    readme = (ROOT / "README.md").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', settings_source))
    assert read, "the settings read no variables through the env helpers?"
    undocumented = sorted(name for name in read if f"| `{name}` |" not in readme)
    assert undocumented == []
