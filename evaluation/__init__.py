"""达标评估 / 督导: the scorecard of every school against the policy's indicators (issue 16).

The core (`indicators`, `types`, `registry`, `figures`, the pages and exports) reads the
platform's own data through tracking's rules; `evaluation.rounds` (facilities, organisation,
district duties, evaluation rounds) plugs its figures and each school's status in through
`registry` — the core never imports it.
"""
