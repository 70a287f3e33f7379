"""The layering of app/ (README, "How the code is laid out"), checked on the import graph.

Every `import` in app/, at module level or inside a function, is an edge. Within a domain:
models <- queries <- policies and services <- forms <- views (and registry.py, which registers
the views). Between domains: a domain may use another's models, queries, policies and services,
never its views. Shared modules (app/*.py, app/media/, app/mail/, app/jobs/) import no domain.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"
SHARED_PACKAGES = {"media", "mail", "jobs"}
DOMAINS = {p.parent.name for p in APP.glob("*/__init__.py")} - SHARED_PACKAGES

# The factory builds the application out of every domain: it is the one module above them all.
FACTORY = "app"
# Every table for Alembic and `flask db check`: a list of the domains' models, nothing else.
TABLE_REGISTRY = "app.models"

# Two domains that import each other, as of this test's writing, and why. A new pair fails: a
# domain that needs another's help should use its services without being used back, or the
# shared piece should move down to a shared module.
MUTUAL_IMPORTS_TODAY = {
    # Moderation acts on accounts (suspend, approve); a person's /account pages show the
    # decisions about them, and deleting an account writes to the moderation log.
    frozenset({"accounts", "moderation"}),
    # Notifications are addressed to a User; deleting an account removes them.
    frozenset({"accounts", "notifications"}),
    # A profile belongs to a User; accounts exports and erases the profile, and sign-up creates it.
    frozenset({"accounts", "profiles"}),
    # Calls list the applicant's projects; the portfolio page lists the calls a project was in.
    frozenset({"calls", "portfolios"}),
    # Moderation queues show projects; portfolios register projects as moderated content.
    frozenset({"moderation", "portfolios"}),
    # Moderation shows a designer's disciplines; saving a discipline writes to the moderation log.
    frozenset({"moderation", "profiles"}),
}

# Service modules that commit, and why they may.
COMMITTING_SERVICES = {
    # The delivery worker commits each email as it is sent, so that one failure never resends
    # the others; it runs outside any request (CLI, worker, after the response).
    "app.mail.services",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, ast.Module]:
    return {_module_name(p): ast.parse(p.read_text(), str(p)) for p in sorted(APP.rglob("*.py"))}


MODULES = _modules()


def _imports(name: str, tree: ast.Module) -> set[str]:
    """The app modules `name` imports (a `from x import y` counts as x.y when y is a module)."""
    package = name if (APP.parent / name.replace(".", "/") / "__init__.py").exists() else None
    package = package or name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "app")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            if source.split(".")[0] != "app":
                continue
            for alias in node.names:
                full = f"{source}.{alias.name}"
                found.add(full if full in MODULES else source)
    return found


GRAPH = {name: _imports(name, tree) for name, tree in MODULES.items()}


def _domain(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in DOMAINS else None


def _is_view(module: str) -> bool:
    last = module.rpartition(".")[2]
    return last.endswith("views") or last == "registry"


def _edges() -> list[tuple[str, str]]:
    return [(m, t) for m, targets in GRAPH.items() if m != FACTORY for t in sorted(targets)]


def test_the_graph_sees_module_and_function_level_imports() -> None:
    # `from app.accounts import views` at module level in app/accounts/registry.py. app/ has no
    # function-level import left (ruff's PLC0415), so a made-up module shows that one counts.
    assert "app.accounts.views" in GRAPH["app.accounts.registry"]
    inline = ast.parse("def f() -> None:\n    from app.calls import views\n")
    assert "app.calls.views" in _imports("app.search.services", inline)


def test_shared_modules_import_no_domain() -> None:
    wrong = [
        f"{m} imports {t}"
        for m, t in _edges()
        if _domain(m) is None and m != TABLE_REGISTRY and _domain(t) is not None
    ]
    assert not wrong, "\n".join(wrong)


def test_only_views_import_views() -> None:
    wrong = [f"{m} imports {t}" for m, t in _edges() if _is_view(t) and not _is_view(m)]
    assert not wrong, "\n".join(wrong)


def test_no_domain_imports_another_domains_views() -> None:
    wrong = [
        f"{m} imports {t}"
        for m, t in _edges()
        if _is_view(t) and _domain(t) is not None and _domain(m) != _domain(t)
    ]
    assert not wrong, "\n".join(wrong)


def test_the_factory_imports_no_view_module() -> None:
    wrong = [t for t in GRAPH[FACTORY] if t.rpartition(".")[2].endswith("views")]
    assert not wrong, wrong


def test_queries_never_import_services() -> None:
    wrong = [
        f"{m} imports {t}"
        for m, t in _edges()
        if m.endswith(".queries") and t.rpartition(".")[2] in {"services", "actions"}
    ]
    assert not wrong, "\n".join(wrong)


def _reads_request(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "flask"
            and any(a.name == "request" for a in node.names)
        ):
            return True
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "request"
            and isinstance(node.value, ast.Name)
            and node.value.id == "flask"
        ):
            return True
    return False


BELOW_VIEWS = ("models", "queries", "policies", "services", "actions", "pagination")


def test_nothing_below_views_reads_the_request() -> None:
    wrong = [
        m
        for m, tree in MODULES.items()
        if _domain(m) is not None and m.rpartition(".")[2] in BELOW_VIEWS and _reads_request(tree)
    ]
    assert not wrong, wrong


def _commits(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "commit"
        and ast.unparse(node.func.value) in {"db.session", "session"}
        for node in ast.walk(tree)
    )


def test_services_never_commit() -> None:
    wrong = [
        m
        for m, tree in MODULES.items()
        if m.rpartition(".")[2] in {"services", "actions"}
        and m not in COMMITTING_SERVICES
        and _commits(tree)
    ]
    assert not wrong, f"{wrong}: flush, and let the view (or the command) commit once"


def test_no_new_mutual_import_between_domains() -> None:
    uses: dict[str, set[str]] = defaultdict(set)
    for m, t in _edges():
        a, b = _domain(m), _domain(t)
        if a and b and a != b:
            uses[a].add(b)
    mutual = {frozenset({a, b}) for a in uses for b in uses[a] if a in uses.get(b, set())}
    new = sorted(" <-> ".join(sorted(pair)) for pair in mutual - MUTUAL_IMPORTS_TODAY)
    assert not new, f"new mutual imports between domains: {new}"
    gone = sorted(" <-> ".join(sorted(pair)) for pair in MUTUAL_IMPORTS_TODAY - mutual)
    assert not gone, f"no longer mutual, remove from MUTUAL_IMPORTS_TODAY: {gone}"
