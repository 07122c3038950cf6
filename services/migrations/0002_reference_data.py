"""The reference data of "55819": 5 centres, 8 departments (司法, 规划, 民政 named by the source, the other five our
choice, docs/decisions.md), 3 categories and 19 service items. Editable in the admin; the centres' general branches
are set there (or by the demo), since the tree does not exist when the migration runs."""

from django.db import migrations

CENTRES = [(f"centre-{n}", n, f"第{zh}服务中心", f"Service centre {n}") for n, zh in enumerate("一二三四五", start=1)]
DEPARTMENTS = [
    ("sifa", "司法", "Justice"),
    ("guihua", "规划", "Planning"),
    ("minzheng", "民政", "Civil affairs"),
    ("renshe", "人力社保", "Human resources and social security"),
    ("nongye", "农业农村", "Agriculture and rural affairs"),
    ("weijian", "卫生健康", "Health"),
    ("zhujian", "住房城乡建设", "Housing and construction"),
    ("shijian", "市场监管", "Market regulation"),
]
CATEGORIES = [("consult", "咨询", "Consultation"), ("training", "培训技能", "Skills training"), ("service", "服务", "Services")]
ITEMS = [
    ("legal-advice", "法律咨询", "Legal advice", "consult", "sifa"),
    ("mediation", "人民调解", "Dispute mediation", "service", "sifa"),
    ("legal-aid", "法律援助申请", "Legal aid applications", "service", "sifa"),
    ("planning-advice", "宅基地和建房规划咨询", "Homestead and building planning advice", "consult", "guihua"),
    ("building-permit", "乡村建设规划许可受理", "Rural building permit intake", "service", "guihua"),
    ("subsistence", "低保和特困救助申请", "Subsistence allowance applications", "service", "minzheng"),
    ("elderly-care", "养老服务咨询", "Elderly care advice", "consult", "minzheng"),
    ("disability", "残疾人补贴申请", "Disability allowance applications", "service", "minzheng"),
    ("pension", "城乡居民养老保险办理", "Residents' pension insurance", "service", "renshe"),
    ("job-training", "就业技能培训", "Job skills training", "training", "renshe"),
    ("job-referral", "就业岗位推荐", "Job referrals", "service", "renshe"),
    ("farming-training", "种养殖技术培训", "Farming techniques training", "training", "nongye"),
    ("farm-subsidy", "农业补贴政策咨询", "Farm subsidy advice", "consult", "nongye"),
    ("health-check", "健康体检和义诊", "Health check-ups", "service", "weijian"),
    ("health-training", "急救和健康知识培训", "First aid and health training", "training", "weijian"),
    ("housing-safety", "农村危房改造咨询", "Rural housing safety advice", "consult", "zhujian"),
    ("heating-repair", "煤改电设备报修", "Electric heating repairs", "service", "zhujian"),
    ("food-safety", "食品安全知识培训", "Food safety training", "training", "shijian"),
    ("consumer", "消费维权投诉受理", "Consumer complaints", "service", "shijian"),
]


def add_reference_data(apps, schema_editor):
    Centre = apps.get_model("services", "ServiceCentre")
    Department = apps.get_model("services", "Department")
    Category = apps.get_model("services", "ServiceCategory")
    Item = apps.get_model("services", "ServiceItem")
    for code, order, zh, en in CENTRES:
        Centre.objects.get_or_create(code=code, defaults={"order": order, "name_zh": zh, "name_en": en})
    departments = {}
    for order, (code, zh, en) in enumerate(DEPARTMENTS, start=1):
        departments[code] = Department.objects.get_or_create(
            code=code, defaults={"order": order, "name_zh": zh, "name_en": en}
        )[0]
    categories = {}
    for order, (code, zh, en) in enumerate(CATEGORIES, start=1):
        categories[code] = Category.objects.get_or_create(
            code=code, defaults={"order": order, "name_zh": zh, "name_en": en}
        )[0]
    for order, (code, zh, en, category, department) in enumerate(ITEMS, start=1):
        Item.objects.get_or_create(
            code=code,
            defaults={
                "order": order,
                "name_zh": zh,
                "name_en": en,
                "category": categories[category],
                "department": departments[department],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial")]

    operations = [migrations.RunPython(add_reference_data, migrations.RunPython.noop)]
