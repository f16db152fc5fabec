"""Matching both ways on a fixture with known best matches: the right opening first for a person and
the right person first for an opening, hard constraints that exclude, and the explanation's words."""

from __future__ import annotations

import datetime as dt

from yuanqu.core.models import User
from yuanqu.talent import matching, queries
from yuanqu.talent.models import Profile
from yuanqu.talent.tests.conftest import TODAY, TalentWorld


def _people(tw: TalentWorld) -> dict[str, User]:
    vision = tw.register("p1@example.com", "视觉甲")
    tw.profile(
        vision,
        education="bachelor",
        experience_years=5,
        skills_text="五年激光设备调试经验，熟悉PLC编程与机器视觉定位，做过运动控制",
        skill_tags=["PLC", "机器视觉", "运动控制"],
        salary_min=10000,
        salary_max=14000,
        park_codes=["PA"],
    )
    chip = tw.register("p2@example.com", "芯片乙")
    tw.profile(
        chip,
        education="master",
        experience_years=3,
        skills_text="数字验证、芯片设计，熟悉UVM",
        skill_tags=["芯片设计", "数字验证"],
        salary_min=20000,
        salary_max=30000,
    )
    junior = tw.register("p3@example.com", "学徒丙")
    tw.profile(
        junior,
        education="associate",
        experience_years=1,
        skills_text="会数控编程，了解PLC",
        skill_tags=["数控编程", "PLC"],
        salary_min=6000,
        salary_max=9000,
        park_codes=["PA"],
    )
    return {"vision": vision, "chip": chip, "junior": junior}


def test_it_ranks_the_vision_engineer_first_for_the_vision_opening(tw: TalentWorld) -> None:
    people = _people(tw)
    opening = tw.opening(
        title="机器视觉工程师",
        skills_text="负责激光加工设备的机器视觉定位与PLC程序，熟悉运动控制优先",
        skill_tags=["机器视觉", "PLC"],
        education="associate",
        experience_years=3,
    )
    ranked = queries.candidates_for(opening)
    assert [item.profile.user for item in ranked if item.profile] == [people["vision"], people["junior"]]
    best = ranked[0].match
    assert best.score > ranked[1].match.score
    assert best.explanation.startswith("技能匹配：PLC、机器视觉、运动控制；学历满足；工作地点在意向园区；薪资区间重叠")


def test_it_ranks_the_chip_opening_first_for_the_chip_designer(tw: TalentWorld) -> None:
    people = _people(tw)
    tw.opening(title="激光工艺员", skills_text="激光加工工艺", skill_tags=["激光加工工艺"], salary_max=25000)
    chip = tw.opening(
        title="数字验证工程师",
        chain="integrated_circuit",
        skills_text="芯片数字验证，熟悉UVM",
        skill_tags=["数字验证"],
        education="bachelor",
        salary_min=18000,
        salary_max=35000,
    )
    profile = Profile.objects.get(user=people["chip"])
    ranked = queries.openings_for(profile, on=TODAY)
    assert ranked[0].opening == chip
    assert "技能匹配：数字验证" in ranked[0].match.explanation


def test_it_excludes_a_person_below_the_education_asked(tw: TalentWorld) -> None:
    people = _people(tw)
    opening = tw.opening(title="视觉算法", skill_tags=["机器视觉"], education="bachelor")
    found = [item.profile.user for item in queries.candidates_for(opening) if item.profile]
    assert people["junior"] not in found
    verdict = matching.match(
        queries.opening_facts(opening),
        queries.profile_facts(Profile.objects.get(user=people["junior"])),
        queries.segmenter(),
    )
    assert not verdict.passed
    assert "学历不满足（要求本科及以上）" in verdict.reasons


def test_it_excludes_other_parks_unless_the_opening_is_migratory(tw: TalentWorld) -> None:
    people = _people(tw)
    elsewhere = tw.opening(title="视觉工程师", skill_tags=["机器视觉"], park="PC")
    assert people["vision"] not in [i.profile.user for i in queries.candidates_for(elsewhere) if i.profile]
    remote = tw.opening(title="视觉顾问", skill_tags=["机器视觉"], park="PC", migratory=True)
    found = {i.profile.user: i.match for i in queries.candidates_for(remote) if i.profile}
    assert "候鸟式岗位，不限地点" in found[people["vision"]].reasons


def test_it_excludes_salary_bands_that_do_not_overlap(tw: TalentWorld) -> None:
    people = _people(tw)
    cheap = tw.opening(title="视觉助理", skill_tags=["机器视觉"], salary_min=4000, salary_max=5000)
    assert people["vision"] not in [i.profile.user for i in queries.candidates_for(cheap) if i.profile]


def test_it_hides_people_who_show_their_profile_to_nobody(tw: TalentWorld) -> None:
    people = _people(tw)
    tw.profile(people["vision"], name="视觉甲", visibility="nobody", skill_tags=["机器视觉"])  # type: ignore[arg-type]
    opening = tw.opening(title="视觉", skill_tags=["机器视觉"])
    assert people["vision"] not in [i.profile.user for i in queries.candidates_for(opening) if i.profile]


def test_it_segments_with_the_domain_dictionary() -> None:
    cutter = matching.Segmenter(matching.domain_words(["激光加工与增材制造装备"], ["机器视觉", "PLC"]))
    words = cutter.cut("熟悉机器视觉与PLC，做过激光加工")
    assert {"机器视觉", "plc", "激光加工"} <= words
    assert "熟悉" not in words


def test_an_expired_opening_is_not_offered(tw: TalentWorld) -> None:
    people = _people(tw)
    old = tw.opening(
        title="机器视觉",
        skill_tags=["机器视觉"],
        valid_from=TODAY - dt.timedelta(days=60),
        valid_to=TODAY - dt.timedelta(days=1),
    )
    profile = Profile.objects.get(user=people["vision"])
    assert old not in [item.opening for item in queries.openings_for(profile, on=TODAY)]
