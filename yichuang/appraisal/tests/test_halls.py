"""The halls side by side: the supervising office sees every hall's row, a hall office its
own, a clerk nothing; a hall office's figures are its own halls'."""

import re

import pytest

from yichuang.appointments import services as queue
from yichuang.appointments.tests.factories import at, make_group
from yichuang.appraisal.periods import preset_period
from yichuang.appraisal.permissions import scope_for
from yichuang.appraisal.queries import figures
from yichuang.org.models import Hall
from yichuang.org.testing import make_second_hall

pytestmark = pytest.mark.django_db


@pytest.fixture
def east(hall):
    east = make_second_hall(hall)
    group = make_group(hall, code="dq", name="东区教务", prefix="E", windows=[east.window])
    group.hall = east.hall
    group.save(update_fields=["hall"])
    with at(2026, 3, 2, 9):
        queue.issue_ticket(group=group)
        queue.issue_ticket(group=group)
    return east


def rows(html: str) -> list[str]:
    return re.findall(r'<th scope="row">([^<]+)</th>', html)


def test_it_validates_ownership(hall, east, client_for):
    with at(2026, 3, 2, 10):
        sam = client_for(east.sam).get("/appraisal/halls/?preset=today").content.decode()
        olga = client_for(hall.olga).get("/appraisal/halls/?preset=today").content.decode()
        oscar = client_for(east.oscar).get("/appraisal/halls/?preset=today").content.decode()
        assert client_for(hall.alice).get("/appraisal/halls/").status_code == 403
    default = Hall.objects.default().name
    assert set(rows(sam)) == {default, "东校区服务大厅"}
    assert rows(olga) == [default]
    assert rows(oscar) == ["东校区服务大厅"]
    # The east's two tickets, waiting, are on its row.
    east_row = sam[sam.index("东校区服务大厅") :].split("</tr>")[0]
    assert re.findall(r'<td class="num">(\d+)</td>', east_row)[-2:] == ["2", "2"]


def test_a_hall_office_reads_the_figures_of_its_own_hall(hall, east):
    from yichuang.cases.tests.factories import make_service

    make_service(hall)
    period = preset_period("month")
    assert scope_for(hall.olga).halls_of == hall.olga
    assert scope_for(east.sam).halls_of is None
    assert scope_for(hall.rita).halls_of is None
    # Figures grouped per hall name only the halls in scope.
    assert set(figures(period, scope=scope_for(east.oscar), group_by="site").labels) == {
        east.hall.pk
    }
