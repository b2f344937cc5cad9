import secrets
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from yichuang.org import services as org
from yichuang.org.models import Department, Staff

from ... import org_data
from ...halls_data import create_posts


class Command(BaseCommand):
    help = "在空数据库中生成演示服务大厅（部门、窗口、岗位与 AB 岗、人员、服务事项、工作日历与部分历史）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="所有演示账号的同一密码；不给出时为每个账号生成随机密码并只显示这一次",
        )
        parser.add_argument(
            "--no-history", action="store_true", help="不生成历史办件（压测等场合）"
        )

    def handle(self, *args, password=None, no_history=False, **options):
        if password is not None:
            try:
                validate_password(password)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        if Department.objects.exists() or Staff.objects.exists():
            self.stdout.write(
                "数据库中已有数据，未做任何更改。/ The database already has data; nothing was changed."
            )
            self._print_accounts(passwords=None)
            return
        # One password for all when given; else a random one per account, shown only now.
        usernames = [row[0] for row in org_data.STAFF] + [row[0] for row in org_data.HALL_STAFF]
        passwords: dict[str, str] = {
            str(username): password or generated_password() for username in usernames
        }
        with transaction.atomic():
            self._seed(passwords)
        from ...campaigns_data import seed_campaigns
        from ...halls_data import seed_halls
        from ...more_data import seed_more
        from ...queue_data import seed_queue

        office = Staff.objects.get(username="office1")
        seed_more(office=office)
        seed_queue(by=office)
        with transaction.atomic():
            seed_halls(passwords)
        ballot_codes = seed_campaigns(by=office)["ballot_codes"]
        if not no_history:
            from ...history import seed_history

            self.stdout.write("正在生成近几个月的办件历史… / Replaying recent months of cases…")
            created = seed_history()
            self.stdout.write(f"  {created} 件 / cases")
        self.stdout.write(self.style.SUCCESS("演示大厅已生成。/ Demo hall created."))
        self._print_accounts(passwords=passwords, shared=password)
        if ballot_codes:
            self.stdout.write(
                "服务之星选票码（学生代表，凭码在 /campaigns/vote/ 投票）/ star-staff ballot codes:"
            )
            for who, code in ballot_codes:
                self.stdout.write(f"  {who}: {code}")

    def _seed(self, passwords):
        from yichuang.demo.bundles_data import seed_bundles
        from yichuang.demo.catalog_data import seed_services

        # The migrations made the default hall; a database emptied by hand (`flush`) has none.
        org.ensure_default_hall(by=None)
        depts: dict[str, Department] = {}
        for code, name, short, location, phone, hours in org_data.DEPARTMENTS:
            depts[code] = org.create_department(
                code=code,
                name=name,
                short_name=short,
                location=location,
                phone=phone,
                hours=hours,
                complaint_phone="0731-8882 1000",
                sort_order=len(depts) + 1,
                by=None,
            )
        windows = {
            number: org.create_window(
                number=number,
                name=name,
                department=depts[dept],
                sort_order=int(number),
                location=f"行政楼一楼 {number} 号窗口",
                by=None,
            )
            for number, name, dept in org_data.WINDOWS
        }
        staff = {}
        for username, full_name, dept, roles, title, phone in org_data.STAFF:
            staff[username] = org.create_staff(
                username=username,
                password=passwords[username],
                full_name=full_name,
                department=depts[dept] if dept else None,
                roles=roles,
                title=title,
                phone=phone,
                office="行政楼一楼 师生服务大厅" if dept else "行政楼二楼 大厅管理办公室",
                by=None,
            )
        create_posts(
            org_data.POSTS, depts=depts, windows=windows, staff=staff, sort_from=1, by=None
        )
        seed_services(by=None)
        seed_bundles(by=None)
        now = timezone.now()
        # A believable morning: someone at training (their backup covers), someone on a trip,
        # and one post that nobody covers so supervisors see the warning.
        org.set_presence(
            staff["jwc_chenjing"],
            status="training",
            until=now + timedelta(days=1),
            note="教务系统培训",
            by=staff["head1"],
        )
        org.set_presence(
            staff["rsc_wufang"],
            status="business_trip",
            until=now + timedelta(days=2),
            note="赴省人社厅办事",
            by=staff["rsc_wufang"],
        )
        org.set_presence(
            staff["hqc_maqing"],
            status="leave",
            until=now + timedelta(days=1),
            note="病假",
            by=staff["hqc_head"],
        )
        org.set_presence(
            staff["hqc_gaofeng"],
            status="meeting",
            until=now + timedelta(hours=2),
            note="校区安全例会",
            by=staff["hqc_gaofeng"],
        )

    def _print_accounts(self, passwords, shared=None):
        self.stdout.write("")
        if shared:
            note = f"（密码 / password: {shared}）"
        elif passwords:
            note = (
                "（每个账号的随机密码只显示这一次，请记下 / each account's random password is "
                "shown only this once: note it）"
            )
        else:
            note = "（密码为首次生成时设定的密码 / password as set when first seeded）"
        self.stdout.write("演示账号 / Demo accounts" + note)
        everyone = [*org_data.STAFF, *(row[:6] for row in org_data.HALL_STAFF)]
        for username, full_name, dept, roles, title, _phone in everyone:
            dept_name = next((d[1] for d in org_data.DEPARTMENTS if d[0] == dept), "大厅")
            line = f"  {username:<16} {full_name}  {dept_name} · {title}  [{', '.join(roles)}]"
            if passwords and not shared:
                line += f"  密码 / password: {passwords[username]}"
            self.stdout.write(line)
        self.stdout.write("")


def generated_password() -> str:
    """14 characters from an alphabet without look-alikes (0/O, 1/l/I): easy to type once."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _i in range(14))
