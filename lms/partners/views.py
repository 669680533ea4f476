"""The partner admin's team pages and the invitation acceptance page.

Each view parses the request, checks access through permissions.py, calls a
service or selector, and responds.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lms.accounts.forms import SignUpFromInvitationForm
from lms.i18n import local_digits, local_list
from lms.partners import selectors, services
from lms.partners.forms import MAX_INVITE_REQUEST_BYTES, InviteForm, MemberRoleForm, upload_too_large_message
from lms.partners.models import Invitation
from lms.partners.permissions import access_invitation, access_managed_organization, access_member
from lms.partners.selectors import person_roles
from lms.portal.sections import team_sections
from lms.uploads import declared_body_size


@login_required
def partner_home(request: HttpRequest) -> HttpResponse:
    """/partner/: a partner admin's own team; for site admins, the list of organizations."""
    roles = person_roles(request.user)
    if roles.is_partner_admin:
        return team(request, slug=roles.organization.slug)
    if roles.is_site_admin:
        organizations = selectors.organizations_for_site_admin()
        return render(request, "partners/organization_list.html", {"organizations": organizations})
    raise PermissionDenied(_("This page is for partner admins."))


@login_required
def team(request: HttpRequest, slug: str, invite_form: InviteForm | None = None, status: int = 200) -> HttpResponse:
    organization = access_managed_organization(request.user, slug=slug)
    context = {
        "organization": organization,
        "members": selectors.team_members(organization=organization),
        "invitations": selectors.open_invitations(organization=organization),
        "invite_form": invite_form or InviteForm(),
        "sections": team_sections(request, organization),
        "valid_days": settings.INVITATION_VALID_DAYS,
    }
    return render(request, "partners/team.html", context, status=status)


@login_required
@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    organization = access_managed_organization(request.user, slug=slug)
    if declared_body_size(request) > MAX_INVITE_REQUEST_BYTES:
        messages.error(request, upload_too_large_message())
        return team(request, slug=slug, status=413)
    form = InviteForm(request.POST, request.FILES)
    if not form.is_valid():
        return team(request, slug=slug, invite_form=form, status=400)
    try:
        outcome = services.invite_people(
            organization=organization,
            emails=form.cleaned_data["parsed_emails"],
            role=form.cleaned_data["role"],
            invited_by=request.user,
            language=translation.get_language(),
        )
    except services.InvitationError as error:
        messages.error(request, error.message)
        return team(request, slug=slug, invite_form=form, status=409)
    sent = len(outcome.invited) + len(outcome.reinvited)
    if sent:
        messages.success(
            request,
            ngettext("%(count)s invitation sent.", "%(count)s invitations sent.", sent) % {"count": local_digits(sent)},
        )
    if outcome.already_members:
        messages.info(request, _("Already members: %(emails)s") % {"emails": local_list(outcome.already_members)})
    if outcome.already_invited:
        messages.info(
            request,
            _("Already invited (use Resend to send again): %(emails)s")
            % {"emails": local_list(outcome.already_invited)},
        )
    return redirect(_team_url(request, organization.slug))


@login_required
@require_POST
def resend_invitation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _act_on_invitation(
        request, slug, pk, services.resend_invitation, _("The invitation to %(email)s was sent again.")
    )


@login_required
@require_POST
def revoke_invitation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _act_on_invitation(
        request, slug, pk, services.revoke_invitation, _("The invitation to %(email)s was withdrawn.")
    )


def _act_on_invitation(
    request: HttpRequest, slug: str, pk: int, action: Callable[..., Invitation], success: str
) -> HttpResponse:
    organization = access_managed_organization(request.user, slug=slug)
    invitation = access_invitation(organization, pk=pk)
    try:
        action(invitation=invitation)
    except services.InvitationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success % {"email": invitation.email})
    return redirect(_team_url(request, organization.slug))


@login_required
@require_POST
def change_member_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organization = access_managed_organization(request.user, slug=slug)
    membership = access_member(organization, pk=pk)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return team(request, slug=slug, status=400)
    try:
        services.change_member_role(membership=membership, role=form.cleaned_data["role"])
    except services.TeamChangeError as error:
        messages.error(request, str(error))
        return team(request, slug=slug, status=409)
    messages.success(
        request,
        _("%(name)s is now %(role)s.") % {"name": membership.user.display_name, "role": membership.get_role_display()},
    )
    return redirect(_team_url(request, organization.slug))


@login_required
@require_POST
def remove_member(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organization = access_managed_organization(request.user, slug=slug)
    membership = access_member(organization, pk=pk)
    try:
        services.remove_member(membership=membership)
    except services.TeamChangeError as error:
        messages.error(request, str(error))
        return team(request, slug=slug, status=409)
    messages.success(
        request,
        _("%(name)s was removed from %(organization)s.")
        % {"name": membership.user.display_name, "organization": organization.display_name},
    )
    return redirect(_team_url(request, organization.slug))


@never_cache
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Open to anyone holding the link; the link itself is the credential.

    Never cached; the site-wide same-origin Referrer-Policy keeps the token in the
    address from reaching other sites (no-referrer would make browsers send
    "Origin: null", which fails the CSRF check of the sign-up form).
    """
    try:
        invitation = services.check_invitation(token)
    except services.InvitationError as error:
        return _invitation_problem(request, error)

    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                services.accept_invitation_as(token=token, user=request.user)
            except services.InvitationError as error:
                return _invitation_problem(request, error)
            messages.success(request, _("Welcome to %(organization)s.") % {"organization": invitation.organization})
            return redirect("portal:learn")
        return render(request, "partners/invitation_join.html", {"invitation": invitation})

    if selectors.user_by_email(invitation.email) is not None:
        error = services.InvitationError("account_exists", services.INVITATION_ERRORS["account_exists"])
        return _invitation_problem(request, error, status=409, offer_login=True)

    form = SignUpFromInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                token=token,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except services.InvitationError as error:
            return _invitation_problem(request, error)
        login(request, user, backend="lms.accounts.backends.PartnerAwareBackend")
        messages.success(request, _("Welcome to %(organization)s.") % {"organization": invitation.organization})
        return redirect("portal:learn")
    status = 400 if request.method == "POST" else 200
    return render(request, "partners/invitation_accept.html", {"invitation": invitation, "form": form}, status=status)


def _invitation_problem(
    request: HttpRequest, error: services.InvitationError, status: int | None = None, offer_login: bool = False
) -> HttpResponse:
    if status is None:
        status = 404 if error.code == "invalid" else 410 if error.code in {"expired", "accepted", "revoked"} else 409
    context = {"message": error.message, "code": error.code, "offer_login": offer_login}
    return render(request, "partners/invitation_problem.html", context, status=status)


def _team_url(request: HttpRequest, slug: str) -> str:
    """Back to the team page; to the dashboard for someone who just stepped down."""
    roles = person_roles(request.user, fresh=True)  # the change may have been to their own role
    if roles.is_site_admin:
        return reverse("partners:team", kwargs={"slug": slug})
    if roles.is_partner_admin and roles.organization.slug == slug:
        return reverse("partners:home")
    return reverse("portal:learn")
