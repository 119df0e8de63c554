"""Output validation against the official XSDs, read from a directory laid out like shared/xsd.

The directory comes from `--xsd-dir`, else the PACKAGER_XSD_DIR environment variable, else
the folder `packager xsd install` fills in the user's cache (packager.xsd_store); the XSDs are
not shipped with packager. Remote imports are resolved through the directory's catalog.xml,
so validation never touches the network. Compiled schemas are cached per process.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from packager.errors import UsageError

ENV_VAR = "PACKAGER_XSD_DIR"

# schema key → entry XSD, relative to the XSD directory (see shared/xsd/README.md).
ENTRY_SCHEMAS: dict[str, str] = {
    "qti12": "qti12/ims_qtiasiv1p2.libxml2.xsd",
    "qti21": "qti21/imsqti_v2p1.xsd",
    "qti22": "qti22/imsqti_v2p2.xsd",
    "qti30": "qti30/imsqti_asiv3p0p1_v1p0.xsd",
    "imscp": "imscp/qti_package_manifest.driver.xsd",
    "qti30-manifest": "qti30/imsqtiv3p0_imscpv1p2_v1p0.xsd",
    "scorm12": "scorm12/scorm12_manifest.driver.xsd",
    "scorm2004": "scorm2004_4th/scorm2004_manifest.driver.xsd",
    "cc11": "cc11/ccv1p1_imscp_v1p2_v1p0.xsd",
    "cc11-qti": "cc11/ccv1p1_qtiasiv1p2p1_v1p0.xsd",
    "cc13": "cc13/ccv1p3_imscp_v1p2_v1p0.xsd",
    "cc13-qti": "cc13/ccv1p3_qtiasiv1p2p1_v1p0.xsd",
    "canvas": "cc_canvas/cccv1p0.xsd",
}
# Schemas we own (no official XSD exists), shipped in schemas/.
PROJECT_SCHEMAS: dict[str, str] = {
    "moodle": "moodle-xml.xsd",
}

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
XS_NS = "http://www.w3.org/2001/XMLSchema"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
# Schemas whose entry XSD imports MathML 3. Compiling MathML is most of their cost (QTI 3.0:
# about 3.2 of 3.4 CPU-s, in libxml2's determinism check of each content model, which
# compares every pair of the ~200 elements MathML's wide choice groups allow). A document
# without MathML elements, attributes or xsi:type cannot reach a MathML declaration, so it
# is validated against the same official XSD with the import pointed at
# schemas/mathml3-stub.xsd; the full schema is compiled only for a document that may reach
# one (or when prewarm was told the banks may hold math).
MATHML_IMPORTERS = frozenset({"qti30"})
_STUBBED = "+mathml-stub"  # suffix of the internal key of a schema compiled with the stub


def xsd_dir_from(option: Path | None, given_by: str = "--xsd-dir") -> Path | None:
    """The XSD directory (see locate), or None: official-XSD validation is skipped.
    `given_by`: what the option is, for the message when it names no XSD folder."""
    return locate(option, given_by)[0]


def locate(option: Path | None, given_by: str = "--xsd-dir") -> tuple[Path | None, str]:
    """The XSD directory and where it was found: "flag" (the option), "env"
    (PACKAGER_XSD_DIR), "cache" (installed by `packager xsd install`) or "none"."""
    if option is not None:
        return _xsd_folder(option, given_by), "flag"
    raw = os.environ.get(ENV_VAR)
    if raw:
        return _xsd_folder(Path(raw), ENV_VAR), "env"
    from packager.xsd_store import installed_dir

    installed = installed_dir()
    if (installed / "catalog.xml").is_file():
        return installed.resolve(), "cache"
    return None, "none"


def _xsd_folder(raw: Path, given_by: str) -> Path:
    path = raw.expanduser()
    if not (path / "catalog.xml").is_file():
        raise UsageError(
            f"{path} is not an XSD directory ("
            + ("no catalog.xml in it)" if path.is_dir() else "no such folder)"),
            hints=[
                f"point {given_by} at a folder laid out like shared/xsd, "
                "or leave it out and run `packager xsd install`"
            ],
        )
    return path.resolve()


@lru_cache(maxsize=4)
def _catalog(xsd_dir: Path) -> dict[str, str]:
    from lxml import etree

    ns = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"
    tree = etree.parse(str(xsd_dir / "catalog.xml"))
    mapping: dict[str, str] = {}
    for element in tree.iter(f"{ns}uri", f"{ns}system"):
        key = element.get("name") or element.get("systemId")
        target = element.get("uri")
        if key and target:
            mapping[key] = str((xsd_dir / target).resolve())
    return mapping


def _use_native_catalog(xsd_dir: Path) -> None:
    """Give libxml2 the folder's catalog itself, through XML_CATALOG_FILES.

    Background compiles (prewarm) resolve their imports with it alone, without the Python
    resolver (see _compile_natively). It also backs the Python resolver up: lxml swaps
    libxml2's process-wide entity loader in and out around every parse, so a parse on another
    thread can restore the default loader for a moment, and that loader reads the catalogs in
    XML_CATALOG_FILES (once, on first use). An existing setting is kept, with ours appended.
    The catalog goes in as a file URI: libxml2 splits the variable at spaces, and a path with
    one (`C:\\Users\\First Last\\…`) lost the catalog; a URI writes a space as %20.
    """
    catalog = (xsd_dir / "catalog.xml").resolve().as_uri()
    current = os.environ.get("XML_CATALOG_FILES", "")
    if catalog not in current.split():
        os.environ["XML_CATALOG_FILES"] = f"{current} {catalog}".strip()


def _resolver_class() -> Any:
    from lxml import etree

    class CatalogResolver(etree.Resolver):
        def __init__(self, mapping: dict[str, str]) -> None:
            super().__init__()
            self.mapping = mapping

        def resolve(self, url: str, pubid: str | None, context: Any) -> Any:  # type: ignore[override]
            if url in self.mapping:
                return self.resolve_filename(self.mapping[url], context)  # type: ignore[attr-defined]
            if url.startswith(("http:", "https:")):
                raise OSError(f"not in the XSD catalog (refusing network access): {url}")
            return None

    return CatalogResolver


# Compilations started by prewarm(), by (key, directory); schema_for waits for them.
_PENDING: dict[tuple[str, Path | None], Future[Any]] = {}
_THREADS: list[threading.Thread] = []
# The slow ones, compiled first (the slowest on a thread of its own); the rest take milliseconds.
_SLOW_TO_COMPILE = {"qti30": 0, "qti21": 1}  # ~1.7 s and ~0.35 s


def prewarm(keys: Iterable[str], xsd_dir: Path | None, mathml: bool = True) -> None:
    """Start compiling schemas in background threads, e.g. while the banks load.

    libxml2 releases the GIL while it compiles, so the QTI 3.0 schema (about 1.7 s) costs
    nothing when a 10,000-question bank takes a second to load on the other core. Keys that
    need an XSD directory are skipped without one; errors surface when the schema is used.
    The threads are daemons: an incremental build with nothing to do exits without waiting.
    `mathml=False` (the documents will hardly hold MathML): a schema of MATHML_IMPORTERS is
    compiled with the stub only, and in full by the first document that needs it.
    """
    wanted = sorted(
        (
            f"{k}{_STUBBED}" if k in MATHML_IMPORTERS and not mathml else k
            for k in dict.fromkeys(keys)
            if (k, xsd_dir) not in _PENDING
            and (f"{k}{_STUBBED}", xsd_dir) not in _PENDING  # prewarmed either way
            and not (needs_xsd_dir(k) and xsd_dir is None)
        ),
        key=lambda k: _SLOW_TO_COMPILE.get(k, len(_SLOW_TO_COMPILE)),
    )
    if not wanted:
        return
    if xsd_dir is not None:
        _use_native_catalog(xsd_dir)  # before any thread parses (libxml2 reads it once)
    init_schema_types()  # before any thread compiles
    futures: list[tuple[str, Future[Any]]] = []
    for key in wanted:
        future: Future[Any] = Future()
        _PENDING[(key, xsd_dir)] = future
        futures.append((key, future))

    def compile_all(group: list[tuple[str, Future[Any]]]) -> None:
        for key, future in group:
            try:
                future.set_result(_compile_natively(key, xsd_dir))
            except BaseException as exc:  # handed to whoever asks for the schema
                future.set_exception(exc)

    # The slowest schema on a thread of its own, the rest on another: a build that needs
    # them all waits for about the slowest alone (QTI 3.0) instead of for their sum.
    groups = [futures[:1], futures[1:]] if wanted[0] in _SLOW_TO_COMPILE else [futures]
    for group in (g for g in groups if g):
        thread = threading.Thread(
            target=compile_all, args=(group,), name="packager-xsd", daemon=True
        )
        _THREADS.append(thread)
        thread.start()


def init_schema_types() -> None:
    """Make libxml2 set up its built-in XSD types (xs:string, xs:NCName, …), once per
    process, before any schema of packager's is compiled (prewarm's threads, the API's
    threads asking for their first schema, richtext_urls' own).

    It does so on first use, and two threads compiling their first schemas at once can both
    do it: seen with lxml 6.1.3 (libxml2 2.14.6) in 4 of 300 fresh processes whose two threads
    each compiled a schema (a double free once; else every later compile in the process, and
    in workers forked from it, failed with "xmlSchemaPValAttrNodeValue, the given type is not
    a built-in type"). After one compile here first: 0 of 450. A thread that comes while
    another does it waits for its end.
    """
    global _TYPES_READY
    if _TYPES_READY:
        return
    with _TYPES_LOCK:
        if not _TYPES_READY:
            from lxml import etree

            etree.XMLSchema(etree.XML(b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>'))
            _TYPES_READY = True


_TYPES_READY = False
_TYPES_LOCK = threading.Lock()


def prewarming() -> bool:
    """Whether a background compilation is still running."""
    return any(thread.is_alive() for thread in _THREADS)


def ready(keys: Iterable[str], xsd_dir: Path | None) -> bool:
    """Whether using these schemas now would not wait for a background compilation."""
    for key in keys:
        for compiled in (key, f"{key}{_STUBBED}"):
            pending = _PENDING.get((compiled, xsd_dir))
            if pending is not None and not pending.done():
                return False
    return True


def finish_prewarm() -> None:
    """Wait for every background compilation and its thread (call before forking)."""
    while _THREADS:
        _THREADS.pop().join()


def schema_for(key: str, xsd_dir: Path | None) -> Any:
    """The compiled XMLSchema for a key (compiled once per process), or for a key of
    MATHML_IMPORTERS whose full schema was not prewarmed, a StubbedMathML that stands for it
    in schema_errors."""
    if key in MATHML_IMPORTERS and (key, xsd_dir) not in _PENDING:
        stubbed = _stubbed(key, xsd_dir)
        if stubbed is not None:
            return StubbedMathML(key, xsd_dir, stubbed)
    return _compiled(key, xsd_dir)


def _compiled(key: str, xsd_dir: Path | None) -> Any:
    pending = _PENDING.get((key, xsd_dir))
    if pending is not None:
        try:
            return pending.result()
        except Exception:
            # Compiled again here, with no other compile running: a background compile can
            # lose a race with a parse on another thread (see _use_native_catalog), and the
            # prewarm is an optimisation only. A real problem raises again, from here.
            del _PENDING[(key, xsd_dir)]
    return _compile(key, xsd_dir)


_STUB_FAILED: set[tuple[str, Path | None]] = set()


def _stubbed(key: str, xsd_dir: Path | None) -> Any:
    """The schema compiled with the MathML stub, or None when it does not compile (an XSD
    folder whose entry XSD refers to MathML names the stub lacks): the full one serves."""
    if (key, xsd_dir) in _STUB_FAILED:
        return None
    try:
        return _compiled(f"{key}{_STUBBED}", xsd_dir)
    except Exception:
        _STUB_FAILED.add((key, xsd_dir))
        return None


@dataclass(frozen=True)
class StubbedMathML:
    """The schema of a MATHML_IMPORTERS key: `stubbed` for a document that cannot reach a
    MathML declaration, the full schema (compiled on first need) for one that may."""

    key: str
    xsd_dir: Path | None
    stubbed: Any

    def for_tree(self, tree: Any) -> Any:
        if _reaches_mathml(tree):
            return _compiled(self.key, self.xsd_dir)
        return self.stubbed


@lru_cache(maxsize=1)
def _reaching_mathml() -> Any:
    from lxml import etree

    # Name tests, which libxml2 matches by itself, not a predicate calling two functions on
    # every attribute: a plain QTI 3.0 item is looked at in 13 µs instead of 25 (its
    # validation takes 36).
    return etree.XPath(
        "boolean(descendant-or-self::m:* | descendant-or-self::*/@m:* "
        "| descendant-or-self::*/@xsi:type)",
        namespaces={"m": MATHML_NS, "xsi": XSI_NS},
    )


def _reaches_mathml(tree: Any) -> bool:
    """Whether validating a tree (or element) may consult a MathML declaration: it holds an
    element or attribute in the MathML namespace, or an xsi:type (which may name a MathML
    type). Nothing else of a document is looked up in another namespace's declarations."""
    return bool(_reaching_mathml()(tree))


def _entry_path(key: str, xsd_dir: Path | None) -> Path:
    if key in PROJECT_SCHEMAS:
        from packager.schema import schemas_root

        return schemas_root() / PROJECT_SCHEMAS[key]
    if xsd_dir is None:
        raise UsageError(f"no XSD directory configured to validate {key!r}")
    if key not in ENTRY_SCHEMAS:
        raise KeyError(f"unknown schema key {key!r}")
    return xsd_dir / ENTRY_SCHEMAS[key]


@lru_cache(maxsize=32)
def _compile(key: str, xsd_dir: Path | None) -> Any:
    from lxml import etree

    init_schema_types()  # the first compile may be on two of the API's threads at once
    parser = etree.XMLParser(no_network=True, load_dtd=False)
    if xsd_dir is not None:
        _use_native_catalog(xsd_dir)
        parser.resolvers.add(_resolver_class()(_catalog(xsd_dir)))
    return etree.XMLSchema(_schema_document(key, xsd_dir, parser))


def _compile_natively(key: str, xsd_dir: Path | None) -> Any:
    """Compile with libxml2 resolving imports through XML_CATALOG_FILES, without the Python
    resolver: every resolver call needs the GIL, and a thread waiting for it while the main
    thread loads a bank took the QTI 3.0 compile from 1.9 s to 3.3 s. prewarm() has set the
    catalog; an import it cannot resolve fails here, and schema_for then compiles again with
    the resolver, which says which URL is missing."""
    from lxml import etree

    parser = etree.XMLParser(no_network=True, load_dtd=False)
    return etree.XMLSchema(_schema_document(key, xsd_dir, parser))


def _schema_document(key: str, xsd_dir: Path | None, parser: Any) -> Any:
    """The entry XSD of a key, parsed; for a stubbed key (see MATHML_IMPORTERS), with its
    MathML import pointed at the stub (by file URI, which libxml2 reads without a resolver)."""
    from lxml import etree

    entry = key.removesuffix(_STUBBED)
    document = etree.parse(str(_entry_path(entry, xsd_dir)), parser)
    if entry != key:
        from packager.schema import schemas_root

        found = document.getroot().findall(f"{{{XS_NS}}}import[@namespace='{MATHML_NS}']")
        if not found:
            raise ValueError(f"{_entry_path(entry, xsd_dir)} imports no MathML")
        stub = (schemas_root() / "mathml3-stub.xsd").resolve().as_uri()
        for element in found:
            element.set("schemaLocation", stub)
    return document


@dataclass(frozen=True)
class XsdError:
    part: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.part}:{self.line}: {self.message}"


