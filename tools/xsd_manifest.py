"""Write packager/xsd_manifest.json, the pinned list `packager xsd install` fetches and checks.

Run it when the XSD set (../shared/xsd, or the folder given) changes, and commit the result:

    python tools/xsd_manifest.py [XSD_DIR]           # rewrite the manifest
    python tools/xsd_manifest.py --check [XSD_DIR]   # exit 1 if it is out of date

Every file the folder's PROVENANCE.tsv lists, except the example instances, is pinned by
path, size and SHA-256. An upstream file gets the raw URL of its repository at the recorded
commit (those bytes are what the hash pins; the spec URL it stands for is kept as
`represents`). The files written for the folder (catalog.xml and the driver XSDs) have no
upstream: packager ships them (packager/xsd_local/, compared here too). The one patched
copy, qti12/ims_qtiasiv1p2.libxml2.xsd, is described as its source plus the byte
replacements that produce it (see packager/xsd_store.py for why they are bytes).
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "packager" / "xsd_manifest.json"
LOCAL = ROOT / "packager" / "xsd_local"
RAW = "https://raw.githubusercontent.com/{repo}/{commit}/{path}"
WRITTEN_HERE = "(this folder)"
# qti12: the original binds the XML namespace to `x`, which libxml2 refuses (shared/xsd
# README, "Known gaps and caveats"); the libxml2 copy drops that line and uses `xml:`.
DERIVED = {
    "qti12/ims_qtiasiv1p2.libxml2.xsd": {
        "derived_from": "qti12/ims_qtiasiv1p2.xsd",
        "replace": [
            ['\t xmlns:x="http://www.w3.org/XML/1998/namespace" \n', ""],
            ['ref="x:lang"', 'ref="xml:lang"'],
            ['ref="x:space"', 'ref="xml:space"'],
        ],
    },
}


def manifest(xsd_dir: Path) -> dict[str, object]:
    files: list[dict[str, object]] = []
    with (xsd_dir / "PROVENANCE.tsv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            path = row["file"]
            if path.startswith("examples/"):
                continue
            data = (xsd_dir / path).read_bytes()
            entry: dict[str, object] = {
                "path": path,
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
            }
            if path in DERIVED:
                entry.update(DERIVED[path])
            elif row["source_repo"] == WRITTEN_HERE:
                entry["shipped"] = True
            else:
                entry["url"] = RAW.format(
                    repo=row["source_repo"], commit=row["commit"], path=row["source_path"]
                )
                if row["represents_url"]:
                    entry["represents"] = row["represents_url"]
            files.append(entry)
    files.sort(key=lambda e: str(e["path"]))
    return {"format": "packager.xsd-manifest/1", "files": files}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    xsd_dir = Path(args[0]) if args else ROOT.parent / "shared" / "xsd"
    text = json.dumps(manifest(xsd_dir), indent=1, ensure_ascii=False) + "\n"
    shipped = [
        str(e["path"]) for e in json.loads(text)["files"] if e.get("shipped")
    ]
    if check:
        stale = [p for p in shipped if (LOCAL / p).read_bytes() != (xsd_dir / p).read_bytes()]
        if MANIFEST.read_text(encoding="utf-8") != text or stale:
            print(f"{MANIFEST.name} or {stale} out of date: run tools/xsd_manifest.py",
                  file=sys.stderr)
            return 1
        return 0
    MANIFEST.write_text(text, encoding="utf-8")
    for path in shipped:
        target = LOCAL / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((xsd_dir / path).read_bytes())
    print(f"wrote {MANIFEST} ({len(json.loads(text)['files'])} files, {len(shipped)} shipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
