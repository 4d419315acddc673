"""Two people on one story: the second save is refused, nothing typed is lost, and a soft lock warns."""

from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone

from articles.models import Status
from tests.test_admin import change_form


def url(article, suffix="change/"):
    return f"/admin/articles/article/{article.pk}/{suffix}"


def test_second_save_is_refused_and_keeps_its_text(make_article, editor, django_user_model):
    """A opens, B saves, A saves: A is refused, told who and when, and A's text is still in the form."""
    from django.contrib.auth.models import Group

    second = django_user_model.objects.create_user(
        "bea", password="pw", is_staff=True, first_name="Bea", last_name="Second"
    )
    second.groups.add(Group.objects.get(name="Editor"))
    article = make_article(status=Status.DRAFT, headline="Original headline")
    alice, bea = Client(), Client()
    alice.force_login(editor)
    bea.force_login(second)

    opened = alice.get(url(article)).context["adminform"].form["lock_version"].value()
    assert bea.post(url(article), change_form(bea, article, headline="Bea's headline")).status_code == 302

    alice_form = change_form(
        alice, article, headline="Alice's headline", body="<p>Alice's new paragraph.</p>", lock_version=opened
    )
    response = alice.post(url(article), alice_form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bea Second saved this story at" in html and "have NOT been saved" in html
    assert "Alice&#x27;s headline" in html and "Alice&#x27;s new paragraph." in html
    article.refresh_from_db()
    assert article.headline == "Bea's headline"

    # Having looked, Alice saves again from the refused form: now deliberately hers.
    newer = response.context["adminform"].form["lock_version"].value()
    response = alice.post(url(article), {**alice_form, "lock_version": newer})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Alice's headline"


def test_soft_lock_notice_and_take_over(make_article, editor, django_user_model):
    """Opening a story someone else opened minutes ago shows who; taking over moves the lock."""
    from django.contrib.auth.models import Group

    other = django_user_model.objects.create_user("kai", password="pw", is_staff=True, first_name="Kai")
    other.groups.add(Group.objects.get(name="Editor"))
    article = make_article(status=Status.DRAFT)
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(other)
    first.get(url(article))
    html = second.get(url(article)).content.decode()
    assert "opened this story for editing" in html and "Take over" in html
    second.post(url(article, "take-over/"))
    article.refresh_from_db()
    assert article.editing_by == other
    assert "opened this story for editing" in first.get(url(article)).content.decode()
    # After the notice window, nobody is warned.
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        assert "opened this story for editing" not in first.get(url(article)).content.decode()
