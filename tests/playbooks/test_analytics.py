"""The marketers' analytics: figures on hand-made rows, filters, CSV, permissions, queries, Persian."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from lms import clock
from lms.calendars import jalali_date
from lms.partners.models import Tier
from lms.partners.roles import StaffRole
from playbooks import analytics
from playbooks.analytics import AnalyticsFilters
from playbooks.analytics_shaping import (
    AssetUse,
    fill_weeks,
    labelled_weeks,
    least_used,
    most_used,
    pair_up,
    share,
    week_starts,
    weekly_chart,
)
from playbooks.models import AssetDownload, AssetKind, PlaybookView
from tests.factories import OrganizationFactory, UserFactory
from tests.playbooks import builders

pytestmark = pytest.mark.django_db

URL = "/admin/playbooks/analytics/"
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # a Thursday
START, END = date(2026, 9, 7), date(2026, 11, 26)  # the default: twelve weeks from a Monday


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def views(playbook, organization, when: datetime, count: int = 1, user=None) -> None:
    tier = organization.tier if organization else ""
    PlaybookView.objects.bulk_create(
        PlaybookView(playbook=playbook, organization=organization, tier=tier, viewed_at=when, user=user)
        for _ in range(count)
    )


def downloads(asset, organization, when: datetime, count: int = 1, playbook=None) -> None:
    kind = AssetKind.IMAGE if hasattr(asset, "get_rendition") else AssetKind.DOCUMENT
    AssetDownload.objects.bulk_create(
        AssetDownload(
            kind=kind,
            image=asset if kind == AssetKind.IMAGE else None,
            document=asset if kind == AssetKind.DOCUMENT else None,
            title=asset.title,
            channel=AssetDownload.Channel.PLAYBOOK if playbook else AssetDownload.Channel.LIBRARY,
            playbook=playbook,
            organization=organization,
            tier=organization.tier if organization else "",
            downloaded_at=when,
        )
        for _ in range(count)
    )


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture(autouse=True)
def in_english():
    """The selectors' labels are in the active language; an earlier test's Persian
    request may have left Persian active in this thread."""
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    """Two partners, two playbooks, five assets and a known pattern of use."""
    silver = OrganizationFactory(slug="silver-co", name="Silver Co", name_fa="نقره", tier=Tier.SILVER)
    gold = OrganizationFactory(slug="gold-co", name="Gold Co", name_fa="طلا", tier=Tier.GOLD)
    backups = builders.playbook(title="Selling backups")
    zero_trust = builders.playbook(title="Zero trust")
    logo = builders.image(title="Logo")
    banner = builders.image(title="Banner")
    unused_image = builders.image(title="Unused banner")
    deck = builders.document(title="Pitch deck")
    brochure = builders.document(title="Brochure")

    views(backups, silver, at(date(2026, 11, 3)), 2)  # the week of 2 November
    views(backups, gold, at(date(2026, 11, 17)), 3)  # the week of 16 November
    views(zero_trust, gold, at(date(2026, 11, 18)), 1)
    views(zero_trust, None, at(date(2026, 11, 19)), 1)  # a visitor
    views(backups, gold, at(date(2026, 8, 30)), 5)  # before the range

    downloads(logo, gold, at(date(2026, 11, 17)), 2, playbook=backups)
    downloads(logo, silver, at(date(2026, 11, 3)), 1)
    downloads(banner, silver, at(date(2026, 10, 6)), 1, playbook=backups)
    downloads(deck, gold, at(date(2026, 11, 18)), 1, playbook=zero_trust)
    downloads(brochure, gold, at(date(2026, 8, 1)), 1)  # before the range: still never downloaded in it
    return {
        "silver": silver,
        "gold": gold,
        "backups": backups,
        "zero_trust": zero_trust,
        "logo": logo,
        "banner": banner,
        "unused_image": unused_image,
        "deck": deck,
        "brochure": brochure,
    }


def default_filters(**fields) -> AnalyticsFilters:
    return AnalyticsFilters(start=START, end=END, **fields)


@pytest.fixture
def marketer(make_staff):
    return make_staff(StaffRole.MARKETER, email="marketer@vendor.example")


@pytest.fixture
def marketer_client(client, marketer):
    client.force_login(marketer)
    return client


# -- Pure shaping -----------------------------------------------------------------------------


def test_weeks_start_on_monday_and_empty_weeks_are_filled():
    weeks = week_starts(date(2026, 11, 5), date(2026, 11, 26))
    assert weeks == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
    assert fill_weeks(weeks, {date(2026, 11, 9): 4}) == [0, 4, 0, 0]


def test_shares_and_pairs():
    assert share(1, 3) == 33.3 and share(5, 0) == 0.0
    pairs = pair_up({"a": 1, "b": 3}, {"b": 1, "c": 4}, {"a": "A", "b": "B", "c": "C"})
    assert [(p.key, p.views, p.downloads) for p in pairs] == [("b", 3, 1), ("c", 0, 4), ("a", 1, 0)]
    assert pairs[0].views_share == 75.0 and pairs[1].downloads_share == 80.0


def test_least_used_ranks_fewest_then_oldest_and_skips_zero():
    old, new = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC)
    uses = [
        AssetUse("image", 1, "Often", 9, new),
        AssetUse("image", 2, "Recent once", 1, new),
        AssetUse("document", 3, "Old once", 1, old),
        AssetUse("document", 4, "Never", 0, None),
    ]
    assert [u.title for u in least_used(uses)] == ["Old once", "Recent once", "Often"]
    assert [u.title for u in most_used(uses, 2)] == ["Often", "Old once"]


@pytest.mark.parametrize(
    ("count", "chosen"),
    [(0, []), (1, [0]), (4, [0, 1, 2, 3]), (12, [0, 3, 6, 11]), (13, [0, 4, 8, 12]), (14, [0, 4, 8, 13])],
)
def test_week_labels_are_spread_and_never_crowd_the_last(count, chosen):
    assert labelled_weeks(count) == chosen


def test_the_weekly_chart_spreads_weeks_and_scales_to_the_busiest():
    weeks = week_starts(date(2026, 11, 2), date(2026, 11, 23))
    chart = weekly_chart(weeks, [0, 4, 2, 0], [1, 0, 0, 0])
    views, downloaded = chart.series
    assert views.points[0].x == chart.frame.left and views.points[-1].x == chart.frame.right
    assert views.points[1].y == chart.frame.top and views.points[0].y == chart.frame.bottom
    assert views.path.startswith(f"M{chart.frame.left}.0 ") and views.path.count("L") == 3
    assert chart.rows[0] == (date(2026, 11, 2), 0, 1) and downloaded.points[0].value == 1
    assert [tick.value for tick in chart.ticks] == [0, 2, 4]


# -- Figures ----------------------------------------------------------------------------------


def test_totals(world, learner):
    views(world["backups"], world["gold"], at(date(2026, 11, 20)), 2, user=learner)
    totals = analytics.totals(default_filters())
    assert (totals.views, totals.readers, totals.downloads, totals.downloaders) == (9, 1, 5, 0)


def test_exact_counts_per_week(world):
    weeks = {pair.key: (pair.views, pair.downloads) for pair in analytics.by_week(default_filters())}
    assert len(weeks) == 12 and min(weeks) == START
    assert weeks[date(2026, 11, 2)] == (2, 1)
    assert weeks[date(2026, 11, 16)] == (5, 3)
    assert weeks[date(2026, 10, 5)] == (0, 1)
    assert weeks[date(2026, 11, 23)] == (0, 0)
    assert sum(v for v, _ in weeks.values()) == 7


def test_weeks_are_cut_in_the_readers_time_zone(world):
    # Sunday 22 November 23:30 in UTC is Monday 23 November 03:00 in Tehran.
    views(world["backups"], world["gold"], datetime(2026, 11, 22, 23, 30, tzinfo=UTC))
    with timezone.override(ZoneInfo("UTC")):
        utc = {p.key: p.views for p in analytics.by_week(default_filters())}
    with timezone.override(ZoneInfo("Asia/Tehran")):
        tehran = {p.key: p.views for p in analytics.by_week(default_filters())}
    assert (utc[date(2026, 11, 16)], utc[date(2026, 11, 23)]) == (6, 0)
    assert (tehran[date(2026, 11, 16)], tehran[date(2026, 11, 23)]) == (5, 1)


def test_exact_counts_per_tier(world):
    tiers = {pair.key: (pair.views, pair.downloads) for pair in analytics.by_tier(default_filters())}
    assert tiers == {"registered": (0, 0), "silver": (2, 2), "gold": (4, 3), "platinum": (0, 0), "": (1, 0)}
    assert list(tiers) == ["registered", "silver", "gold", "platinum", ""]


def test_exact_counts_per_organization(world):
    rows = {pair.label: (pair.views, pair.downloads) for pair in analytics.by_organization(default_filters())}
    assert rows == {"Gold Co": (4, 3), "Silver Co": (2, 2), "No organization (staff or visitors)": (1, 0)}


def test_counts_per_playbook_leave_library_downloads_out(world):
    rows = {pair.label: (pair.views, pair.downloads) for pair in analytics.by_playbook(default_filters())}
    assert rows == {"Selling backups": (5, 3), "Zero trust": (2, 1)}


def test_downloads_per_asset_and_their_ranking(world):
    uses = analytics.asset_uses(default_filters())
    assert [(u.title, u.downloads) for u in uses] == [("Logo", 3), ("Banner", 1), ("Pitch deck", 1)]
    assert uses[0].share == 60.0
    assert [u.title for u in least_used(uses)] == ["Banner", "Pitch deck", "Logo"]


def test_never_downloaded_includes_assets_without_rows_and_excludes_downloaded_ones(world):
    unused, count = analytics.never_downloaded(default_filters(), limit=20)
    titles = {(a.kind, a.title) for a in unused}
    assert titles == {("image", "Unused banner"), ("document", "Brochure")}
    assert count == 2
    # A download whose asset was deleted since (no FK) must not hide the others (NOT IN with NULL).
    AssetDownload.objects.create(kind="image", title="Gone", downloaded_at=at(date(2026, 11, 4)))
    assert analytics.never_downloaded(default_filters(), limit=20)[1] == 2
    assert ("image", None, "Gone", 1) in [
        (u.kind, u.asset_id, u.title, u.downloads) for u in analytics.asset_uses(default_filters())
    ]


def test_never_downloaded_from_a_playbook_lists_only_the_assets_it_uses(world):
    playbook = builders.playbook(title="Gallery")
    playbook.body = [
        {
            "type": "asset_gallery",
            "value": {
                "title": "",
                "items": [
                    {"type": "image", "value": world["logo"].pk},
                    {"type": "image", "value": world["unused_image"].pk},
                    {"type": "document", "value": world["brochure"].pk},
                ],
            },
        }
    ]
    playbook.save_revision().publish()
    downloads(world["logo"], world["gold"], at(date(2026, 11, 20)), playbook=playbook)
    unused, count = analytics.never_downloaded(default_filters(playbook=playbook), limit=20)
    assert {a.title for a in unused} == {"Unused banner", "Brochure"} and count == 2


def test_filters_narrow_every_figure(world):
    gold = default_filters(tier=Tier.GOLD)
    assert (analytics.totals(gold).views, analytics.totals(gold).downloads) == (4, 3)
    assert {a.title for a in analytics.never_downloaded(default_filters(playbook=world["backups"]))[0]} == set()
    unused_for_gold = {a.title for a in analytics.never_downloaded(gold, limit=20)[0]}
    assert unused_for_gold == {"Unused banner", "Brochure", "Banner"}  # Silver downloaded the banner
    silver = default_filters(organization=world["silver"])
    assert [(u.title, u.downloads) for u in analytics.asset_uses(silver)] == [("Banner", 1), ("Logo", 1)]
    documents = default_filters(kind=AssetKind.DOCUMENT)
    assert [u.title for u in analytics.asset_uses(documents)] == ["Pitch deck"]
    assert {a.kind for a in analytics.never_downloaded(documents, limit=20)[0]} == {"document"}
    backups = default_filters(playbook=world["backups"])
    assert (analytics.totals(backups).views, analytics.totals(backups).downloads) == (5, 3)
    short = AnalyticsFilters(start=date(2026, 11, 16), end=date(2026, 11, 17))
    assert analytics.totals(short).views == 3  # the end day is included


def svg_of(body: str, title_id: str) -> str:
    start = body.index(f'aria-labelledby="{title_id}')
    return body[start : body.index("</svg>", start)]


# -- The page ---------------------------------------------------------------------------------


def test_the_overview_shows_the_figures_and_server_drawn_charts(marketer_client, world):
    response = marketer_client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Playbook analytics" in body
    assert 'value="2026-09-07"' in body and 'value="2026-11-26"' in body  # the default range, shown
    charts = body.count("<svg viewBox=")
    assert charts == 2
    weekly = svg_of(body, "weekly-chart-title")
    assert weekly.count('class="chart-line"') == 2 and weekly.count("<circle") == 12
    assert "<script" not in weekly and "http" not in weekly
    assert "Show the numbers as a table" in body and "7 September 2026" in body
    assert "Unused banner" in body and "Brochure" in body
    least = body[body.index('id="least-heading"') : body.index('id="unused-heading"')]
    assert least.index("Banner") < least.index("Pitch deck") < least.index("Logo")


def test_the_reports_menu_lists_analytics_for_marketers_only(client, marketer, make_staff):
    client.force_login(marketer)
    assert URL in client.get("/admin/").content.decode()
    client.force_login(make_staff(StaffRole.COURSE_AUTHOR, email="author@vendor.example"))
    assert URL not in client.get("/admin/").content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-13-01", "Enter the date as YYYY-MM-DD"),
        ("start=yesterday", "Enter the date as YYYY-MM-DD"),
        ("start=2026-11-20&end=2026-11-01", "The start date must be on or before the end date."),
        ("start=2020-01-01&end=2026-11-01", "Choose a range of at most 1098 days."),
        ("organization=nobody", "There is no such organization."),
        ("playbook=999999", "There is no such playbook."),
        ("tier=diamond", "Select a valid choice."),
        ("kind=video", "Select a valid choice."),
    ],
)
def test_bad_filters_get_400_with_a_message(marketer_client, world, query, message):
    page = marketer_client.get(f"{URL}?{query}")
    assert page.status_code == 400
    assert message in page.content.decode()
    export = marketer_client.get(f"{URL}export/assets.csv?{query}")
    assert export.status_code == 400 and export["Content-Type"].startswith("text/plain")
    assert message in export.content.decode()


def test_a_range_ending_on_a_date_alone_goes_back_twelve_weeks(marketer_client, world):
    response = marketer_client.get(f"{URL}?end=2026-11-01")
    assert response.status_code == 200
    assert "From 10 August 2026 to 1 November 2026." in response.content.decode()


# -- CSV --------------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_exports_have_headers_rows_and_a_dated_file_name(marketer_client, world):
    response = marketer_client.get(f"{URL}export/assets.csv?start=2026-09-07&end=2026-11-26")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="playbook-assets-2026-09-07-to-2026-11-26.csv"'
    rows = read_csv(response)
    assert rows[0] == ["kind", "asset_id", "asset", "downloads", "downloads_percent", "last_downloaded"]
    assert [row[2:4] for row in rows[1:]] == [["Logo", "3"], ["Banner", "1"], ["Pitch deck", "1"]]
    weeks = read_csv(marketer_client.get(f"{URL}export/weeks.csv"))
    assert weeks[0] == ["week_start", "views", "downloads"] and len(weeks) == 13
    assert ["2026-11-16", "5", "3"] in weeks
    tiers = read_csv(marketer_client.get(f"{URL}export/tiers.csv?tier=gold"))
    assert tiers[1][:3] == ["gold", "Gold", "4"] and len(tiers) == 2
    unused = read_csv(marketer_client.get(f"{URL}export/never-downloaded.csv"))
    assert {row[2] for row in unused[1:]} == {"Unused banner", "Brochure"}
    organizations = read_csv(marketer_client.get(f"{URL}export/organizations.csv"))
    assert organizations[1][:3] == ["gold-co", "Gold Co", "4"]
    playbooks = read_csv(marketer_client.get(f"{URL}export/playbooks.csv"))
    assert playbooks[1][1:4] == ["en", "Selling backups", "5"]
    assert marketer_client.get(f"{URL}export/secrets.csv").status_code == 404


def test_csv_cells_that_start_a_formula_are_neutralised(marketer_client, world):
    trap = builders.image(title='=HYPERLINK("http://evil.example","x")')
    downloads(trap, world["gold"], at(date(2026, 11, 20)))
    rows = read_csv(marketer_client.get(f"{URL}export/assets.csv"))
    assert ["image", str(trap.pk), '\'=HYPERLINK("http://evil.example","x")', "1"] in [r[:4] for r in rows]


# -- Who may see them -------------------------------------------------------------------------


def test_marketers_site_admins_and_superusers_may(client, marketer, site_admin, world):
    superuser = UserFactory(email="root@vendor.example", is_staff=True, is_superuser=True)
    for person in (marketer, site_admin, superuser):
        client.force_login(person)
        assert client.get(URL).status_code == 200, person
        assert client.get(f"{URL}export/assets.csv").status_code == 200, person


@pytest.mark.parametrize("role", [StaffRole.COURSE_AUTHOR, StaffRole.TIER_MANAGER, StaffRole.INTERNAL_EXPERT])
def test_other_staff_are_refused(client, make_staff, role, world):
    client.force_login(make_staff(role, email=f"{role.value.replace(' ', '-').lower()}@vendor.example"))
    page, export = client.get(URL), client.get(f"{URL}export/assets.csv")
    assert page.status_code in (302, 403) and export.status_code in (302, 403)
    assert b"Gold Co" not in page.content and b"Logo" not in export.content


def test_partner_people_never_reach_it(client, partner_admin, learner, world):
    for person in (partner_admin, learner):
        client.force_login(person)
        for url in (URL, f"{URL}export/assets.csv"):
            response = client.get(url)
            assert response.status_code in (302, 403), (person, url)
            assert b"Gold Co" not in response.content and b"Logo" not in response.content
    client.logout()
    assert client.get(URL).status_code == 302


# -- Queries ----------------------------------------------------------------------------------


def add_activity(rows: int, start: int) -> None:
    """`rows` views and `rows` downloads, spread over `rows // 10` organizations, playbooks and assets."""
    groups = max(rows // 10, 1)
    organizations = [OrganizationFactory(slug=f"load-{start + n}", tier=Tier.values[n % 4]) for n in range(groups)]
    playbooks = [builders.playbook(title=f"Load playbook {start + n}") for n in range(min(groups, 5))]
    images = [builders.image(title=f"Load image {start + n}") for n in range(groups)]
    documents = [builders.document(title=f"Load document {start + n}") for n in range(groups)]
    for n in range(rows):
        when = NOW - timedelta(days=n % 80, hours=n % 24)
        organization = organizations[n % groups]
        views(playbooks[n % len(playbooks)], organization, when)
        downloads((images + documents)[n % (2 * groups)], organization, when, playbook=playbooks[n % len(playbooks)])


def overview_queries(client) -> int:
    client.get(URL)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return len(captured)


def test_the_overview_query_count_does_not_grow_with_the_data(marketer_client):
    add_activity(50, 0)
    small = overview_queries(marketer_client)
    add_activity(450, 1000)
    assert PlaybookView.objects.count() == 500 and AssetDownload.objects.count() == 500
    large = overview_queries(marketer_client)
    assert small == large, f"{small} queries with 50 rows, {large} with 500"
    assert large <= 30, large  # 28 measured on SQLite and PostgreSQL


def test_the_csv_query_count_does_not_grow_with_the_data(marketer_client):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            for report in ("weeks", "tiers", "organizations", "playbooks", "assets", "never-downloaded"):
                assert marketer_client.get(f"{URL}export/{report}.csv").status_code == 200
        return len(captured)

    add_activity(50, 0)
    count()  # warm the per-process caches (content types, the admin's session and profile)
    small = count()
    assert small >= 6 * 3, small  # each export reads its figures, and nothing escaped the count
    add_activity(450, 1000)
    assert count() == small


# -- Persian ----------------------------------------------------------------------------------


def test_the_page_renders_in_persian_with_jalali_weeks(marketer_client, marketer, world):
    profile = UserProfile.get_for_user(marketer)
    profile.preferred_language = "fa"
    profile.save()
    response = marketer_client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'dir="rtl"' in body
    assert "۲۵ آبان ۱۴۰۵" in body  # the week of 16 November 2026
    with translation.override("fa"):
        assert jalali_date(date(2026, 9, 7)) in body  # the first week, as the chart's first label
    weekly = svg_of(body, "weekly-chart-title")
    assert "۵" in weekly  # the busiest week's count on the scale, in Persian digits
    assert "November" not in body
    tiers = body[body.index('id="tiers-heading"') :]
    assert "طلا" in body  # the Persian organization name
    assert "۴" in tiers
