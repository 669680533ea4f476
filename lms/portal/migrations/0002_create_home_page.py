"""Replace Wagtail's placeholder root child with the portal's HomePage and point the site at it."""

from django.db import migrations


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("portal.HomePage")

    Page.objects.filter(content_type__app_label="wagtailcore", content_type__model="page", depth=2).delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="portal")
    locale, _ = Locale.objects.get_or_create(language_code="en")
    Locale.objects.get_or_create(language_code="fa")
    home = HomePage.objects.create(
        title="Abrzad",
        draft_title="Abrzad",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        hero_title="Partner enablement, in one place",
        hero_text="Learn, certify and grow your partnership tier — in English and Persian.",
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Abrzad")


def remove_home_page(apps, schema_editor):
    apps.get_model("portal.HomePage").objects.filter(depth=2, slug="home").delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(create_home_page, remove_home_page)]
