"""The drop folder: what it takes and when, what it refuses, and how it survives crashes and poison files."""

import io
import os
import signal
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.db import connection

from articles.models import Article, WireItem
from articles.services import dropfolder, ingest
from articles.services.dropfolder import MAX_ATTEMPTS, DropFolder
from tests.conftest import PROJECT_DIR
from tests.ingest.conftest import read
from tests.test_publish_scheduled import database_url

FERRY = read("nitf/harbor-ferry.xml")


class ProcessDied(BaseException):
    """Stands in for the process being killed: nothing in the drop folder may catch it."""


def watch_once(folder):
    out = io.StringIO()
    call_command("ingest_wire", "--watch", str(folder), "--once", "--interval", "0", stdout=out)
    return out.getvalue()


def names(folder):
    return sorted(path.name for path in folder.iterdir() if not path.name.startswith("."))


def ferry(number):
    return FERRY.replace(b"ap-2026-ferry-fares", f"ap-drop-{number}".encode()).replace(
        b"10% in spring", f"{number}% in spring".encode()
    )


def news_message(count):
    """A NewsML-G2 newsMessage of `count` small Reuters stories, shaped like newsmessage-prefixed.xml."""
    items = "".join(
        f"""<ns0:newsItem guid="tag:reuters.com,2026:bulk-{number}" version="1" standard="NewsML-G2">
      <ns0:itemMeta><ns0:itemClass qcode="ninat:text"/><ns0:provider literal="Reuters"/>
        <ns0:pubStatus qcode="stat:usable"/></ns0:itemMeta>
      <ns0:contentMeta><ns0:headline>Bulk story number {number}</ns0:headline>
        <ns0:creditline>Reuters</ns0:creditline></ns0:contentMeta>
      <ns0:contentSet><ns0:inlineXML contenttype="application/xhtml+xml"><html:html><html:body>
        <html:p>Paragraph of story {number}.</html:p></html:body></html:html></ns0:inlineXML></ns0:contentSet>
    </ns0:newsItem>"""
        for number in range(count)
    )
    return f"""<?xml version='1.0' encoding='utf-8'?>
<ns0:newsMessage xmlns:ns0="http://iptc.org/std/nar/2006-10-01/" xmlns:html="http://www.w3.org/1999/xhtml">
  <ns0:header><ns0:sent>2026-11-20T09:00:00Z</ns0:sent></ns0:header>
  <ns0:itemSet>{items}</ns0:itemSet>
</ns0:newsMessage>""".encode()


# What is taken, and when. -------------------------------------------------------------------------


