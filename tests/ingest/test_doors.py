"""The other doors to the wire desk: HTTP push, the admin upload, the drop folder."""

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from articles.models import Article, WireItem
from articles.services.ingest import receive
from tests.conftest import PROJECT_DIR
from tests.ingest.conftest import WIRE, read
from tests.test_publish_scheduled import database_url

PUSH = "/wire/push/ap/"


@pytest.fixture
def ap_token(agencies):
    return agencies["ap"].set_push_token()


def test_push_accepts_the_right_token(client, ap_token):
    """With the agency's token, a pushed story is accepted: 202 and the item id."""
    response = client.post(PUSH, read("nitf/harbor-ferry.xml"), content_type="application/xml",
                           HTTP_AUTHORIZATION=f"Bearer {ap_token}")  # fmt: skip
    assert response.status_code == 202
    item = WireItem.objects.get(pk=response.json()["item"])
    assert item.outcome == "created" and item.source == "push:ap"


@pytest.mark.parametrize(("header", "status"), [(None, 401), ("Bearer wrong", 403), ("Basic s3cret", 401)])
def test_push_refuses_a_missing_or_wrong_token(client, ap_token, header, status):
    """No token is 401, a wrong one 403; nothing is ingested."""
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.post(PUSH, read("nitf/harbor-ferry.xml"), content_type="application/xml", **extra)
    assert response.status_code == status and not WireItem.objects.exists()


