import pytest
from tests.courses import builders
from courses.services.enrolment import enrol_learner

pytestmark = pytest.mark.django_db


def test_scratch(client, learner, partner_admin):
    c = builders.course(title="Alpha course", lessons=1, questions=7)
    enrol_learner(user=learner, course=c)
    client.force_login(partner_admin)
    r = client.get("/partner/parsian/assign/")
    open("/tmp/scratch/assign.html", "w").write(r.text)
    r = client.get("/partner/parsian/")
    open("/tmp/scratch/team.html", "w").write(r.text)
    r = client.get("/partner/parsian/progress.csv")
    print(r.status_code, r.headers, r.content)
