"""Deadline load (issue 17): a locust file (locustfile.py) and the settings its servers run with
(settings.py). The runner is `python -m bench.deadline_load`."""
