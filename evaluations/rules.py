"""Who may do what with an evaluation. Deny by default.

Object-level permissions take the evaluation as object, except
"evaluations.open_evaluation" which takes the series.
"""

import rules

from accounts.rules import is_admin
from meetings.rules import is_series_coordinator
from meetings.selectors import coordinated_series_ids, participating_series_ids

from .selectors import referent_operator_ids


@rules.predicate
def coordinates_evaluation(user, evaluation):
    return evaluation is not None and evaluation.series_id in coordinated_series_ids(user)


@rules.predicate
def takes_part_in_evaluation(user, evaluation):
    return evaluation is not None and evaluation.series_id in participating_series_ids(user)


@rules.predicate
def is_evaluation_referent(user, evaluation):
    """A referent of an operator taking part in the evaluated series now."""
    return evaluation is not None and bool(referent_operator_ids(user, evaluation.series_id))


rules.add_perm("evaluations.open_evaluation", is_admin | is_series_coordinator)
rules.add_perm("evaluations.view_evaluation", is_admin | coordinates_evaluation | takes_part_in_evaluation)
# Build the questionnaire, move the evaluation between states, finalise.
rules.add_perm("evaluations.manage_evaluation", is_admin | coordinates_evaluation)
rules.add_perm("evaluations.answer_evaluation", is_evaluation_referent)
rules.add_perm("evaluations.write_report", is_admin | coordinates_evaluation | is_evaluation_referent)
rules.add_perm("evaluations.approve_report", is_evaluation_referent)
# The exports carry every operator's answers: admins and the series' coordinators only.
rules.add_perm("evaluations.export_evaluation", is_admin | coordinates_evaluation)
