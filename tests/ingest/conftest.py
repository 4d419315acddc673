from tests.conftest import PROJECT_DIR

WIRE = PROJECT_DIR / "tests" / "fixtures" / "wire"


def read(relative):
    return (WIRE / relative).read_bytes()
