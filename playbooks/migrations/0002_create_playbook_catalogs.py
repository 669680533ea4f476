"""Create the playbook catalog (/playbooks/) under each language's home page.

The English home page comes from the portal's migrations; the Persian one is added by
`load_demo` (or by an editor), so a Persian catalog is created here only where a Persian
home page already exists. `load_demo` adds the Persian catalog otherwise.
"""

import uuid

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's, as Wagtail configures it
STEPLEN = 4
TITLES = {"en": ("Playbooks", "Messaging, objections, campaign kits and brand guidelines for selling with us."),
          "fa": ("راهنماهای فروش", "پیام‌های کلیدی، پاسخ به اعتراض‌ها، بسته‌های کمپین و راهنمای برند برای فروش همراه ما.")}


def _next_child_path(Page, parent) -> str:
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path").first()
    number = 0
    if last is not None:
        number = sum(ALPHABET.index(ch) * 36**i for i, ch in enumerate(reversed(last.path[-STEPLEN:]))) + 1
    digits = ""
    for _position in range(STEPLEN):
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
    return parent.path + digits


def create_catalogs(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("portal.HomePage")
    PlaybookIndexPage = apps.get_model("playbooks.PlaybookIndexPage")
    content_type, _created = ContentType.objects.get_or_create(app_label="playbooks", model="playbookindexpage")
    translation_key = uuid.uuid4()
    for home in HomePage.objects.filter(depth=2).select_related("locale").order_by("path"):
        language = home.locale.language_code
        if language not in TITLES or PlaybookIndexPage.objects.filter(locale=home.locale).exists():
            continue
        if Page.objects.filter(path__startswith=home.path, depth=home.depth + 1, slug="playbooks").exists():
            continue  # someone already made a page at /playbooks/
        title, intro = TITLES[language]
        PlaybookIndexPage.objects.create(
            title=title,
            draft_title=title,
            slug="playbooks",
            content_type=content_type,
            path=_next_child_path(Page, home),
            depth=home.depth + 1,
            numchild=0,
            url_path=f"{home.url_path}playbooks/",
            locale=home.locale,
            translation_key=translation_key,
            live=True,
            intro=intro,
        )
        Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)


def remove_catalogs(apps, schema_editor):
    PlaybookIndexPage = apps.get_model("playbooks.PlaybookIndexPage")
    Page = apps.get_model("wagtailcore.Page")
    for catalog in PlaybookIndexPage.objects.filter(numchild=0):
        parent = Page.objects.filter(path=catalog.path[:-STEPLEN]).first()
        catalog.delete()
        if parent is not None:
            Page.objects.filter(pk=parent.pk).update(numchild=max(0, parent.numchild - 1))


class Migration(migrations.Migration):
    dependencies = [
        ("playbooks", "0001_initial"),
        ("portal", "0002_create_home_page"),
    ]

    operations = [migrations.RunPython(create_catalogs, remove_catalogs)]
