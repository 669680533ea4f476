"""Every URL × every role × two partner organizations.

Each role acts from organization Alpha (partner roles) or from the vendor (staff
roles), against Alpha's own data and against Beta's. The matrix states the status
each role must get; afterwards nothing of Beta's may have been read or changed.
A URL pattern that has no entry here fails `test_every_url_pattern_is_in_the_matrix`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.urls import get_resolver
from django.urls.resolvers import URLResolver

from certifications.models import Credential
from lms.notifications.models import Notification
from lms.partners.models import Invitation, Membership
from lms.partners.roles import StaffRole
from lms.partners.tokens import hash_token
from tests.certifications import builders as certification_builders
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

PARTNER_ROLES = ("learner", "partner_admin")
STAFF_ROLES = {
    "course_author": StaffRole.COURSE_AUTHOR,
    "marketer": StaffRole.MARKETER,
    "internal_expert": StaffRole.INTERNAL_EXPERT,
    "tier_manager": StaffRole.TIER_MANAGER,
    "site_admin": StaffRole.SITE_ADMIN,
}
ROLES = ("anonymous", *PARTNER_ROLES, *STAFF_ROLES)
ADMIN_ROLES = {"course_author", "marketer", "tier_manager", "site_admin"}  # have wagtailadmin.access_admin
TARGETS = ("own", "other")

# Prefixes served by Wagtail's own URLconfs, probed through their entry points below.
FRAMEWORK_PREFIXES = ("admin/", "documents/")


@dataclass
class World:
    orgs: dict  # "own" -> Alpha, "other" -> Beta
    users: dict  # role -> user (None for anonymous)
    invitations: dict  # target -> Invitation
    learners: dict  # target -> a learner's Membership (not the acting learner)
    beta_markers: list[str]
    credentials: dict  # target -> a credential of that learner


@dataclass(frozen=True)
class Probe:
    method: str
    path: Callable[[World, str], str]
    expect: Callable[[str, str], int | tuple[int, ...]]  # (role, target) -> allowed status codes
    data: Callable[[World, str], dict] | None = None


def everyone(status: int) -> Callable[[str, str], int]:
    return lambda role, target: status


def signed_in(status: int, anonymous: int = 302) -> Callable[[str, str], int]:
    return lambda role, target: anonymous if role == "anonymous" else status


def team_access(allowed: int) -> Callable[[str, str], int]:
    """Site admins manage any organization; a partner admin only their own."""

    def expect(role: str, target: str) -> int:
        if role == "anonymous":
            return 302
        if role == "site_admin" or (role == "partner_admin" and target == "own"):
            return allowed
        if role == "learner" and target == "own":
            return 403
        return 404

    return expect


def partner_home(role: str, target: str) -> int:
    if role == "anonymous":
        return 302
    return 200 if role in {"partner_admin", "site_admin"} else 403


def admin_area(role: str, target: str) -> int | tuple[int, ...]:
    return 200 if role in ADMIN_ROLES else 302


def slug(world: World, target: str) -> str:
    return world.orgs[target].slug


def cross_organization(role: str, target: str) -> int:
    """Alpha's own address with Beta's object in it: objects are looked up inside the organization."""
    return 302 if role == "anonymous" else 403 if role == "learner" else 404


def team_object_probes(objects: str, action: str, data: dict | None = None) -> list[Probe]:
    """POSTs on an invitation or a member of the target organization, then on Beta's under Alpha's slug."""
    collection = "invitations" if objects == "invitations" else "members"
    send = (lambda w, t: data) if data else None

    def own_path(w: World, t: str) -> str:
        return f"/partner/{slug(w, t)}/{collection}/{getattr(w, objects)[t].pk}/{action}/"

    def crossed_path(w: World, t: str) -> str:
        return f"/partner/{w.orgs['own'].slug}/{collection}/{getattr(w, objects)['other'].pk}/{action}/"

    return [
        Probe("POST", own_path, team_access(302), data=send),
        Probe("POST", crossed_path, cross_organization, data=send),
    ]


def crossed_assignment(role: str, target: str) -> int:
    """Alpha's assign form posted with Beta's member: the form only knows Alpha's people."""
    if role == "anonymous":
        return 302
    if role in {"partner_admin", "site_admin"}:
        return 400
    return 403 if role == "learner" else 404


TIER_ROLES = {"tier_manager", "site_admin"}


def tier_pages(allowed: int) -> Callable[[str, str], int]:
    """Tier managers and site admins see every organization's tier; everyone else is refused."""
    return lambda role, target: 302 if role == "anonymous" else allowed if role in TIER_ROLES else 403


def tier_tools(allowed: int) -> Callable[[str, str], int]:
    """Tier managers for every organization, partner admins for their own."""

    def expect(role: str, target: str) -> int:
        if role in TIER_ROLES:
            return allowed
        return team_access(allowed)(role, target)

    return expect


MATRIX: dict[str, list[Probe]] = {
    "wagtail_serve": [
        Probe("GET", lambda w, t: "/", everyone(200)),
        Probe("GET", lambda w, t: "/fa/", everyone(200)),
    ],
    # Shadowed by wagtail_login_redirect: reachable by no URL, kept so the walk stays complete.
    "wagtailcore_login": [Probe("GET", lambda w, t: "/_util/login/", everyone(302))],
    "wagtail_login_redirect": [
        Probe("GET", lambda w, t: "/_util/login/", everyone(302)),
        Probe("POST", lambda w, t: "/fa/_util/login/", everyone(302), data=lambda w, t: {}),
    ],
    "wagtailcore_authenticate_with_password": [
        Probe("GET", lambda w, t: "/_util/authenticate_with_password/999/3/", everyone(404))
    ],
    "switch_language": [
        Probe("POST", lambda w, t: "/language/", everyone(302), data=lambda w, t: {"language": "fa", "next": "/"})
    ],
    "portal:learn": [Probe("GET", lambda w, t: "/learn/", signed_in(200))],
    "accounts:login": [
        Probe("GET", lambda w, t: "/accounts/login/", lambda role, t: 200 if role == "anonymous" else 302),
        Probe(
            "POST",
            lambda w, t: "/accounts/login/",
            lambda role, t: 200 if role == "anonymous" else 302,
            data=lambda w, t: {"username": w.users["learner"].email, "password": "not-the-password"},
        ),
    ],
    "accounts:logout": [Probe("POST", lambda w, t: "/accounts/logout/", everyone(302))],
    "accounts:password_change": [Probe("GET", lambda w, t: "/accounts/password/change/", signed_in(200))],
    "accounts:password_change_done": [Probe("GET", lambda w, t: "/accounts/password/change/done/", signed_in(200))],
    "accounts:password_reset": [Probe("GET", lambda w, t: "/accounts/password/reset/", everyone(200))],
    "accounts:password_reset_done": [Probe("GET", lambda w, t: "/accounts/password/reset/sent/", everyone(200))],
    "accounts:password_reset_confirm": [
        Probe("GET", lambda w, t: "/accounts/password/reset/MQ/bogus-token/", everyone(200))
    ],
    "accounts:password_reset_complete": [
        Probe("GET", lambda w, t: "/accounts/password/reset/complete/", everyone(200))
    ],
    "accounts:accept_invitation": [
        # The token is the credential: without it, nobody learns anything.
        Probe("GET", lambda w, t: "/accounts/invite/guessed-token/", everyone(404)),
        Probe("POST", lambda w, t: "/accounts/invite/guessed-token/", everyone(404), data=lambda w, t: {}),
    ],
    "partners:home": [Probe("GET", lambda w, t: "/partner/", partner_home)],
    "partners:team": [Probe("GET", lambda w, t: f"/partner/{slug(w, t)}/", team_access(200))],
    "partners:invite": [
        Probe(
            "POST",
            lambda w, t: f"/partner/{slug(w, t)}/invitations/",
            team_access(302),
            data=lambda w, t: {"emails": "probe@attacker.example", "role": "admin"},
        )
    ],
    "partners:resend_invitation": team_object_probes("invitations", "resend"),
    "partners:revoke_invitation": team_object_probes("invitations", "revoke"),
    "partners:change_member_role": team_object_probes("learners", "role", data={"role": "admin"}),
    "partners:remove_member": team_object_probes("learners", "remove"),
    # Course pages, lessons and attempts are Wagtail page routes under `wagtail_serve`; their
    # organization matrix is test_a_course_restricted_to_another_organization_is_a_404_everywhere
    # in tests/courses/test_views_course.py.
    "courses:assign": [
        Probe("GET", lambda w, t: f"/partner/{slug(w, t)}/assign/", team_access(200)),
        # A member but neither a course nor a path: refused by the form, so nothing is written.
        Probe(
            "POST",
            lambda w, t: f"/partner/{slug(w, t)}/assign/",
            team_access(400),
            data=lambda w, t: {"members": [w.learners[t].pk], "due_date": "2099-01-01"},
        ),
        Probe(
            "POST",
            lambda w, t: f"/partner/{w.orgs['own'].slug}/assign/",
            crossed_assignment,
            data=lambda w, t: {"members": [w.learners["other"].pk]},
        ),
    ],
    "courses:team_progress_csv": [
        Probe("GET", lambda w, t: f"/partner/{slug(w, t)}/progress.csv", team_access(200)),
    ],
    # Verification and Open Badges are public by design: anyone holding a code sees the
    # holder's name and the credential, and nothing else (no email, no organization).
    "certifications:verify_lookup": [
        Probe("GET", lambda w, t: "/verify/", everyone(200)),
        Probe("GET", lambda w, t: f"/fa/verify/?code={w.credentials[t].code}", everyone(302)),
    ],
    "certifications:verify": [
        Probe("GET", lambda w, t: f"/verify/{w.credentials[t].code}/", everyone(200)),
        Probe("GET", lambda w, t: "/fa/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAA/", everyone(404)),
    ],
    "certifications:certificate_pdf": [
        Probe("GET", lambda w, t: f"/verify/{w.credentials[t].code}/certificate.pdf", everyone(200)),
    ],
    "certifications:team_credentials_csv": [
        Probe("GET", lambda w, t: f"/partner/{slug(w, t)}/credentials.csv", team_access(200)),
    ],
    "badges:issuer": [Probe("GET", lambda w, t: "/badges/issuer.json", everyone(200))],
    "badges:badge_class": [
        Probe("GET", lambda w, t: f"/badges/classes/{w.credentials[t].certification.slug}.json", everyone(200))
    ],
    "badges:badge_image": [
        Probe("GET", lambda w, t: f"/badges/classes/{w.credentials[t].certification.slug}.png", everyone(200))
    ],
    "badges:assertion": [Probe("GET", lambda w, t: f"/badges/assertions/{w.credentials[t].code}.json", everyone(200))],
    "tiers:dashboard": [Probe("GET", lambda w, t: "/tiers/", tier_pages(200))],
    "tiers:export": [Probe("GET", lambda w, t: "/tiers/export.csv", tier_pages(200))],
    # An empty decision is refused by the form and sent back to the dashboard with the reason.
    "tiers:decide": [Probe("POST", lambda w, t: "/tiers/promotions/decide/", tier_pages(302), data=lambda w, t: {})],
    "tiers:organization": [Probe("GET", lambda w, t: f"/tiers/{slug(w, t)}/", tier_pages(200))],
    "tiers:override": [
        Probe("POST", lambda w, t: f"/tiers/{slug(w, t)}/override/", tier_pages(400), data=lambda w, t: {})
    ],
    "tiers:clear_override": [
        Probe("POST", lambda w, t: f"/tiers/{slug(w, t)}/override/clear/", tier_pages(400), data=lambda w, t: {})
    ],
    "tiers:lock_in": [
        Probe("POST", lambda w, t: f"/tiers/{slug(w, t)}/lock-in/", tier_pages(400), data=lambda w, t: {})
    ],
    "tiers:gate_decision": [
        Probe("POST", lambda w, t: f"/tiers/{slug(w, t)}/gates/999/decide/", tier_pages(404), data=lambda w, t: {})
    ],
    "tiers:gate_evidence": [Probe("GET", lambda w, t: f"/tiers/{slug(w, t)}/gates/999/evidence/", tier_pages(404))],
    "tiers:what_if": [Probe("GET", lambda w, t: f"/tiers/{slug(w, t)}/what-if/", tier_tools(200))],
    # No rules are active here, so there is no gate to send evidence for: a 404 to those let in.
    "tiers:submit_evidence": [Probe("GET", lambda w, t: f"/tiers/{slug(w, t)}/gates/submit/", tier_tools(404))],
    # Marks the reader's own notifications read (Beta's stay unread, see beta_state).
    "notifications:mark_read": [Probe("POST", lambda w, t: "/notifications/read/", everyone(302))],
    # No playbook here: an unknown page is a 404 to everyone signed in (nothing written).
    "acknowledgements:acknowledge": [
        Probe("POST", lambda w, t: "/acknowledgements/999999/", signed_in(404), data=lambda w, t: {"version": "1"})
    ],
    "acknowledgements:team": [Probe("GET", lambda w, t: f"/acknowledgements/team/{slug(w, t)}/", team_access(200))],
    "acknowledgements:team_csv": [
        Probe("GET", lambda w, t: f"/acknowledgements/team/{slug(w, t)}/acknowledgements.csv", team_access(200))
    ],
    "admin/": [
        Probe("GET", lambda w, t: "/admin/", admin_area),
        Probe(
            "GET",
            lambda w, t: f"/admin/snippets/partners/organization/edit/{w.orgs[t].pk}/",
            lambda role, t: 200 if role == "site_admin" else 302 if role not in ADMIN_ROLES else (302, 403),
        ),
    ],
    "documents/": [Probe("GET", lambda w, t: "/documents/999/missing.pdf", everyone(404))],
}


# The brand asset library (playbooks, part A). Each probe's asset is in a collection only
# the target organization may see, made on first use; it has no file, so downloads that
# pass the access check end in the "file is missing" 404, and those that fail it in the
# plain 404: never a 500, never a download row.
def library_asset(world: World, target: str, kind: str):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    from playbooks.models import CollectionAudience

    made = world.__dict__.setdefault("_library_assets", {})
    if (target, kind) not in made:
        collection = Collection.get_first_root_node().add_child(name=f"Partner-only {target} {kind}")
        CollectionAudience.objects.create(collection=collection).organizations.add(world.orgs[target])
        if kind == "image":
            asset = get_image_model().objects.create(
                title="Probe image", collection=collection, file="original_images/probe.png", width=8, height=8
            )
        else:
            asset = get_document_model().objects.create(
                title="Probe document", collection=collection, file="documents/probe.pdf"
            )
        made[(target, kind)] = asset
    return made[(target, kind)]


def library_page(role: str, target: str) -> int:
    """Partners see their own organization's assets; vendor staff see every asset."""
    if role == "anonymous":
        return 302
    return 200 if role in STAFF_ROLES or target == "own" else 404


MATRIX.update(
    {
        "assets:index": [
            Probe("GET", lambda w, t: "/assets/", signed_in(200)),
            Probe(
                "GET",
                lambda w, t: f"/fa/assets/?q=probe&collection={library_asset(w, t, 'image').collection_id}",
                signed_in(200),
            ),
        ],
        "assets:image": [Probe("GET", lambda w, t: f"/assets/images/{library_asset(w, t, 'image').pk}/", library_page)],
        "assets:document": [
            Probe("GET", lambda w, t: f"/assets/documents/{library_asset(w, t, 'document').pk}/", library_page)
        ],
        "assets:image_download": [
            Probe("GET", lambda w, t: f"/assets/images/{library_asset(w, t, 'image').pk}/download/", signed_in(404)),
            Probe(
                "GET",
                lambda w, t: f"/assets/images/{library_asset(w, t, 'image').pk}/download/?format=webp-800",
                signed_in(404),
            ),
        ],
        "assets:document_download": [
            Probe(
                "GET", lambda w, t: f"/assets/documents/{library_asset(w, t, 'document').pk}/download/", signed_in(404)
            )
        ],
        "assets:playbook_zip": [Probe("GET", lambda w, t: "/assets/playbooks/999999/download-all/", signed_in(404))],
    }
)


def url_pattern_keys() -> set[str]:
    keys: set[str] = set()

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(FRAMEWORK_PREFIXES):
                keys.add(next(p for p in FRAMEWORK_PREFIXES if route.startswith(p)))
            elif isinstance(pattern, URLResolver):
                walk(pattern, route, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
            else:
                keys.add(namespace + pattern.name if pattern.name else route)

    walk(get_resolver(), "", "")
    return keys


def test_every_url_pattern_is_in_the_matrix():
    missing = url_pattern_keys() - MATRIX.keys()
    assert not missing, f"URL patterns without an access-matrix entry: {sorted(missing)}"
    stale = MATRIX.keys() - url_pattern_keys()
    assert not stale, f"Access-matrix entries for URL patterns that no longer exist: {sorted(stale)}"


@pytest.fixture
def world(db) -> World:
    alpha = OrganizationFactory(name="Alpha Systems", slug="alpha")
    beta = OrganizationFactory(name="Beta Secret Partner", name_fa="بتا", slug="beta")
    users = {"anonymous": None}
    users["learner"] = MembershipFactory(organization=alpha, user__email="learner@alpha.example").user
    users["partner_admin"] = MembershipFactory(
        organization=alpha, role=Membership.Role.ADMIN, user__email="admin@alpha.example"
    ).user
    for key, role in STAFF_ROLES.items():
        users[key] = UserFactory(email=f"{key}@vendor.example", is_staff=True)
        users[key].groups.add(Group.objects.get(name=role.value))
    beta_admin = MembershipFactory(organization=beta, role=Membership.Role.ADMIN, user__email="admin@beta.example")
    beta_learner = MembershipFactory(organization=beta, user__email="learner@beta.example")
    invitations = {
        "own": Invitation.objects.create(
            organization=alpha,
            email="invitee@alpha.example",
            token_hash=hash_token("a"),
            expires_at="2099-01-01T00:00Z",
        ),
        "other": Invitation.objects.create(
            organization=beta, email="invitee@beta.example", token_hash=hash_token("b"), expires_at="2099-01-01T00:00Z"
        ),
    }
    learners = {
        "own": MembershipFactory(organization=alpha, user__email="colleague@alpha.example"),
        "other": beta_learner,
    }
    markers = [beta_admin.user.email, beta_learner.user.email, "invitee@beta.example", "Beta Secret Partner"]
    certification = certification_builders.certification(validity_months=24)
    credentials = {target: certification_builders.issue(learners[target].user, certification) for target in TARGETS}
    Notification.objects.create(
        user=beta_learner.user,
        kind="probe",
        message="News for Beta Secret Partner",
        message_fa="Beta Secret Partner",
        url="/learn/",
        created_at="2026-01-01T00:00Z",
    )
    return World({"own": alpha, "other": beta}, users, invitations, learners, markers, credentials)


def beta_state(world: World) -> tuple:
    beta = world.orgs["other"]
    return (
        sorted(beta.memberships.values_list("user__email", "role")),
        sorted(beta.invitations.values_list("email", "token_hash", "revoked_at", "send_count", "role")),
        sorted(Credential.objects.filter(user__membership__organization=beta).values_list("code", "status")),
        sorted(Notification.objects.filter(user__membership__organization=beta).values_list("pk", "read_at")),
    )


PROBES = [(key, index) for key, probes in MATRIX.items() for index in range(len(probes))]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize(("key", "index"), PROBES, ids=[f"{key}#{index}" for key, index in PROBES])
def test_role_gets_exactly_what_the_matrix_allows(
    client, world, django_capture_on_commit_callbacks, key, index, role, target
):
    probe = MATRIX[key][index]
    if world.users[role] is not None:
        client.force_login(world.users[role])
    before = beta_state(world)
    path = probe.path(world, target)
    data = probe.data(world, target) if probe.data else {}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(path) if probe.method == "GET" else client.post(path, data)

    expected = probe.expect(role, target)
    allowed = expected if isinstance(expected, tuple) else (expected,)
    assert response.status_code in allowed, f"{role} {probe.method} {path}: {response.status_code}, expected {allowed}"

    # Site admins manage every organization; tier managers see every partner's tier pages.
    may_see_beta = role == "site_admin" or (role == "tier_manager" and key.startswith("tiers:"))
    if not may_see_beta:
        assert beta_state(world) == before, f"{role} changed Beta's data through {probe.method} {path}"
        body = response.content.decode(errors="replace")
        leaked = [marker for marker in world.beta_markers if marker in body]
        assert not leaked, f"{role} read Beta's data through {probe.method} {path}: {leaked}"
