from collections.abc import Callable

from django.apps import AppConfig
from django.db.models import Model, Q


class TargetsConfig(AppConfig):
    name = "cadre.targets"
    label = "targets"
    verbose_name = "目标管理"

    def ready(self) -> None:
        from cadre.accounts.access import ScopeSpec, register_scope
        from cadre.accounts.models import Role
        from cadre.targets import models as m
        from cadre.targets import rules  # noqa: F401  (declares the settings)

        book_writers = frozenset({Role.ORG_ADMIN, Role.UNIT_HEAD})
        inspectors = frozenset({Role.ORG_ADMIN, Role.DISCIPLINE})

        def own_task_ids(cadre_id: int) -> object:
            return m.Task.objects.filter(
                Q(owners=cadre_id) | Q(book__owner_cadre_id=cadre_id)
            ).values("pk")

        def own_books(cadre_id: int) -> Q:
            return Q(owner_cadre_id=cadre_id) | Q(
                pk__in=m.Task.objects.filter(owners=cadre_id).values("book_id")
            )

        def own_tasks(prefix: str) -> Callable[[int], Q]:
            return lambda cadre_id: Q(**{f"{prefix}__in": own_task_ids(cadre_id)})

        def own_projects(prefix: str) -> Callable[[int], Q]:
            return lambda cadre_id: Q(
                **{
                    f"{prefix}__in": m.ProjectLink.objects.filter(cadre_id=cadre_id).values(
                        "project_id"
                    )
                }
            )

        def own_attachments(cadre_id: int) -> Q:
            tasks = own_task_ids(cadre_id)
            return (
                Q(progress__task__in=tasks)
                | Q(reconciliation__task__in=tasks)
                | Q(finding__cadre_id=cadre_id)
            )

        register_scope(
            m.TaskBook, ScopeSpec(unit_path="unit__path", cadre=own_books, write_roles=book_writers)
        )
        register_scope(
            m.Task,
            ScopeSpec(
                unit_path="book__unit__path", cadre=own_tasks("pk"), write_roles=book_writers
            ),
        )
        model: type[Model]
        for model in (m.Milestone, m.ProgressUpdate, m.Reconciliation):
            register_scope(
                model,
                ScopeSpec(
                    unit_path="task__book__unit__path",
                    cadre=own_tasks("task"),
                    write_roles=book_writers,
                ),
            )
        register_scope(
            m.Amendment,
            ScopeSpec(
                unit_path="book__unit__path",
                cadre=lambda cid: Q(
                    book__in=m.TaskBook.objects.filter(own_books(cid)).values("pk")
                ),
                write_roles=book_writers,
            ),
        )
        register_scope(m.MidYearReview, ScopeSpec(unit_path="unit__path", write_roles=book_writers))
        register_scope(
            m.ReviewEntry,
            ScopeSpec(
                unit_path="unit__path", cadre="book__owner_cadre_id", write_roles=book_writers
            ),
        )
        register_scope(
            m.KeyProject,
            ScopeSpec(unit_path="unit__path", cadre=own_projects("pk"), write_roles=book_writers),
        )
        for model in (m.ProjectLink, m.ProjectMilestone, m.ProjectVisit, m.ProjectProblem):
            register_scope(
                model,
                ScopeSpec(
                    unit_path="project__unit__path",
                    cadre=own_projects("project"),
                    write_roles=book_writers,
                ),
            )
        register_scope(
            m.SpecialInspection, ScopeSpec(unit_path="unit__path", write_roles=inspectors)
        )
        register_scope(m.InspectionVisit, ScopeSpec(unit_path="unit__path", write_roles=inspectors))
        register_scope(
            m.Finding, ScopeSpec(unit_path="unit__path", cadre="cadre_id", write_roles=inspectors)
        )
        register_scope(
            m.FollowUp,
            ScopeSpec(
                unit_path="finding__unit__path",
                cadre="finding__cadre_id",
                write_roles=inspectors | {Role.UNIT_HEAD},
            ),
        )
        register_scope(
            m.Attachment,
            ScopeSpec(
                unit_path="org_unit__path",
                cadre=own_attachments,
                write_roles=book_writers | inspectors,
            ),
        )

        # What this app provides to others (cadre/core/contracts.py, docs/architecture.md).
        from cadre.core import contracts
        from cadre.targets import evidence, routine

        contracts.provide("worklogs.task_progress", routine.progress_by_cadre, provider="targets")
        contracts.provide(
            "worklogs.inspection_findings", routine.findings_by_cadre, provider="targets"
        )
        contracts.provide(
            "assessments.target_results", evidence.year_results_for_cadres, provider="targets"
        )