def test_push_is_off_without_a_token(client, agencies):
    """An agency with no token set cannot push at all."""
    response = client.post(PUSH, b"x", content_type="text/plain", HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 401


def test_push_of_a_bad_file_is_400_with_the_reason_and_kept(client, ap_token):
    """A file that cannot be read answers 400 with why, and is kept on the desk."""
    response = client.post(PUSH, read("hostile/xxe.xml"), content_type="application/xml",
                           HTTP_AUTHORIZATION=f"Bearer {ap_token}")  # fmt: skip
    assert response.status_code == 400 and "entities" in response.json()["error"]
    assert WireItem.objects.get().outcome == "rejected"


def test_push_limits_size(client, ap_token, settings):
    """Bodies over the limit are refused with 413 before being read."""
    settings.WIRE_MAX_BYTES = 50
    response = client.post(PUSH, read("nitf/harbor-ferry.xml"), content_type="application/xml",
                           HTTP_AUTHORIZATION=f"Bearer {ap_token}")  # fmt: skip
    assert response.status_code == 413


def test_push_needs_no_csrf_token(ap_token):
    """Agencies have no CSRF cookie: the endpoint is exempt (and only it)."""
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(PUSH, read("nitf/harbor-ferry.xml"), content_type="application/xml",
                           HTTP_AUTHORIZATION=f"Bearer {ap_token}")  # fmt: skip
    assert response.status_code == 202


def test_admin_upload_shows_per_file_results(editor_client, agencies):
    """The desk uploads several files at once and sees what became of each."""
    files = [
        SimpleUploadedFile("ferry.xml", read("nitf/harbor-ferry.xml")),
        SimpleUploadedFile("xxe.xml", read("hostile/xxe.xml")),
    ]
    response = editor_client.post("/admin/articles/wireitem/upload/", {"files": files})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Harbor ferry fares to rise 10% in spring" in html and "Created" in html
    assert "Rejected" in html and "declares XML entities" in html


def test_wire_desk_list_filters_search_raw_and_retry(editor_client, agencies):
    """The wire desk lists items, filters by agency and outcome, searches GUIDs, shows raw files, retries."""
    editor_client.post("/admin/articles/wireitem/upload/", {"files": [
        SimpleUploadedFile("ferry.xml", read("nitf/harbor-ferry.xml")),
        SimpleUploadedFile("northwind.json", b'{"uri": "u:1", "version": "1", "headline": "Far away", '
                                          b'"body_html": "<p>x</p>", "copyrightholder": "Northwind Wire"}'),
    ]})  # fmt: skip
    changelist = "/admin/articles/wireitem/"
    assert editor_client.get(changelist, {"q": "ap-2026-ferry"}).context["cl"].result_count == 1
    assert editor_client.get(changelist, {"wire_service__id__exact": agencies["ap"].pk}).context["cl"].result_count == 1
    waiting = WireItem.objects.get(headline="Far away")  # an unknown agency: a draft waits for the desk
    assert waiting.outcome == "created" and waiting.wire_service is None
    raw = editor_client.get(f"/admin/articles/wireitem/{waiting.pk}/raw/")
    assert raw["Content-Type"].startswith("text/plain") and b"Northwind Wire" in raw.content
    editor_client.post("/admin/articles/wireitem/upload/", {"files": [SimpleUploadedFile("bad.xml", b"<nitf><")]})
    rejected = WireItem.objects.get(outcome="rejected")
    rejected.raw = read("nitf/harbor-ferry-kill.xml")  # as if the agency had re-sent it whole
    rejected.save()
    editor_client.post(changelist, {"action": "retry_selected", "_selected_action": [rejected.pk]})
    assert WireItem.objects.filter(source=f"retry of #{rejected.pk}", outcome="killed").exists()


def test_reporters_cannot_see_the_wire_desk(client, reporter):
    """The wire desk is for editors."""
    client.force_login(reporter)
    assert client.get("/admin/articles/wireitem/").status_code == 403
    assert client.get("/admin/articles/wireitem/upload/").status_code == 403


# The drop folder. -----------------------------------------------------------------------------


def test_watch_folder_moves_files_to_done_and_failed(agencies, tmp_path):
    """Each file ends in done/ or failed/, with its picture beside it."""
    from django.core.management import call_command

    for name in ["nitf/harbor-ferry.xml", "nitf/ferry.png", "hostile/xxe.xml"]:
        shutil.copy(WIRE / name, tmp_path)
    call_command("ingest_wire", "--watch", str(tmp_path), "--once", "--interval", "0", stdout=io.StringIO())
    assert sorted(p.name for p in (tmp_path / "done").iterdir()) == ["ferry.png", "harbor-ferry.xml"]
    assert [p.name for p in (tmp_path / "failed").iterdir()] == ["xxe.xml"]
    assert Article.objects.get().lead_image is not None


@pytest.mark.django_db(transaction=True)
def test_watch_folder_survives_being_killed_mid_run(agencies, tmp_path):
    """Killed part-way through, then run again: every file is ingested exactly once and none is lost."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("needs a test database on disk")
    template = read("nitf/harbor-ferry.xml")
    count = 60
    for number in range(count):
        data = template.replace(b"ap-2026-ferry-fares", f"ap-crash-{number}".encode())
        (tmp_path / f"story-{number:03}.xml").write_bytes(data)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": database_url()}
    command = [sys.executable, "manage.py", "ingest_wire", "--watch", str(tmp_path), "--once", "--interval", "0"]

    worker = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline and len(list((tmp_path / "done").glob("*.xml"))) < 10:
        time.sleep(0.02)
    worker.send_signal(signal.SIGKILL)  # no clean-up, no chance to finish the file in hand
    worker.wait()
    assert len(list((tmp_path / "done").glob("*.xml"))) < count, "the run finished before it could be killed"

    rerun = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    done = sorted(p.name for p in (tmp_path / "done").glob("*.xml"))
    assert done == [f"story-{number:03}.xml" for number in range(count)]
    assert not list((tmp_path / "processing").iterdir()) and not list(tmp_path.glob("*.xml"))
    assert Article.objects.count() == count
    assert WireItem.objects.filter(outcome="created").count() == count


@pytest.fixture
def picture_server(tmp_path):
    """A small HTTP server on this machine, standing in for an agency's picture host."""
    import functools
    import http.server
    import threading

    (tmp_path / "bee.png").write_bytes(read("nitf/ferry.png"))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _with_picture(url):
    story = json.loads(read("ninjs/ninjs1-embargoed.json"))
    story["associations"]["featuremedia"]["renditions"]["original"]["href"] = f"{url}/bee.png"
    return json.dumps(story).encode()


def test_remote_pictures_are_recorded_not_fetched_by_default(agencies, picture_server):
    """Without the setting, a picture URL stays on the wire item and nothing is downloaded."""
    item = receive(_with_picture(picture_server))[0]
    assert item.article.lead_image is None and item.data["images"][0]["href"].endswith("/bee.png")


def test_remote_pictures_from_allowed_hosts_are_attached(agencies, picture_server, settings):
    """With the host allowed, the picture is fetched, checked and attached with its credit."""
    settings.WIRE_FETCH_IMAGES_FROM = ["127.0.0.1"]
    image = receive(_with_picture(picture_server))[0].article.lead_image
    assert (image.width, image.height) == (160, 90) and image.credit == "Photograph by Kim Ode"


def _zip(files):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in files.items():
            package.writestr(name, data)
    return buffer.getvalue()


def test_zip_package_brings_its_pictures(agencies):
    """A zip of a story and its picture: the story is created with the picture attached."""
    package = _zip({"story/harbor-ferry.xml": read("nitf/harbor-ferry.xml"), "story/ferry.png": read("nitf/ferry.png")})
    items = receive(package, filename="delivery.zip")
    assert [item.outcome for item in items] == ["created", "kept"]  # the story, then the zip itself
    assert items[0].filename == "delivery.zip:story/harbor-ferry.xml"
    assert items[0].article.lead_image.caption == "A ferry leaves the downtown terminal on Thursday."


def test_zip_bomb_and_damaged_zip_are_refused(agencies, settings):
    """A member that expands past the limit, or a broken zip, is refused with a reason and kept."""
    settings.WIRE_MAX_BYTES = 10_000
    bomb = _zip({"story.xml": b"<nitf>" + b" " * 5_000_000 + b"</nitf>"})
    assert len(bomb) < 10_000
    item = receive(bomb, filename="bomb.zip")[0]
    assert item.outcome == "rejected" and "larger than the limit" in item.error
    item = receive(b"PK\x03\x04 broken", filename="broken.zip")[0]
    assert item.outcome == "rejected" and "damaged" in item.error and bytes(item.raw) == b"PK\x03\x04 broken"
