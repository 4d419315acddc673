"""The paywall plugs into the newsroom; the newsroom never imports the paywall."""

import ast
from pathlib import Path

ARTICLES = Path(__file__).resolve().parents[2] / "articles"


def test_articles_never_imports_the_paywall():
    offenders = []
    for path in ARTICLES.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            offenders += [
                f"{path.relative_to(ARTICLES.parent)}: {name}" for name in names if name.split(".")[0] == "paywall"
            ]
    assert offenders == []
