"""
The agencies a Japanese paper takes, and the names their files use for them
(English and Japanese), so a fresh newsroom credits their copy from the first
file. They are ordinary rows: the desk edits or deletes them like any other,
and this migration never runs again to put them back.
"""

from django.db import migrations

# slug, name, credit as printed, website, the other names files use
AGENCIES = [
    ("kyodo", "Kyodo News", "Kyodo", "https://english.kyodonews.net/",
     ["共同", "共同通信", "共同通信社", "Kyodo News International", "nprov:KYODO"]),
    ("jiji", "Jiji Press", "Jiji", "https://www.jiji.com/",
     ["時事", "時事通信", "時事通信社", "Jiji Press Ltd.", "nprov:JIJI"]),
    ("ap", "The Associated Press", "AP", "https://apnews.com/",
     ["Associated Press", "AP通信", "nprov:AP"]),
    ("reuters", "Reuters", "Reuters", "https://www.reuters.com/",
     ["ロイター", "ロイター通信", "Thomson Reuters", "nprov:REUTERS"]),
    ("afp", "Agence France-Presse", "AFP", "https://www.afp.com/",
     ["AFP通信", "Agence France Presse", "nprov:AFP"]),
    ("dpa", "Deutsche Presse-Agentur", "dpa", "https://www.dpa.com/",
     ["DPA通信", "dpa-AFX", "nprov:DPA"]),
    ("efe", "Agencia EFE", "EFE", "https://www.efe.com/",
     ["EFE通信", "Agencia EFE S.A.", "nprov:EFE"]),
    ("yonhap", "Yonhap News Agency", "Yonhap", "https://en.yna.co.kr/",
     ["聯合ニュース", "聯合通信", "연합뉴스", "聯合", "nprov:YONHAP"]),
    ("xinhua", "Xinhua News Agency", "Xinhua", "https://english.news.cn/",
     ["新華社", "新华社", "新華社通信", "新华通讯社", "nprov:XINHUA"]),
]  # fmt: skip


def add_agencies(apps, schema_editor):
    WireService = apps.get_model("articles", "WireService")
    WireMapping = apps.get_model("articles", "WireMapping")
    for slug, name, credit, website, codes in AGENCIES:
        agency = WireService.objects.filter(slug=slug).first() or WireService.objects.filter(name=name).first()
        if agency is None:
            agency = WireService.objects.create(slug=slug, name=name, credit=credit, website=website)
        for code in codes:
            if not WireMapping.objects.filter(kind="agency", code__iexact=code).exists():
                WireMapping.objects.create(kind="agency", code=code, wire_service=agency)


def remove_mappings(apps, schema_editor):
    # The agencies may carry stories by now: only the mappings this added go.
    WireMapping = apps.get_model("articles", "WireMapping")
    codes = [code for *_agency, codes in AGENCIES for code in codes]
    WireMapping.objects.filter(kind="agency", code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_guid_lookup_index")]

    operations = [migrations.RunPython(add_agencies, remove_mappings)]
