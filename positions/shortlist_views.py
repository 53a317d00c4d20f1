"""The shortlist's pages: star and unstar, the list with notes, the comparison, the link to
send oneself and its calendar. State is in signed cookies (positions/shortlist.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from . import shortlist as sl
from .feeds import calendar_response
from .models import Position
from .selectors import country_name
from .serializers import absolute_url, stipend_text
from .templatetags import positions_tags as tags

NO_STORE = {"private": True, "no_cache": True, "max_age": 0}


def _redirect(url: str) -> HttpResponse:
    return HttpResponseRedirect(url, status=303)


def _next_url(request: HttpRequest, fallback: str) -> str:
    """Where a form sends the visitor back to: a path on this site, never elsewhere."""
    for candidate in (request.POST.get("next", ""), request.headers.get("Referer", "")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate.split("#", 1)[0]
    return fallback


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "positions/shortlist_error.html",
        {
            "page_title": "Not from this site",
            "message": "This request did not come from this "
            "site's own pages, so the shortlist was left unchanged.",
        },
        status=403,
    )


def _posted_id(request: HttpRequest, name: str) -> int | None:
    ids = sl.clean_ids([request.POST.get(name, "")])
    return ids[0] if ids else None


@csrf_exempt  # cached pages carry the star: checked by sl.same_origin instead
@require_POST
def star(request: HttpRequest) -> HttpResponse:
    if not sl.same_origin(request):
        return _forbidden(request)
    shortlist = sl.Shortlist.from_request(request)
    added, removed = _posted_id(request, "add"), _posted_id(request, "remove")
    fits = True
    if added is not None:
        fits = shortlist.add(added)
    elif removed is not None:
        shortlist.remove(removed)
    wants_json = request.headers.get("X-Requested-With") == "fetch"
    if not fits:
        if wants_json:
            return JsonResponse({"error": "full", "limit": sl.MAX_POSITIONS}, status=409)
        return _redirect(reverse("shortlist") + "?full=1")
    position_id = added if added is not None else removed
    response: HttpResponse
    if wants_json:
        response = JsonResponse(
            {"id": position_id, "starred": added is not None, "count": len(shortlist.ids)}
        )
    else:
        target = _next_url(request, reverse("shortlist"))
        response = _redirect(target + (f"#star-{position_id}" if position_id else ""))
    shortlist.save(response)
    return response


@csrf_exempt
@require_POST
def note(request: HttpRequest) -> HttpResponse:
    if not sl.same_origin(request):
        return _forbidden(request)
    shortlist = sl.Shortlist.from_request(request)
    position_id = _posted_id(request, "position")
    text = request.POST.get("note", "")
    if position_id is None or position_id not in shortlist.ids:
        return _redirect(reverse("shortlist"))
    try:
        shortlist.set_note(position_id, text)
    except sl.NotesFull:
        # Keep what was typed: the page comes back with it and says why it was not saved.
        return _shortlist_page(request, shortlist, note_error=(position_id, text[: sl.NOTE_LENGTH]))
    response = _redirect(reverse("shortlist") + f"?saved={position_id}#entry-{position_id}")
    shortlist.save(response)
    return response


@csrf_exempt
@require_POST
def import_shared(request: HttpRequest) -> HttpResponse:
    if not sl.same_origin(request):
        return _forbidden(request)
    ids = sl.read_share_token(request.POST.get("token", ""))
    if ids is None:
        return _redirect(reverse("shortlist"))
    shortlist = sl.Shortlist.from_request(request)
    existing = sl.positions_by_ids(ids)
    added = 0
    for pk in ids:
        if pk in existing and pk not in shortlist.ids and shortlist.add(pk):
            added += 1
    left_out = sum(1 for pk in ids if pk in existing and pk not in shortlist.ids)
    response = _redirect(reverse("shortlist") + f"?imported={added}&left_out={left_out}")
    shortlist.save(response)
    return response


@require_safe
@cache_control(**NO_STORE)
def shortlist_page(request: HttpRequest) -> HttpResponse:
    return _shortlist_page(request, sl.Shortlist.from_request(request))


def _count_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 4 else None


def _shortlist_page(
    request: HttpRequest, shortlist: sl.Shortlist, note_error: tuple[int, str] | None = None
) -> HttpResponse:
    positions = sl.positions_by_ids(shortlist.ids)
    gone = shortlist.keep_only(positions)
    listed = sl.entries(shortlist.ids, positions, shortlist.notes)
    token = sl.share_token(shortlist.ids) if shortlist.ids else ""
    context: dict[str, Any] = {
        "page_title": "My shortlist",
        "entries": listed,
        "gone": gone,
        "full": request.GET.get("full") == "1",
        "limit": sl.MAX_POSITIONS,
        "note_length": sl.NOTE_LENGTH,
        "compare_max": sl.COMPARE_MAX,
        "saved": sl.clean_ids([request.GET.get("saved", "")]),
        "imported": _count_param(request, "imported"),
        "left_out": _count_param(request, "left_out"),
        "note_error": note_error,
        "shortlist_token": token,
        **_share_links(token),
    }
    response = render(request, "positions/shortlist.html", context)
    if gone:
        shortlist.save(response)
    response.headers.setdefault("X-Robots-Tag", "noindex")
    return response


def _share_links(token: str) -> dict[str, str]:
    if not token:
        return {}
    share_url = absolute_url(reverse("shortlist_shared", args=[token]))
    calendar_url = absolute_url(reverse("shortlist_calendar", args=[token]))
    body = f"My PhD shortlist on {settings.SITE_NAME}:\n{share_url}\n"
    return {
        "share_url": share_url,
        "calendar_url": calendar_url,
        "webcal_url": "webcal://" + calendar_url.split("://", 1)[-1],
        "mailto_url": f"mailto:?subject={quote('My PhD shortlist')}&body={quote(body)}",
    }


@require_safe
@cache_control(private=True, max_age=300)
def shared(request: HttpRequest, token: str) -> HttpResponse:
    ids = sl.read_share_token(token)
    if ids is None:
        return _bad_link(request)
    positions = sl.positions_by_ids(ids)
    context = {
        "page_title": "A shared shortlist",
        "entries": sl.entries(ids, positions, {}),
        "gone": sum(1 for pk in ids if pk not in positions),
        "token": token,
        "compare_max": sl.COMPARE_MAX,
        "calendar_url": absolute_url(reverse("shortlist_calendar", args=[token])),
    }
    response = render(request, "positions/shortlist_shared.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


def _bad_link(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "positions/shortlist_error.html",
        {
            "page_title": "This shortlist link does not work",
            "message": "The link is incomplete, "
            "was changed, or has expired. Ask for it again, or start your own shortlist by "
            "starring positions.",
        },
        status=404,
    )


@require_safe
@cache_control(private=True, max_age=600)
def shared_calendar(request: HttpRequest, token: str) -> HttpResponse:
    ids = sl.read_share_token(token)
    if ids is None:
        return HttpResponse(
            "Not a shortlist link.\n", status=404, content_type="text/plain; charset=utf-8"
        )
    positions = sl.positions_by_ids(ids)
    listed = [entry.position for entry in sl.entries(ids, positions, {})]
    return calendar_response(
        listed, filename="phd-shortlist.ics", calendar_name=f"{settings.SITE_NAME}: my shortlist"
    )


def _compare_rows(columns: list[sl.Entry]) -> list[tuple[str, list[str]]]:
    """Each fact the comparison shows, one value per position (plain text: escaped later)."""

    def duration(position: Position) -> str:
        months = position.duration_months
        if not months:
            return "Not stated"
        return f"{months} months" + (f" ({months // 12} years)" if months % 12 == 0 else "")

    def start(position: Position) -> str:
        if position.start_date:
            return f"{position.start_date:%B %Y}"
        return position.start_text or "Not stated"

    def deadline(position: Position) -> str:
        if not position.deadline:
            return tags.deadline_text(position)
        time = f" at {position.deadline_time:%H:%M}" if position.deadline_time else ""
        zone = f" {position.deadline_timezone}" if time and position.deadline_timezone else ""
        rolling = ", then open until filled" if position.deadline_kind == "rolling" else ""
        return f"{position.deadline:%-d %B %Y}{time}{zone}{rolling}"

    facts: list[tuple[str, Any]] = [
        ("Deadline", deadline),
        ("Funding", lambda p: tags.funding_label(p)),
        ("Stipend or salary", lambda p: stipend_text(p) or "Not stated"),
        ("Duration", duration),
        ("Funded for", lambda p: tags.funded_for_text(p)),
        ("Who may apply", lambda p: tags.open_to_text(p) or "Not stated"),
        ("Start", start),
        ("Supervisors", lambda p: ", ".join(p.supervisors) or "Not stated"),
        ("Institution", lambda p: ", ".join(x for x in (p.institution_name, p.department) if x)),
        ("Country", lambda p: country_name(p.country) if p.country else "Not stated"),
        ("Contract", lambda p: p.get_contract_display()),
    ]
    rows = [(label, [fact(entry.position) for entry in columns]) for label, fact in facts]
    rows.insert(1, ("Days left", [entry.days_text for entry in columns]))
    return rows


@require_safe
@cache_control(public=True, max_age=60)
def compare(request: HttpRequest) -> HttpResponse:
    asked = sl.clean_ids(request.GET.getlist("id"), limit=50)
    chosen = asked[: sl.COMPARE_MAX]
    positions = sl.positions_by_ids(chosen)
    today = timezone.localdate()
    columns = [entry for pk in chosen for entry in sl.entries([pk], positions, {}, today)]
    context = {
        "page_title": "Compare positions",
        "columns": columns,
        "rows": _compare_rows(columns),
        "too_many": len(asked) > sl.COMPARE_MAX,
        "compare_max": sl.COMPARE_MAX,
        "gone": len([pk for pk in chosen if pk not in positions]),
    }
    response = render(request, "positions/shortlist_compare.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
