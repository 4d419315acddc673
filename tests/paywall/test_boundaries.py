"""The paywall plugs into the newsroom; the newsroom never imports the paywall."""

import ast
from pathlib import Path

import pytest

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


@pytest.mark.django_db
def test_the_readers_sign_in_is_throttled_like_the_desks(client, django_user_model):
    """Guessing a subscriber's password at /account/login/ is locked out too (django-axes), right password included."""
    django_user_model.objects.create_user("reader", password="a-long-reader-password")
    for _ in range(9):
        assert client.post("/account/login/", {"username": "reader", "password": "wrong"}).status_code == 200
    assert client.post("/account/login/", {"username": "reader", "password": "wrong"}).status_code == 429
    locked = client.post("/account/login/", {"username": "reader", "password": "a-long-reader-password"})
    assert locked.status_code == 429 and client.get("/account/").status_code == 302
