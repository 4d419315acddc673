import pytest

from articles.models import WireMapping, WireService
from tests.conftest import PROJECT_DIR

WIRE = PROJECT_DIR / "tests" / "fixtures" / "wire"


@pytest.fixture
def agencies(db):
    """The agencies our samples come from, and the mappings a desk would set up for them."""
    made = {}
    for name, credit, slug in [
        ("The Associated Press", "AP", "ap"),
        ("Reuters", "Reuters", "reuters"),
        ("Kyodo News", "Kyodo", "kyodo"),
        ("Deutsche Presse-Agentur", "dpa", "dpa"),
        ("TT Nyhetsbyrån", "TT", "tt"),
        ("Getty Images", "Getty Images", "getty"),
        ("Press Association", "PA", "pa"),
    ]:
        made[slug] = WireService.objects.create(name=name, credit=credit, slug=slug)
    WireMapping.objects.create(kind="agency", code="nprov:REUTERS", wire_service=made["reuters"])
    WireMapping.objects.create(kind="agency", code="共同通信", wire_service=made["kyodo"])
    for code, tag in [
        ("medtop:20000523", "labour market"),
        ("subj:04015000", "Transport"),
        ("ferries", "Ferries"),
        ("Gotland", "Gotland"),
        ("16000000", "Conflict"),
    ]:
        WireMapping.objects.create(kind="subject", code=code, tag=tag)
    made["kyodo"].boilerplate = (
        "In a time of both misinformation and too much information, quality journalism is more crucial than ever.\n"
        "By subscribing, you can help us get the story right."
    )
    made["kyodo"].save()
    return made


def read(relative):
    return (WIRE / relative).read_bytes()
