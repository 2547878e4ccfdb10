"""THE scoping module: the only code that reads Grant to decide what a user may see.

Every scoped model registers how it reaches an org unit (and, for the cadre's own view,
how it reaches a cadre). Every list, page, API call, export and search filters through
`scope()`; single objects come through `get_object_for_user()`, which answers 404 both
for a missing and for an out-of-scope object so that existence never leaks.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest

from cadre.accounts.models import REGISTRY_WRITE_ROLES, Role, User

M = TypeVar("M", bound=Model)

if TYPE_CHECKING:
    from django.db.models.manager import BaseManager


@dataclass(frozen=True)
class ScopeSpec:
    unit_path: str  # lookup to OrgUnit.path, e.g. "org_unit__path"
    # How a cadre reaches their own records: a lookup to the Cadre id, or a function
    # of the cadre id giving a Q (for reverse relations, to avoid duplicate rows).
    cadre: str | Callable[[int], Q] | None = None
    roles: frozenset[str] | None = None  # roles allowed to read; None = every role
    write_roles: frozenset[str] = REGISTRY_WRITE_ROLES


SCOPES: dict[type[Model], ScopeSpec] = {}


def register_scope(model: type[Model], spec: ScopeSpec) -> None:
    SCOPES[model] = spec


@dataclass(frozen=True)
class UserScope:
    grants: tuple[tuple[str, str], ...]  # (role, unit path)
    cadre_id: int | None
    superuser: bool

    def roles(self) -> set[str]:
        return {role for role, _ in self.grants}


def user_scope(user: Any) -> UserScope:
    """The user's grants, read once per request (cached on the request's user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return UserScope((), None, False)
    cached = getattr(user, "_cadre_scope", None)
    if cached is None:
        from cadre.accounts.models import Grant

        rows = Grant.objects.active().filter(user=user).values_list("role", "org_unit__path")
        cached = UserScope(tuple(rows), user.cadre_id, user.is_superuser)
        user._cadre_scope = cached
    return cached


def scope(qs: QuerySet[M], user: Any, *, write: bool = False) -> QuerySet[M]:
    spec = SCOPES[qs.model]
    us = user_scope(user)
    if us.superuser:
        return qs
    allowed = spec.write_roles if write else spec.roles
    condition = Q(pk__in=[])
    for role, path in us.grants:
        if allowed is None or role in allowed:
            condition |= Q(**{f"{spec.unit_path}__startswith": path})
    if not write and spec.cadre and us.cadre_id:
        own = spec.cadre(us.cadre_id) if callable(spec.cadre) else Q(**{spec.cadre: us.cadre_id})
        condition |= own
    return qs.filter(condition)


def catalogue(qs: QuerySet[M], user: Any, *, write: bool = False) -> QuerySet[M]:
    """Rows that are not about a person (topics, programmes): every signed-in staff member or
    cadre reads them; org_admin writes them."""
    if write:
        return qs if has_role(user, "org_admin") else qs.none()
    us = user_scope(user)
    return qs if us.superuser or us.grants or us.cadre_id else qs.none()


def get_object_for_user(
    qs: "QuerySet[M, Any] | BaseManager[M]",
    user: Any,
    pk: Any,
    *,
    write: bool = False,
    request: Any = None,
) -> M:
    """Returns the object or raises 404; an out-of-scope attempt is written to the audit log."""
    queryset = qs.all()  # a manager or a queryset: the same rows, as a QuerySet
    try:
        return scope(queryset, user, write=write).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):  # .get() raises model.DoesNotExist
        pass
    if _is_int(pk) and queryset.filter(pk=pk).exists():
        from cadre.core.providers import record_event  # audit sits above accounts

        record_event(
            actor=user,
            action="authz_denied",
            object_type=qs.model._meta.label_lower,
            object_id=pk,
            request=request,
        )
    raise Http404("未找到该记录")


def _is_int(value: Any) -> bool:
    try:
        int(value)
    except (TypeError, ValueError):
        return False
    return True


def has_role(user: Any, *roles: str) -> bool:
    us = user_scope(user)
    return us.superuser or bool(us.roles() & set(roles))


def is_staff(user: Any) -> bool:
    us = user_scope(user)
    return us.superuser or bool(us.grants)


NO_ROLE = "您的角色无权访问此功能"


def require_role(user: Any, *roles: str) -> None:
    """Vertical check for role-only pages: 403 is fine here, the page is not an object."""
    from django.core.exceptions import PermissionDenied

    if not has_role(user, *roles):
        raise PermissionDenied(NO_ROLE)


def require_staff(user: Any, message: str = NO_ROLE) -> None:
    """Vertical check for staff pages and endpoints (any grant, or a superuser): 403."""
    from django.core.exceptions import PermissionDenied

    if not is_staff(user):
        raise PermissionDenied(message)


