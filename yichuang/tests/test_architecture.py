"""The shape of the code (ARCHITECTURE.md, "Dependencies point one way"), checked on the
import graph of `yichuang/` that grimp reads from the source (every import, also those inside
functions, which is where a cycle hides). Tests and migrations are left out: tests may reach
anywhere, and migrations use `apps.get_model`.

    portal, appraisal, campaigns, appointments -> feedback -> cases, inquiries -> catalog
    -> org, workdays -> core

Above the apps sit the project's wiring (urls, api, wsgi, asgi, settings, the schedule of periodic
jobs) and the demo seed; below core sits `localkeys`, which settings and core read. Apps of one layer may import each other;
the cycle test keeps them from importing in circles.
"""

import subprocess
import sys
from pathlib import Path

import grimp
import pytest

LAYERS = [
    {"urls", "api", "wsgi", "asgi", "settings", "schedule"},
    {"demo"},
    {"portal", "appraisal", "campaigns", "appointments"},
    {"feedback"},
    {"cases", "inquiries"},
    {"catalog"},
    {"org", "workdays"},
    {"core"},
    {"localkeys"},
]


def _left_out(module: str) -> bool:
    parts = module.split(".")
    return "tests" in parts or "migrations" in parts


@pytest.fixture(scope="module")
def graph():
    graph = grimp.build_graph("yichuang", cache_dir=None)
    for module in [m for m in graph.modules if _left_out(m)]:
        graph.remove_module(module)
    return graph


def test_every_module_belongs_to_a_layer(graph):
    """A new app or top-level module must be placed in LAYERS, or nothing would check it."""
    placed = set().union(*LAYERS)
    top = {m.split(".")[1] for m in graph.modules if m.count(".") >= 1}
    assert top <= placed, f"put these in LAYERS: {sorted(top - placed)}"


def test_no_layer_imports_a_layer_above_it(graph):
    layers = [grimp.Layer(*sorted(layer), independent=False) for layer in LAYERS]
    illegal = graph.find_illegal_dependencies_for_layers(layers=layers, containers={"yichuang"})
    found = []
    for dependency in sorted(illegal, key=lambda d: (d.importer, d.imported)):
        for route in dependency.routes:
            chain = [*route.heads, *route.middle, *route.tails]
            found.append(f"{dependency.importer} -> {dependency.imported}: {chain}")
    assert not found, "upward imports:\n" + "\n".join(found)


def _cycles(graph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) - {m}) for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return sorted(components)


def test_no_import_cycles_between_modules(graph):
    """A package importing its own submodules (models/__init__ importing models.cases) is
    not a cycle unless a submodule imports the package back."""
    cycles = _cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for importer, imported in [("a.x", "a.y"), ("a.y", "a.z"), ("a.z", "a.x"), ("a.z", "a.w")]:
        graph.add_import(importer=importer, imported=imported)
    assert _cycles(graph) == [["a.x", "a.y", "a.z"]]


def test_no_app_imports_another_apps_views_or_api(graph):
    """Pages and routers are the top of each app: only the project's urls.py and api.py
    mount them."""
    found = []
    for app in set().union(*LAYERS[2:]):
        for room in ("views", "api"):
            target = f"yichuang.{app}.{room}"
            if target not in graph.modules:
                continue
            for importer in graph.find_modules_that_directly_import(target) | {
                i
                for m in graph.find_descendants(target)
                for i in graph.find_modules_that_directly_import(m)
            }:
                if importer.split(".")[1] not in (app, "urls", "api"):
                    found.append(f"{importer} -> {target}")
    assert not found, "\n".join(sorted(found))


HEAVY = ["pypinyin", "reportlab", "openpyxl", "segno"]


def test_a_worker_starts_without_the_heavy_libraries():
    """pypinyin's phrase dictionary alone is ~55 MiB: the pinyin keys, PDFs, workbooks and QR
    codes import their library when first used, so a worker that loaded every URL and router
    has none of them yet."""
    code = (
        "import os, sys, django\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'yichuang.settings')\n"
        "django.setup()\n"
        "from django.urls import get_resolver\n"
        "get_resolver().url_patterns\n"
        "import yichuang.api\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == []
