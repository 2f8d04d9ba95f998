"""Demo data of the campaigns app, set-based: called by ``manage.py generate_demo`` after the registry step."""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from credit_portal.workdays import services as workdays
from registry.choices import SubjectCategory
from registry.models import Department, Subject, User

from . import services
from .choices import (
    KEY_DATE_SPANS,
    ComplaintKind,
    ComplaintStatus,
    KeyDate,
    PublicationStatus,
    RoleModelKind,
    TalkOutcome,
    TaskStatus,
    Venue,
)
from .models import (
    ActionDepartment,
    ActionReport,
    Campaign,
    CampaignActivity,
    CampaignPost,
    Complaint,
    CreditTalk,
    LedgerTask,
    RoleModel,
    StarMerchant,
    TaskDepartment,
    TaskReport,
)
from .sanitize import sanitise_html

THEMES = {
    KeyDate.LEI_FENG_DAY: ("学雷锋 讲诚信", "志愿服务进社区，倡导诚实守信"),
    KeyDate.CONSUMER_RIGHTS_DAY: ("诚信经营 放心消费", "消费维权咨询、诚信经营承诺签名"),
    KeyDate.IP_WEEK: ("尊重知识产权 守护创新诚信", "知识产权保护进企业宣讲"),
    KeyDate.WORK_SAFETY_MONTH: ("人人讲安全 个个会应急", "安全生产诚信承诺与警示教育"),
    KeyDate.CREDIT_RECORD_DAY: ("珍爱信用记录 享受幸福人生", "信用知识进校园、进社区宣讲"),
    KeyDate.HONEST_BUSINESS_MONTH: ("诚信兴商 共建共享", "诚信经营承诺示范店评选与授牌"),
    KeyDate.QUALITY_MONTH: ("质量第一 诚信为本", "产品质量诚信宣传与抽检结果公示"),
    KeyDate.CONSTITUTION_DAY: ("弘扬宪法精神 建设诚信社会", "宪法宣传与诚信法治讲座"),
}
ROLE_MODELS = [
    (RoleModelKind.PERSON, "王彩荣", "全国“诚信之星”", "中央宣传部、国家发展改革委"),
    (RoleModelKind.PERSON, "邢志强", "“十大诚信人物”", "区文明委"),
    (RoleModelKind.PERSON, "王向前", "星级文明诚信示范商户经营者", "区文明办、区市场监管局"),
    (RoleModelKind.GROUP, "“红石榴”宣讲团", "诚信宣讲先进集体", "区文明办"),
    (RoleModelKind.GROUP, "红色网格员志愿服务队", "诚信建设志愿服务先进集体", "区文明办"),
]
ACTIVITY_TITLES = ["诚信主题宣讲", "发放诚信建设倡导信", "诚信经营承诺签名", "信用知识有奖问答", "道德讲堂"]


def _span(key: str, year: int) -> tuple[datetime.date, datetime.date]:
    m1, d1, m2, d2 = KEY_DATE_SPANS[key]
    return datetime.date(year, m1, d1), datetime.date(year, m2, d2)


