"""The support meter (draagvlak): its formula with worked numbers and its course over time."""

import datetime

from django.urls import reverse
from django.utils import timezone

from kvu import guide
from partners.guide import support_score
from partners.models import KvuRole, StageChange
from tests.guide_builders import K, partner

R = KvuRole


def test_formula_with_worked_numbers():
    """Weighted mean of stage values, with weights core 3, recommended 2, optional 1.

    police (core, committed 75)            3 * 75  = 225
    bar (core, interested 50)              3 * 50  = 150
    association (recommended, signed 100)  2 * 100 = 200
    residents (optional, approached 25)    1 * 25  =  25
    fire service (recommended, declined 0) 2 * 0   =   0
    weights 3 + 3 + 2 + 1 + 2 = 11; total 600; 600 / 11 = 54.5, rounded 55
    """
    pairs = [
        (R.CORE, "committed"),
        (R.CORE, "interested"),
        (R.RECOMMENDED, "signed"),
        (R.OPTIONAL, "approached"),
        (R.RECOMMENDED, "declined"),
    ]
    assert support_score(pairs) == 55


def test_core_partners_count_most():
    assert support_score([(R.CORE, "signed"), (R.OPTIONAL, "not_approached")]) == 75
    assert support_score([(R.OPTIONAL, "signed"), (R.CORE, "not_approached")]) == 25


def test_no_partners_gives_no_figure(project):
    assert support_score([]) is None
    assert guide.support([project])[project.pk].score is None


def test_meter_of_a_project(project):
    partner(project, K.POLICE, "committed")
    partner(project, K.HOSPITALITY, "interested")
    partner(project, K.HOSPITALITY_ASSOCIATION, "signed")
    partner(project, K.RESIDENTS, "approached")
    result = guide.support([project])[project.pk]
    assert result.score == round(600 / 9)  # 66.7 → 67
    assert result.partners == 4


def test_course_is_rebuilt_from_the_stage_changes(project):
    police = partner(project, K.POLICE, "committed")
    long_ago = timezone.now() - datetime.timedelta(days=60)
    type(police).objects.filter(pk=police.pk).update(created_at=long_ago)
    change = StageChange.objects.create(
        participation=police, from_stage="not_approached", to_stage="committed"
    )
    StageChange.objects.filter(pk=change.pk).update(
        changed_at=timezone.now() - datetime.timedelta(days=30)
    )
    course = guide.course(project)
    assert course[0][1] == 0  # not approached at the start
    assert course[-1][1] == 75  # committed now
    assert [score for _day, score in course] == sorted(score for _day, score in course)


def test_guide_page_explains_the_formula_and_shows_the_course_as_table(client_for, project, leader):
    partner(project, K.POLICE, "committed")
    page = client_for(leader).get(reverse("guide", args=[project.pk])).text
    assert "<svg" in page
    assert 'role="img"' in page
    assert "<caption>" in page
    assert "gewogen gemiddelde" in page or "weighted mean" in page


def test_page_shows_the_worked_calculation_of_this_project(client_for, project, leader):
    partner(project, K.POLICE, "committed")  # 1 * 3 * 75 = 225
    partner(project, K.RESIDENTS, "approached")  # 1 * 1 * 25 = 25
    result = guide.support([project])[project.pk]
    assert (result.total_points, result.total_weight, result.score) == (250, 4, 63)
    page = client_for(leader).get(reverse("guide", args=[project.pk])).text
    assert "250" in page
    assert "= 63" in page
