"""A reader acknowledges a playbook; a partner admin sees who on the team has.

Each view parses the request, checks access (the service and `access_managed_organization`
raise), calls a service or selector, and responds.
"""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from lms.i18n import local_digits
from lms.partners.permissions import access_managed_organization
from lms.spreadsheets import safe_cell
from playbooks.coverage import team_coverage
from playbooks.models import PlaybookPage
from playbooks.services.acknowledgements import AcknowledgementError, Outcome, acknowledge_playbook

MAX_QUESTIONS = 3


def parse_answers(data) -> dict[int, int]:
    """Fields q1…q3 holding choice numbers; anything else named q… is refused."""
    answers: dict[int, int] = {}
    for name in data:
        if not name.startswith("q"):
            continue
        number, values = name[1:], data.getlist(name)
        if not (number.isascii() and number.isdigit()) or not 1 <= int(number) <= MAX_QUESTIONS:
            raise AcknowledgementError(_("This playbook has no question %(number)s.") % {"number": number[:10]})
        if len(values) != 1 or not (values[0].isascii() and values[0].isdigit()) or len(values[0]) > 2:
            raise AcknowledgementError(
                _("The answer to question %(number)s is not one of its choices.") % {"number": int(number)}
            )
        answers[int(number)] = int(values[0])
    return answers


def parse_version(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 9:
        raise AcknowledgementError(_("The version sent is not a number."))
    return int(value)


def _problem(request: HttpRequest, page: PlaybookPage | None, error: AcknowledgementError) -> HttpResponse:
    context = {"message": error.message, "page": page}
    return render(request, "playbooks/coverage/problem.html", context, status=error.status)


@login_required
@require_POST
def acknowledge(request: HttpRequest, page_pk: int) -> HttpResponse:
    page = PlaybookPage.objects.live().filter(pk=page_pk).first()
    if page is None:
        raise Http404(_("No such playbook."))
    try:
        answers = parse_answers(request.POST)
        version = parse_version(request.POST.get("version"))
        result = acknowledge_playbook(user=request.user, playbook=page, answers=answers, version=version)
    except AcknowledgementError as error:
        return _problem(request, page, error)
    shown = local_digits(result.version)
    if result.outcome == Outcome.RECORDED:
        messages.success(request, _("Thank you: you acknowledged version %(version)s.") % {"version": shown})
    elif result.outcome == Outcome.ALREADY:
        messages.info(request, _("You have already acknowledged version %(version)s.") % {"version": shown})
    elif result.outcome == Outcome.OUTDATED:
        messages.warning(
            request,
            _("This playbook is now at version %(version)s: please read it again, then acknowledge.")
            % {"version": shown},
        )
    else:
        # Named next to the questions, where the redirect lands (the panel reads `wrong`).
        wrong = ",".join(str(number) for number in result.wrong)
        return redirect(f"{page.get_url(request)}?wrong={wrong}#acknowledgement")
    return redirect(f"{page.get_url(request)}#acknowledgement")


CSV_HEADER = ("playbook", "version", "name", "email", "role", "status", "acknowledged_version", "acknowledged_on")


def team_csv_text(playbooks) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for item in playbooks:
        for person in item.people:
            user = person.membership.user
            status = "acknowledged" if person.current else "outdated" if person.outdated else "missing"
            writer.writerow(
                [
                    safe_cell(item.playbook.title),
                    item.playbook.version,
                    safe_cell(user.get_full_name()),
                    safe_cell(user.email),
                    person.membership.role,
                    status,
                    person.latest_version or "",
                    person.latest_at.date().isoformat() if person.latest_at else "",
                ]
            )
    return "\ufeff" + buffer.getvalue()  # the byte-order mark: spreadsheets read Persian right


@login_required
@require_safe
def team(request: HttpRequest, slug: str) -> HttpResponse:
    organization = access_managed_organization(request.user, slug=slug)
    context = {"organization": organization, "playbooks": team_coverage(organization)}
    response = render(request, "playbooks/coverage/team.html", context)
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
@require_safe
def team_export(request: HttpRequest, slug: str) -> HttpResponse:
    organization = access_managed_organization(request.user, slug=slug)
    response = HttpResponse(team_csv_text(team_coverage(organization)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{organization.slug}-acknowledgements.csv"'
    patch_cache_control(response, private=True, no_store=True)
    return response
