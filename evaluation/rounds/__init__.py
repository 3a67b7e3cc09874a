"""达标 / 示范 evaluation rounds, facilities and organisation (设施与组织), district duties.

A separate Django app (label ``evaluation_rounds``) beside the evaluation core: the core never
imports it; it plugs its figures and each school's status into the scorecard through
``evaluation.registry`` from ``RoundsConfig.ready``. docs/evaluation.md, "Rounds, facilities
and district duties".
"""
