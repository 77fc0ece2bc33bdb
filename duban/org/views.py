"""Organisation pages. Every query starts from `restrict`; outside one's scope is a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from duban.audit.models import Event
from duban.org.access import can
from duban.org.models import LeadingGroup, Membership, Unit, User

PAGE_SIZE = 100


def _search(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()[:50]


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    units = Unit.objects.restrict(request.user, "view")
    query = _search(request)
    if query:
        units = units.filter(
            Q(name__icontains=query) | Q(code__icontains=query) | Q(short_name__icontains=query)
        )
    units = units.annotate(people=Count("memberships", filter=Q(memberships__active=True)))
    page = Paginator(units.order_by("path"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "org/unit_list.html",
        {
            "page": page,
            "q": query,
            "nav": "org",
            "can_manage": can(request.user, "unit", "manage"),
        },
    )


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(
        Unit.objects.restrict(request.user, "view").select_related("parent"), pk=pk
    )
    children = Unit.objects.restrict(request.user, "view").filter(parent=unit)
    memberships = (
        Membership.objects.restrict(request.user, "view")
        .filter(unit=unit, active=True)
        .select_related("user", "scope")
        .order_by("role", "user__username")
    )
    history = Event.objects.restrict(request.user, "view").for_target(unit).select_related("actor")
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "children": children,
            "memberships": memberships,
            "history": history[:50],
            "nav": "org",
            "can_manage": can(request.user, "unit", "manage", unit),
        },
    )


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    people = User.objects.restrict(request.user, "view")
    query = _search(request)
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(username__icontains=query))
    page = Paginator(people.order_by("username"), PAGE_SIZE).get_page(request.GET.get("page"))
    membership_rows = (
        Membership.objects.active().filter(user__in=[p.pk for p in page]).select_related("unit")
    )
    roles: dict[int, list[Membership]] = {}
    for membership in membership_rows:
        roles.setdefault(membership.user_id, []).append(membership)
    for person in page:
        person.role_list = roles.get(person.pk, [])
    return render(request, "org/person_list.html", {"page": page, "q": query, "nav": "org"})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User.objects.restrict(request.user, "view"), pk=pk)
    memberships = person.memberships.select_related("unit", "scope").order_by(
        "-active", "unit__path"
    )
    return render(
        request,
        "org/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "nav": "org",
        },
    )


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    groups = (
        LeadingGroup.objects.restrict(request.user, "view")
        .select_related("office_unit")
        .annotate(member_count=Count("members"))
    )
    return render(request, "org/group_list.html", {"groups": groups, "nav": "groups"})


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(
        LeadingGroup.objects.restrict(request.user, "view").select_related("office_unit"), pk=pk
    )
    members = group.members.select_related("unit")
    history = Event.objects.for_target(group).select_related("actor", "unit")[:100]
    return render(
        request,
        "org/group_detail.html",
        {
            "group": group,
            "members": members,
            "history": history,
            "nav": "groups",
            "can_manage": can(request.user, "group", "manage", group.office_unit),
        },
    )