# --- what the apps ask about a user's grants (nothing else reads them; see
# tests/test_conventions.py). A path is an OrgUnit.path ("/1/4/"): a grant on a unit covers
# the unit and everything under it.


def is_superuser(user: Any) -> bool:
    return user_scope(user).superuser


def own_cadre_id(user: Any) -> int | None:
    """The cadre record the signed-in user is (None for staff without one, or anonymous)."""
    return user_scope(user).cadre_id


def roles_of(user: Any, *, superuser_as: Iterable[str] = ()) -> set[str]:
    """The roles the user holds anywhere. A superuser holds no grant: `superuser_as` names the
    roles a superuser acts in for the caller's rule."""
    us = user_scope(user)
    return set(superuser_as) if us.superuser else us.roles()


def grants_of(user: Any) -> tuple[tuple[str, str], ...]:
    """(role, unit path) of every active grant: for display, and for a pure rule that decides
    over grants (e.g. targets.rules.may_approve)."""
    return user_scope(user).grants


def grant_paths(user: Any, *roles: str) -> list[str]:
    """The unit paths of the user's grants of `roles` (of every role when none is given).
    A superuser has none: callers that mean "everywhere" check `is_superuser` first."""
    return [path for role, path in user_scope(user).grants if not roles or role in roles]


def covers(
    user: Any, path: str, roles: Iterable[str] | None = None, *, strictly_above: bool = False
) -> bool:
    """A superuser, or a grant of one of `roles` (any role when None) on the unit at `path` or
    above it (only above it with `strictly_above`)."""
    us = user_scope(user)
    if us.superuser:
        return True
    wanted = None if roles is None else set(roles)
    return any(
        (wanted is None or role in wanted)
        and path.startswith(p)
        and not (strictly_above and path == p)
        for role, p in us.grants
    )


def roles_over(user: Any, path: str) -> set[str]:
    """The roles the user holds on the unit at `path` or above it (a superuser: none)."""
    return {role for role, p in user_scope(user).grants if path.startswith(p)}


def holds_root_grant(user: Any, role: str) -> bool:
    """A superuser, or `role` on a root unit: for what applies everywhere (rule settings,
    the working-day calendar)."""
    us = user_scope(user)
    return us.superuser or any(r == role and p.count("/") == 2 for r, p in us.grants)


AUDIT_SUBJECTS = ("cadres.cadre", "orgs.orgunit")  # events about these records of a subtree


def audit_trail_filter(user: Any) -> Q | None:
    """Which audit events an auditor may read (TRUST.md G-LG1, LG-07). None means all.

    Only the `auditor` role reads the trail; a superuser or org_admin does not (separation of
    duties, 三员分立). An auditor granted on a root unit reads every event, including the
    ones without a known actor (failed logins of unknown accounts). An auditor granted lower
    down reads the events whose actor holds (or held) a grant in the subtree or is a cadre of
    it, and the events about a cadre or a unit of the subtree.
    """
    from django.db.models import CharField, Exists, OuterRef
    from django.db.models.functions import Cast

    from cadre.accounts.models import Grant

    # The cadres and units of a subtree are found through the scopes their app registered
    # (cadres/apps.py): accounts imports no app above it (docs/architecture.md).
    subjects = [
        (model._meta.label_lower, model, spec)
        for model, spec in SCOPES.items()
        if model._meta.label_lower in AUDIT_SUBJECTS
    ]
    paths = [path for role, path in user_scope(user).grants if role == Role.AUDITOR]
    if any(path.count("/") == 2 for path in paths):  # "/<id>/": a root unit
        return None
    condition = Q(pk__in=[])
    for path in paths:
        actor_grant = Grant.objects.filter(
            user_id=OuterRef("actor_id"), org_unit__path__startswith=path
        )
        condition |= Q(Exists(actor_grant)) | Q(actor__cadre__org_unit__path__startswith=path)
        for label, model, spec in subjects:
            ids = model._default_manager.filter(**{f"{spec.unit_path}__startswith": path})
            condition |= Q(
                object_type=label, object_id__in=ids.values(as_text=Cast("pk", CharField()))
            )
    return condition


def can_edit_rules(user: Any) -> bool:
    """Rule settings apply everywhere: only a superuser or an org_admin of a root unit."""
    return holds_root_grant(user, Role.ORG_ADMIN)


def can_read_audit(user: Any) -> bool:
    return Role.AUDITOR in user_scope(user).roles()


STAFF_ROLES = frozenset({Role.ORG_ADMIN, Role.DISCIPLINE, Role.UNIT_HEAD, Role.AUDITOR})


def acting_user(request: HttpRequest) -> User:
    """The signed-in user acting in this request. No anonymous request reaches a page
    (LoginRequiredMiddleware) or an endpoint (the API's TokenAuth/SessionAuth)."""
    user = request.user
    assert user.is_authenticated, "pages and endpoints are behind authentication"
    return user
