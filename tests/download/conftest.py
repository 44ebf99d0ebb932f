import httpx
import pytest

from tests.download.case import Case
from tests.faultserver import FaultServer


@pytest.fixture
def server():
    with FaultServer() as running:
        yield running


@pytest.fixture
def client():
    with httpx.Client() as c:
        yield c


@pytest.fixture
def case(server, tmp_path):
    return Case.serve(server, tmp_path)
