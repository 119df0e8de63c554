"""Build configuration: `[tool.packager]` in pyproject.toml, or a packager.toml file.

Validated once with pydantic; every mistake is reported with the file and the key.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from packager.errors import InputError, PackagerIOError
from packager.relpath import has_drive

# Whether `D:/releases` names a folder here (Windows); elsewhere it is a name in the checkout.
_DRIVES = os.name == "nt"


class BuildConfig(BaseModel):
    """What `packager build` builds. Paths are relative to the config file's folder."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    banks: list[str] = Field(
        default_factory=lambda: ["content/**/*.json"],
        description="Glob patterns of bank files.",
        min_length=1,
    )
    formats: list[str] = Field(
        default_factory=list, description="Format names or aliases, or 'all'."
    )
    lms: list[str] = Field(default_factory=list, description="LMS presets (adds their formats).")
    out: str = Field(default="dist", description="Output folder.")
    strict: bool = Field(default=False, description="Fail on any fidelity loss (exit 4).")
    skip_unsupported: bool = Field(
        default=False, description="Leave out questions a format cannot express."
    )
    xsd_dir: str | None = Field(
        default=None,
        description="Official XSD folder; PACKAGER_XSD_DIR or --xsd-dir override it.",
    )
    jobs: int | None = Field(default=None, ge=1, description="Worker processes (default: cores).")

    @field_validator("out", "xsd_dir")
    @classmethod
    def _portable_folder(cls, value: str | None) -> str | None:
        """A folder every system that runs the build reads alike (a config is shared with
        CI): on Linux `C:\\Users\\me\\dist` was one folder of that name in the checkout."""
        if value is not None and "\\" in value:
            raise ValueError("write '/' between folders (Windows reads it too): '\\' is "
                             "part of a name on Linux and macOS")
        if value is not None and not _DRIVES and has_drive(value):
            raise ValueError(f"{value!r} is a Windows drive's folder; write it relative to "
                             "the config file, or give it on the command line (--out)")
        return value

    def folder(self, value: str, base: Path) -> Path:
        """`out` or `xsd_dir` as a path: relative to the config's folder; `~` is the home
        folder, as in a shell (it made a folder named `~`)."""
        try:
            return base / Path(value).expanduser()
        except RuntimeError as exc:  # `~nobody/dist`, or no home folder (HOME unset, no passwd)
            raise InputError(f"{value!r}: {exc}", hints=[
                "write the folder relative to the config file, or give it with --out"]) from None

    @field_validator("formats", "lms")
    @classmethod
    def _lower(cls, values: list[str]) -> list[str]:
        return [v.strip().lower() for v in values]

    def target_names(self) -> list[str]:
        from packager.formats import resolve
        from packager.lms import resolve_lms

        names = [t.name for t in resolve(",".join(self.formats))] if self.formats else []
        if self.lms:
            names.extend(fmt for _, fmt in resolve_lms(",".join(self.lms)))
        if not names:
            names = [t.name for t in resolve("all")]
        return list(dict.fromkeys(names))


def find_config(start: Path) -> Path | None:
    """packager.toml, else a pyproject.toml with [tool.packager], in `start`."""
    candidate = start / "packager.toml"
    if candidate.is_file():
        return candidate
    pyproject = start / "pyproject.toml"
    if pyproject.is_file():
        tools = _read_toml(pyproject).get("tool", {})
        if "packager" in tools:
            return pyproject
        _no_misspelt_section(pyproject, tools)
    return None


def _no_misspelt_section(path: Path, tools: Any) -> None:
    """A `[tool.packger]` was passed over: every format of the default banks was built into
    dist/ with success, which a CI job publishes. A typo is a letter or two away; other
    tools' sections are not (`packer` scores 0.86, `packaging` 0.71)."""
    from difflib import SequenceMatcher

    for name in tools if isinstance(tools, dict) else ():
        if SequenceMatcher(None, name.lower(), "packager").ratio() >= 0.87:
            raise InputError(
                f"{path}: [tool.{name}] is not packager's section (did you mean "
                "[tool.packager]?)",
                hints=["rename the section [tool.packager]; a build without one uses the "
                       "defaults (every format of content/**/*.json into dist/)"])


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PackagerIOError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        return tomllib.loads(_toml_text(data, path))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: invalid TOML: {exc}") from exc


def _toml_text(data: bytes, path: Path) -> str:
    """The text of a TOML file. A UTF-8 byte-order mark is dropped: TOML has none, but Windows
    editors write one ("UTF-8 with BOM"), and tomllib reported it as an invalid statement at
    line 1 (a bank may start with one too). Not UTF-8: InputError saying so, not a traceback."""
    from packager.readers.encoding import not_text, utf8_text

    try:
        return utf8_text(data)
    except UnicodeDecodeError as exc:
        problem = not_text(data, exc, str(path), "E-ENCODING", utf8_only=True)
        raise InputError(f"{problem.location()}: {problem.message}",
                         hints=[problem.hint] if problem.hint else []) from None


def load_config(path: Path | None, start: Path) -> tuple[BuildConfig, Path]:
    """The config and the folder its paths are relative to."""
    if path is None:
        path = find_config(start)
        if path is None:
            return BuildConfig(), start
    data = _read_toml(path)
    section: Any = data
    prefix = ""
    if path.name == "pyproject.toml":
        tools = data.get("tool", {})
        if "packager" not in tools:  # given with -c: its settings would all be ignored
            _no_misspelt_section(path, tools)
            raise InputError(f"{path}: has no [tool.packager] section",
                             hints=["add the section (README, 'Release builds'), or give a "
                                    "packager.toml, which holds the keys without a header"])
        section = tools["packager"]
        prefix = "tool.packager."
    elif isinstance(data.get("tool"), dict) and "packager" in data["tool"]:
        raise InputError(f"{path}: holds a [tool.packager] section",
                         hints=[f"{path.name} holds the keys without a header: remove the "
                                "[tool.packager] line (it is pyproject.toml's section)"])
    try:
        return BuildConfig.model_validate(section), path.resolve().parent
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            key = prefix + ".".join(str(p) for p in error["loc"])
            hint = ""
            if error["type"] == "extra_forbidden":
                from packager.suggest import did_you_mean

                hint = did_you_mean(str(error["loc"][-1]), BuildConfig.model_fields)
            elif error["type"] == "list_type" and isinstance(error["input"], str):
                # `formats = "qti"`: the list it meant, written out
                hint = f" (write {error['loc'][-1]} = [{json.dumps(error['input'])}])"
            problems.append(f"{key}: {error['msg']}{hint}")
        raise InputError(
            f"{path}: invalid packager configuration: " + "; ".join(problems),
            hints=[
                "keys: banks, formats, lms, out, strict, skip_unsupported, xsd_dir, jobs "
                "(see README, 'Release builds')"
            ],
        ) from None