def test_a_file_is_taken_only_once_its_size_stands_still(agencies, tmp_path):
    """A file growing (or touched) between two polls waits; once unchanged over two polls, it is taken."""
    drop = DropFolder(tmp_path)
    story = tmp_path / "story.xml"
    story.write_bytes(FERRY[:100])
    assert drop.pending() == []  # first sight
    story.write_bytes(FERRY[:2000])
    assert drop.pending() == []  # still growing
    info = story.stat()
    os.utime(story, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
    assert drop.pending() == []  # rewritten in place, same size
    assert drop.pending() == [story]


def test_temporary_names_wait_until_renamed(agencies, tmp_path):
    """Hidden files and .tmp/.part uploads are ignored; renamed, they are taken."""
    for name in [".story.xml", "story.xml.part", "story.tmp"]:
        (tmp_path / name).write_bytes(FERRY)
    watch_once(tmp_path)
    assert not Article.objects.exists() and names(tmp_path / "done") == []
    (tmp_path / "story.xml.part").rename(tmp_path / "story.xml")
    watch_once(tmp_path)
    assert names(tmp_path / "done") == ["story.xml"] and Article.objects.count() == 1


def test_links_and_special_files_are_refused_unopened(agencies, tmp_path):
    """A symbolic link or a FIFO goes to failed/ as it is, with the reason on the wire desk; folders stay."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.xml").write_bytes(FERRY)
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "link.xml").symlink_to(outside / "secret.xml")
    (folder / "loop.xml").symlink_to(folder / "loop.xml")
    os.mkfifo(folder / "pipe.xml")  # opening it would block the watcher for good
    (folder / "agency-subfolder").mkdir()

    watch_once(folder)
    failed = folder / "failed"
    assert names(failed) == ["link.xml", "loop.xml", "pipe.xml"]
    assert (failed / "link.xml").is_symlink() and (outside / "secret.xml").read_bytes() == FERRY
    assert not Article.objects.exists()
    reasons = dict(WireItem.objects.values_list("filename", "error"))
    assert "symbolic link" in reasons["link.xml"] and "FIFO" in reasons["pipe.xml"]
    assert all(bytes(item.raw) == b"" for item in WireItem.objects.all())
    assert (folder / "agency-subfolder").is_dir()


# Poison files. ------------------------------------------------------------------------------------


def test_a_file_that_raises_is_set_aside_and_the_others_go_on(agencies, tmp_path, monkeypatch):
    """An unexpected error on one file moves it to failed/ with the reason; the files after it are ingested."""
    for number in range(3):
        (tmp_path / f"story-{number}.xml").write_bytes(ferry(number))
    real = dropfolder.receive

    def poison(data, **kwargs):
        if kwargs["filename"] == "story-1.xml":
            raise RuntimeError("a parser bug")
        return real(data, **kwargs)

    monkeypatch.setattr(dropfolder, "receive", poison)
    watch_once(tmp_path)
    assert names(tmp_path / "done") == ["story-0.xml", "story-2.xml"]
    assert names(tmp_path / "failed") == ["story-1.xml"] and names(tmp_path / "processing") == []
    kept = WireItem.objects.get(filename="story-1.xml")
    assert kept.outcome == "rejected" and "a parser bug" in kept.error and bytes(kept.raw) == ferry(1)


def test_a_file_that_kills_the_process_is_given_up_after_a_few_tries(agencies, tmp_path, monkeypatch):
    """Restarted after each death, the watcher tries MAX_ATTEMPTS times, then sets the file aside for good."""
    (tmp_path / "poison.xml").write_bytes(FERRY)
    calls = []

    def dies(data, **kwargs):
        calls.append(kwargs["filename"])
        raise ProcessDied

    monkeypatch.setattr(dropfolder, "receive", dies)
    drop = DropFolder(tmp_path)
    drop.pending()  # first sight
    for _restart in range(MAX_ATTEMPTS):
        with pytest.raises(ProcessDied):
            list(drop.process_pending())
        drop = DropFolder(tmp_path)  # the process restarted
    assert names(tmp_path / "processing") == ["poison.xml"]

    results = list(DropFolder(tmp_path).process_pending())
    assert len(calls) == MAX_ATTEMPTS
    assert names(tmp_path / "failed") == ["poison.xml"] and names(tmp_path / "processing") == []
    [(path, [item])] = results
    assert item.outcome == "rejected" and f"{MAX_ATTEMPTS} times" in item.error and bytes(item.raw) == FERRY
    assert not [p for p in (tmp_path / "processing").iterdir()]  # no state file left behind


def test_a_file_that_gets_further_each_time_is_not_given_up(agencies, tmp_path, monkeypatch):
    """Deaths count only while no story more is applied: a long file resumed across restarts keeps going."""
    (tmp_path / "long.xml").write_bytes(FERRY)

    def one_story_then_dies(data, **kwargs):
        WireItem.objects.create(raw=b"", checksum="x", source=kwargs["source"], outcome="duplicate")
        raise ProcessDied

    monkeypatch.setattr(dropfolder, "receive", one_story_then_dies)
    drop = DropFolder(tmp_path)
    drop.pending()
    for _restart in range(MAX_ATTEMPTS + 2):
        with pytest.raises(ProcessDied):
            list(drop.process_pending())
        drop = DropFolder(tmp_path)
    assert names(tmp_path / "processing") == ["long.xml"] and names(tmp_path / "failed") == []


# Resuming a file interrupted mid-way. -------------------------------------------------------------


def test_a_message_interrupted_mid_way_is_resumed_not_marked_done(agencies, tmp_path, monkeypatch):
    """Killed at the fourth of ten stories, then restarted: ten stories, each applied once, then done/."""
    (tmp_path / "message.xml").write_bytes(news_message(10))
    real, applied = ingest.apply_story, []

    def dies_at_the_fourth(item, story, **kwargs):
        if len(applied) == 3:
            raise ProcessDied
        applied.append(story.guid)
        return real(item, story, **kwargs)

    monkeypatch.setattr(ingest, "apply_story", dies_at_the_fourth)
    drop = DropFolder(tmp_path)
    drop.pending()
    with pytest.raises(ProcessDied):
        list(drop.process_pending())
    assert Article.objects.count() == 3 and names(tmp_path / "processing") == ["message.xml"]

    monkeypatch.setattr(ingest, "apply_story", real)
    [(path, items)] = list(DropFolder(tmp_path).process_pending())
    assert len(items) == 10 and names(tmp_path / "done") == ["message.xml"]
    assert Article.objects.count() == 10
    assert WireItem.objects.filter(outcome="created").count() == 10 and WireItem.objects.count() == 10


@pytest.mark.django_db(transaction=True)
def test_watcher_killed_during_a_1500_story_message_resumes_it(agencies, tmp_path):
    """SIGKILL mid-newsMessage, then a restart: 1,500 stories, none twice, and the file in done/ only at the end."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("needs a test database on disk")
    count = 1_500
    (tmp_path / "message.xml").write_bytes(news_message(count))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": database_url()}
    command = [sys.executable, "manage.py", "ingest_wire", "--watch", str(tmp_path), "--once", "--interval", "0"]

    worker = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline and Article.objects.count() < 100 and worker.poll() is None:
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)  # no clean-up, no chance to finish the file in hand
    worker.wait()
    applied = Article.objects.count()
    assert 0 < applied < count, "the run finished (or never started) before it could be killed"
    assert names(tmp_path / "processing") == ["message.xml"] and names(tmp_path / "done") == []

    rerun = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert names(tmp_path / "done") == ["message.xml"] and names(tmp_path / "processing") == []
    assert Article.objects.count() == count
    assert Article.objects.values("wire_guid").distinct().count() == count
    assert WireItem.objects.filter(outcome="created").count() == count
    assert WireItem.objects.count() == count  # the restart made items only for the stories still to do
