"""Named personas shared by the tests of every app (org's people: departments, staff, posts).

- alice: window clerk of 教务处, holder (A) of post jwc-status
- bob: alice's backup (B1) in 教务处
- carol: head of 教务处
- dave: window clerk of 学生处, who must see nothing of 教务处
- olga: hall office supervisor (sees every department)
- rita: reviewer (second check in every department)
- make_second_hall(hall): the east campus's hall (东校区), where 教务处 also has a window:
  erin, its 教务处 clerk, and oscar, its hall office, who must see nothing of the default
  hall (alice's, olga's), as olga must see nothing of theirs; and sam, the university's
  supervising office, who sees both halls
- make_evaluators(hall): eve, a teacher representative on the appraisal panel (no department),
  and evan, one who teaches in 教务处; both must see no case, complaint, rating or inquiry
"""

from dataclasses import dataclass

PASSWORD = "test-pass-123"


@dataclass
class Hall:
    jwc: object
    xsc: object
    window: object
    post: object
    alice: object
    bob: object
    carol: object
    dave: object
    olga: object
    rita: object


def make_staff(username, department, *roles, full_name="", **extra):
    from yichuang.org.models import RoleGrant, Staff

    staff = Staff.objects.create_user(
        username=username,
        password=PASSWORD,
        department=department,
        full_name=full_name or username,
        **extra,
    )
    for role in roles:
        RoleGrant.objects.create(staff=staff, role=role)
    return staff


def make_hall() -> Hall:
    from yichuang.org.models import Department, Post, PostBackup, Window

    jwc = Department.objects.create(code="jwc", name="教务处", short_name="教务", sort_order=1)
    xsc = Department.objects.create(code="xsc", name="学生处", short_name="学工", sort_order=2)
    alice = make_staff("alice", jwc, "window_staff", full_name="王晓燕")
    bob = make_staff("bob", jwc, "window_staff", full_name="刘洋")
    carol = make_staff("carol", jwc, "department_head", full_name="张卫国")
    dave = make_staff("dave", xsc, "window_staff", full_name="陈思远")
    olga = make_staff("olga", None, "hall_office", full_name="李敏")
    rita = make_staff("rita", None, "reviewer", full_name="赵蕾")
    window = Window.objects.create(number="1", name="学籍成绩", department=jwc)
    post = Post.objects.create(
        code="jwc-status",
        name="学籍管理岗",
        department=jwc,
        window=window,
        holder=alice,
        duties="学籍异动、在读证明",
        commitment="即到即办，限时办结",
    )
    PostBackup.objects.create(post=post, staff=bob, position=1)
    return Hall(
        jwc=jwc,
        xsc=xsc,
        window=window,
        post=post,
        alice=alice,
        bob=bob,
        carol=carol,
        dave=dave,
        olga=olga,
        rita=rita,
    )


def make_evaluators(hall):
    """(eve, evan): panel evaluators, one outside any department and one in 教务处."""
    return (
        make_staff("eve", None, "evaluator", full_name="钱学文"),
        make_staff("evan", hall.jwc, "evaluator", full_name="孙立群"),
    )


@dataclass
class SecondHall:
    hall: object
    window: object
    post: object
    erin: object
    oscar: object
    sam: object


def make_second_hall(hall) -> SecondHall:
    """The east campus (东校区): 教务处 present there too, with window E1 and its post."""
    from yichuang.org.models import Hall as HallModel
    from yichuang.org.models import Post, Window

    east = HallModel.objects.create(
        code="east",
        name="东校区服务大厅",
        address="东校区行政楼一层",
        region_code="440106000000",
        latitude="23.100000",
        longitude="113.400000",
        sort_order=2,
    )
    hall.jwc.halls.add(HallModel.objects.default(), east)
    erin = make_staff("erin", hall.jwc, "window_staff", full_name="周静")
    oscar = make_staff("oscar", None, "hall_office", full_name="吴刚")
    sam = make_staff("sam", None, "supervising_office", full_name="郑华")
    erin.halls.set([east])
    oscar.halls.set([east])
    window = Window.objects.create(number="E1", name="东区教务", department=hall.jwc, hall=east)
    post = Post.objects.create(
        code="jwc-east",
        name="东区教务岗",
        department=hall.jwc,
        window=window,
        hall=east,
        holder=erin,
    )
    return SecondHall(hall=east, window=window, post=post, erin=erin, oscar=oscar, sam=sam)