# lxml keeps a validation's messages on the schema object, and the threads of a process (the
# API's callers) validate with the one compiled schema of each key: another thread's
# validation between `validate` and the reading of `error_log` cleared them, and a document
# that failed had no errors, so passed. Each schema is held for both steps (one lock per
# schema: threads validating against different schemas do not wait for each other).
_HELD: dict[int, threading.Lock] = {}
_HOLDING = threading.Lock()


def _held(schema: Any) -> threading.Lock:
    """The lock of a schema (by id: a lock shared with a later schema at a freed address
    only makes their validations take turns)."""
    lock = _HELD.get(id(schema))
    if lock is None:
        with _HOLDING:
            lock = _HELD.setdefault(id(schema), threading.Lock())
    return lock


def _forget_held() -> None:
    """In a forked child: a lock another thread of the parent held at the fork would stay
    held for good (the types lock too: were they being set up then, the child sets them up
    again, which one thread may)."""
    global _HOLDING, _TYPES_LOCK
    _HOLDING = threading.Lock()
    _HELD.clear()
    _TYPES_LOCK = threading.Lock()


os.register_at_fork(after_in_child=_forget_held)


def schema_errors(schema: Any, tree: Any, part: str) -> list[XsdError]:
    """What a compiled schema (or a StubbedMathML) finds wrong in a tree (or element),
    named after `part`."""
    if isinstance(schema, StubbedMathML):
        schema = schema.for_tree(tree)
    with _held(schema):
        if schema.validate(tree):
            return []
        return [XsdError(part, e.line, e.message) for e in schema.error_log]


def validate_bytes(key: str, data: bytes, part: str, xsd_dir: Path | None) -> list[XsdError]:
    from lxml import etree

    from packager.xml.serialize import parse_bytes

    try:
        tree = parse_bytes(data)
    except etree.XMLSyntaxError as exc:
        return [XsdError(part, exc.lineno or 0, f"not well-formed XML: {exc.msg}")]
    dtd: Any = tree.docinfo.internalDTD  # lxml-stubs declare no entities() on DTD
    if dtd is not None and dtd.entities():
        # Never expanded (they can read files or grow without end), so the tree holds bare
        # references, on which libxml2's validation fails with an internal error.
        return [XsdError(part, 1, "declares XML entities (<!ENTITY …>), which are not "
                         "expanded, so it cannot be validated; a package has no use for them")]
    return schema_errors(schema_for(key, xsd_dir), tree, part)


def needs_xsd_dir(key: str) -> bool:
    return key not in PROJECT_SCHEMAS