@transaction.atomic
def generate(*, rng: random.Random, today: datetime.date, stdout: TextIO, scale: int) -> None:
    """Campaigns for two years of key dates, action reports, ledger progress, role models, merchants, complaints."""
    linked = services.link_seed_departments(create_missing=True)
    stdout.write(f"campaigns: {linked} seed links to departments")
    if Campaign.objects.exists():
        stdout.write("campaigns: demo campaigns already exist, nothing more to add")
        return
    departments = list(Department.objects.order_by("pk"))
    office = Department.objects.filter(kind="credit_office").first() or departments[0]
    reviewer = User.objects.filter(groups__name="信用办审核员").first()
    clerks = {user.department_id: user for user in User.objects.filter(department__isnull=False).order_by("pk")}
    now = timezone.now()

    # Publicity campaigns: every key date of last year and this year; past and current ones are published.
    campaigns = []
    for year in (today.year - 1, today.year):
        for key, (theme, summary) in THEMES.items():
            start, end = _span(key, year)
            if start > today + datetime.timedelta(days=60):
                continue
            organiser = rng.choice(departments)
            campaigns.append(
                Campaign(
                    title=f"{year}年“{KeyDate(key).label}”诚信主题宣传活动",
                    theme=theme,
                    key_date=key,
                    start_date=start,
                    end_date=max(end, start + datetime.timedelta(days=6)),
                    organiser=organiser,
                    venues=rng.sample(Venue.values, k=rng.randint(2, 5)),
                    channels="宣传栏、电子屏、公众号、政务微博",
                    summary=summary,
                    status=PublicationStatus.PUBLISHED if start <= today else PublicationStatus.DRAFT,
                    published_at=now if start <= today else None,
                    created_by=reviewer,
                )
            )
    # One campaign running today, so the public page has a current one whatever the date.
    campaigns.append(
        Campaign(
            title="“信用消费进万家”诚信主题宣传活动",
            theme="守信消费 共享美好生活",
            key_date=KeyDate.OTHER,
            start_date=today - datetime.timedelta(days=10),
            end_date=today + datetime.timedelta(days=20),
            organiser=office,
            venues=[Venue.COMMUNITIES, Venue.FAMILIES, Venue.ENTERPRISES],
            channels="社区宣传栏、公众号",
            summary="在商圈和社区宣传信用消费知识，发布诚信经营承诺商户名单。",
            status=PublicationStatus.PUBLISHED,
            published_at=now,
            created_by=reviewer,
        )
    )
    campaigns = Campaign.objects.bulk_create(campaigns)
    through = Campaign.participating_departments.through
    through.objects.bulk_create(
        [
            through(campaign_id=c.pk, department_id=d.pk)
            for c in campaigns
            for d in rng.sample(departments, k=min(3, len(departments)))
            if d.pk != c.organiser_id
        ],
        ignore_conflicts=True,
    )
    CampaignPost.objects.bulk_create(
        [
            CampaignPost(
                campaign=c,
                title=f"{c.theme}——活动现场",
                body=sanitise_html(
                    f"<p>{c.start_date:%m月%d日}，{c.organiser.name}在辖区开展“{c.theme}”主题宣传活动。</p>"
                    "<ul><li>发放宣传资料</li><li>现场解答群众咨询</li></ul>"
                ),
                posted_on=c.start_date,
            )
            for c in campaigns
            if c.status == PublicationStatus.PUBLISHED
        ]
    )
    CampaignActivity.objects.bulk_create(
        [
            CampaignActivity(
                campaign=c,
                department=rng.choice(departments),
                held_on=c.start_date + datetime.timedelta(days=rng.randint(0, 5)),
                venue=rng.choice(c.venues),
                title=rng.choice(ACTIVITY_TITLES),
                participants=rng.randint(20, 400),
            )
            for c in campaigns
            if c.status == PublicationStatus.PUBLISHED
            for _ in range(rng.randint(1, 4))
        ]
    )

    # Monthly progress reports on the special actions: the last three months, most units on time.
    assignments = list(ActionDepartment.objects.values_list("action_id", "department_id"))
    month = today.replace(day=1)
    reports = []
    for back in range(1, 4):
        period = month
        for _ in range(back):
            period = services.previous_month(period)
        for action_id, department_id in assignments:
            if rng.random() < 0.85:
                reports.append(
                    ActionReport(
                        action_id=action_id,
                        department_id=department_id,
                        period=period,
                        text="本月开展专项检查，发现问题已督促整改，典型案例已上报。",
                        figures={"检查次数": rng.randint(1, 30), "发现问题": rng.randint(0, 8)},
                        submitted_by=clerks.get(department_id),
                    )
                )
    ActionReport.objects.bulk_create(reports, ignore_conflicts=True)

    # The ledger: a few tasks get dated deadlines (some already past), others progress.
    tasks = list(LedgerTask.objects.order_by("number"))
    for task in tasks:
        task.status = rng.choice(
            [TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED]
        )
        if task.number % 5 == 0:
            task.is_long_term = False
            task.deadline_date = today + datetime.timedelta(days=rng.randint(-90, 120))
        task.completed_on = (
            today - datetime.timedelta(days=rng.randint(1, 60)) if task.status == TaskStatus.COMPLETED else None
        )
    LedgerTask.objects.bulk_update(tasks, ["status", "is_long_term", "deadline_date", "completed_on"])
    TaskReport.objects.bulk_create(
        [
            TaskReport(
                task_id=task_id,
                department_id=department_id,
                text="已制定工作方案，按月推进。",
                status=TaskStatus.IN_PROGRESS,
                reported_by=clerks.get(department_id),
            )
            for task_id, department_id in TaskDepartment.objects.values_list("task_id", "department_id")
            if rng.random() < 0.6
        ]
    )
    services.flag_overdue_tasks(today=today)

    # Role models, star-rated merchants (individual businesses of the registry where there are some).
    merchants = list(
        Subject.objects.filter(category=SubjectCategory.INDIVIDUAL_BUSINESS).values_list("pk", "name")[
            : max(20, min(scale // 50, 300))
        ]
    )
    enterprises = list(Subject.objects.filter(category=SubjectCategory.LEGAL_ENTITY).values_list("pk", "name")[:15])
    role_models = [
        RoleModel(
            kind=kind,
            name=name,
            honour=honour,
            awarding_body=body,
            awarded_on=today - datetime.timedelta(days=rng.randint(30, 700)),
            story="多年来坚持诚信经营、诚实做人，事迹在全区广泛宣传。",
            is_published=True,
        )
        for kind, name, honour, body in ROLE_MODELS
    ]
    role_models += [
        RoleModel(
            kind=RoleModelKind.ENTERPRISE,
            name=name,
            subject_id=pk,
            honour="诚信示范企业",
            awarding_body="区文明委",
            awarded_on=today - datetime.timedelta(days=rng.randint(30, 700)),
            is_published=True,
        )
        for pk, name in enterprises
    ]
    RoleModel.objects.bulk_create(role_models)
    StarMerchant.objects.bulk_create(
        [
            StarMerchant(
                name=name,
                subject_id=pk,
                trade=rng.choice(["水产", "餐饮", "超市", "五金", "服装", "药店"]),
                address=f"西青区{rng.choice(['杨柳青镇', '中北镇', '张家窝镇', '西营门街'])}{rng.randint(1, 300)}号",
                stars=rng.choice([3, 4, 4, 5, 5]),
                review_year=today.year - rng.randint(0, 1),
                awarding_body="区文明办、区市场监管局",
            )
            for pk, name in merchants
        ],
        ignore_conflicts=True,
    )

    # Complaints in every status; deadlines through the working-day calendar.
    policy_days = services.complaint_policy(today).handling_working_days
    complaints = []
    for n in range(max(30, min(scale // 100, 400))):
        filed = today - datetime.timedelta(days=rng.randint(0, 90))
        status = rng.choice(list(ComplaintStatus.values) + [ComplaintStatus.ANSWERED] * 2)
        department = (
            rng.choice(departments) if status in (ComplaintStatus.ASSIGNED, ComplaintStatus.ANSWERED) else None
        )
        due = workdays.add_working_days(filed, policy_days) if department else None
        complaint = Complaint(
            tracking_number=services.new_tracking_number(filed),
            kind=rng.choice(ComplaintKind.values),
            accused_name=rng.choice(merchants + enterprises)[1] if (merchants or enterprises) else "某商户",
            facts="预收费用后不履行约定，多次协商未果。",
            is_anonymous=n % 4 == 0,
            contact_name="" if n % 4 == 0 else "张女士",
            contact_phone=f"139{rng.randint(10000000, 99999999)}",
            status=status,
            department=department,
            assigned_at=now - datetime.timedelta(days=(today - filed).days) if department else None,
            assigned_by=reviewer if department else None,
            due_date=due.date if due else None,
            is_due_date_provisional=due.provisional if due else False,
        )
        if status == ComplaintStatus.ANSWERED:
            complaint.answer = "经核查，已责令其退还费用并纳入重点监管。"
            complaint.answered_at = now
        elif status == ComplaintStatus.REJECTED:
            complaint.answer = "不属于诚信建设投诉受理范围，已告知投诉人向有关部门反映。"
            complaint.answered_at = now
        complaints.append(complaint)
    Complaint.objects.bulk_create(complaints)
    services.flag_overdue_complaints(today=today)

    # Credit talks with a few enterprises; the rectification deadline follows the talk.
    talks = []
    for pk, _name in enterprises[:8]:
        held_on = today - datetime.timedelta(days=rng.randint(10, 120))
        talks.append(
            CreditTalk(
                department=office,
                subject_id=pk,
                held_on=held_on,
                attendee="法定代表人",
                reason="列入经营异常名录后仍未按期履行公示义务。",
                rectification="30 日内补报年度报告并申请移出经营异常名录。",
                rectification_deadline=held_on + datetime.timedelta(days=rng.randint(15, 60)),
                outcome=rng.choice(TalkOutcome.values),
            )
        )
    CreditTalk.objects.bulk_create(talks)
    stdout.write(
        f"campaigns: {len(campaigns)} campaigns, {len(reports)} action reports, {len(role_models)} role models, "
        f"{len(merchants)} merchants, {len(complaints)} complaints"
    )
