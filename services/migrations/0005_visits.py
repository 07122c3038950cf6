"""The household register and household visits (issue 10), and the visit topics (reference data)."""

import anding.crypto
import branches.validators
import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models



# The topics of a household visit (editable in the admin): our choice, the source names none.
TOPICS = [
    ("employment", "就业", "Employment"),
    ("health", "医疗", "Health care"),
    ("elderly", "养老", "Care of the elderly"),
    ("housing", "住房", "Housing"),
    ("land", "土地", "Land"),
    ("social-security", "社保", "Social security"),
    ("disputes", "矛盾纠纷", "Disputes"),
    ("environment", "环境", "Environment"),
    ("education", "子女教育", "Children's education"),
    ("other", "其他", "Other"),
]


def add_topics(apps, schema_editor):
    Topic = apps.get_model("services", "VisitTopic")
    for order, (code, zh, en) in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(code=code, defaults={"order": order, "name_zh": zh, "name_en": en})


class Migration(migrations.Migration):

    dependencies = [
        ('branches', '0012_major_matter_and_inspection'),
        ('services', '0004_funds'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='VisitTopic',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=30, unique=True, verbose_name='code')),
                ('order', models.PositiveSmallIntegerField(default=1, verbose_name='order')),
                ('name_zh', models.CharField(max_length=60, verbose_name='Chinese name')),
                ('name_en', models.CharField(max_length=100, verbose_name='English name')),
            ],
            options={
                'verbose_name': 'visit topic',
                'verbose_name_plural': 'visit topics',
                'ordering': ['order', 'code'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Household',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('number', models.CharField(max_length=20, verbose_name='household number')),
                ('head_name', models.CharField(max_length=30, verbose_name='head of household')),
                ('address', models.CharField(max_length=200, verbose_name='address')),
                ('phone', anding.crypto.EncryptedCharField(blank=True, max_length=20, validators=[branches.validators.validate_phone], verbose_name='phone')),
                ('size', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(30)], verbose_name='household size')),
                ('active', models.BooleanField(default=True, help_text='Clear it when the household moves away.', verbose_name='active')),
                ('note', models.TextField(blank=True, max_length=500, verbose_name='note')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
                ('village', models.ForeignKey(limit_choices_to={'kind': 'village'}, on_delete=django.db.models.deletion.PROTECT, related_name='household_register', to='branches.organization', verbose_name='village')),
            ],
            options={
                'verbose_name': 'household',
                'verbose_name_plural': 'households',
                'ordering': ['village__tree_id', 'village__lft', 'number'],
            },
        ),
        migrations.CreateModel(
            name='HouseholdVisit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('date', models.DateField(verbose_name='date')),
                ('raised', models.TextField(max_length=2000, verbose_name='what was raised')),
                ('follow_up', models.TextField(blank=True, max_length=2000, verbose_name='follow-up')),
                ('follow_up_due', models.DateField(blank=True, null=True, verbose_name='follow-up due on')),
                ('closed_on', models.DateField(blank=True, null=True, verbose_name='follow-up closed on')),
                ('closing_note', models.TextField(blank=True, max_length=2000, verbose_name='closing note')),
                ('cadres', models.ManyToManyField(blank=True, related_name='visits_joined', to=settings.AUTH_USER_MODEL, verbose_name='cadres who came')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('follow_up_owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='visit_follow_ups', to=settings.AUTH_USER_MODEL, verbose_name='follow-up owner')),
                ('household', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='services.household', verbose_name='household')),
                ('leader', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits_led', to=settings.AUTH_USER_MODEL, verbose_name='led by')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by')),
                ('topics', models.ManyToManyField(related_name='visits', to='services.visittopic', verbose_name='topics')),
            ],
            options={
                'verbose_name': 'household visit',
                'verbose_name_plural': 'household visits',
                'ordering': ['-date', '-id'],
            },
        ),
        migrations.AddConstraint(
            model_name='household',
            constraint=models.UniqueConstraint(fields=('village', 'number'), name='services_household_unique_number', violation_error_message='This village already has a household with this number.'),
        ),
        migrations.AddIndex(
            model_name='householdvisit',
            index=models.Index(fields=['follow_up_owner', 'closed_on'], name='services_visit_follow_up'),
        ),
        migrations.RunPython(add_topics, migrations.RunPython.noop),
    ]
