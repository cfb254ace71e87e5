"""The course's own data files beside the lessons (status.yaml, glossary.yaml): read one,
or say why it could not be read."""

from pathlib import Path

import yaml


def read(root, name):
    """(path, data, problem) for root/name: data None when the file does not exist or is
    not valid YAML, and problem the reason in the second case."""
    path = Path(root) / name
    if not path.exists():
        return path, None, None
    try:
        return path, yaml.safe_load(path.read_text(encoding="utf-8")), None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        return path, None, f"not valid YAML: {error}"
