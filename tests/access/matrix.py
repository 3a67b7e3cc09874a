"""THE ACCESS MATRIX (issue 9): for every URL pattern of the site, the status each of ten roles
gets, with an id from inside and from outside their scope. docs/access-matrix.md explains it.

Reading a row: `name  method  ids  anonymous teacher psy head parent school district city editor superuser`

- `name` is the URL name (namespace:name); `method` the one request made (GET, or POST for
  views that only accept POST; the POST carries no form data, so it can change nothing).
- `ids` names the pair of records in tests/access/world.py (`-` for a URL without ids). The
  world's "inside" record belongs to school A1 / district A — the scope of the school and
  district coordinators — and, for teachers, is their own (the teacher's claim, certificate and
  enrolment; the class the psychology and head teacher teach). The "outside" record is in school
  B1 / district B, another teacher's, or a forged id.
- A cell is the status for both records, or `inside|outside` when they differ. `login` is a
  redirect to a login page, `302` / `303` any other redirect, as the view sends it (a form view's "done" or error message).

Adding a URL: add its row here (and, if it carries a new kind of id, the pair in world.py).
A URL with no row fails the test. Wagtail's admin is one group (ADMIN, below): every admin
URL keeps out anonymous users and every role without admin access.
"""

from __future__ import annotations

from dataclasses import dataclass

from .world import ROLES

TABLE = """
# name                                  method ids              anonymous teacher psy     head    parent  school  district city    editor  superuser
# --- the teacher's own pages ----------------------------------------------------------------------------------------------------------------------
start                                   GET    -                login   200     200     200     200     200     200     200     200     200
accounts:profile                        GET    -                login   200     200     200     200     200     200     200     200     200
tracking:dashboard                      GET    -                login   200     200     200     200     200     200     200     200     200
notices:list                            GET    -                login   200     200     200     200     200     200     200     200     200
notices:mark_read                       POST   -                login   302     302     302     302     302     302     302     302     302
delivery:my_classes                     GET    -                login   200     200     200     200     200     200     200     200     200
delivery:log_start                      GET    -                login   302     302     302     302     302     302     302     302     302
delivery:history                        GET    -                login   200     200     200     200     200     200     200     200     200
delivery:withdraw                       POST   activity         login   404     303|404 404     404     404     404     404     404     404
delivery:log                            GET    class_id         login   404     200|404 200|404 404     404     404     404     404     404
delivery:visits                         GET    class_id         login   404     404     200|404 404     404     404     404     404     404
ledger:my_claims                        GET    -                login   200     200     200     403     403     403     403     403     403
ledger:claim_file                       GET    claim            login   200|404 404     404     404     200|404 200|404 200     404     200
ledger:checkin                          GET    checkin          login   200|404 200|404 200|404 200|404 200|404 200|404 200|404 200|404 200|404
# --- the resource library and search (anyone searches; files for teachers, coordinators and editors) ------------------------------------------
search:search                           GET    -                200     200     200     200     200     200     200     200     200     200
search:suggest                          GET    -                200     200     200     200     200     200     200     200     200     200
resources:my_downloads                  GET    -                login   200     200     200     200     200     200     200     200     200
resources:download                      GET    resource_file    login   200|404 200|404 200|404 403|404 200|404 200|404 200|404 200|404 200|404
# --- courses ---------------------------------------------------------------------------------------------------------------------------------------
courses:enrol                           POST   course_id        login   302|404 302|404 302|404 302|404 302|404 302|404 302|404 302|404 302|404
courses:finish_lesson                   POST   lesson_id        login   302|404 302|404 302|404 302|404 302|404 302|404 302|404 302|404 302|404
courses:lesson_progress                 POST   lesson_id        login   400|404 404     404     404     404     404     404     404     404
courses:submit_quiz                     POST   -                login   302     302     302     302     302     302     302     302     302
courses:certificate                     GET    certificate      login   200|404 404     404     404     200|404 200|404 200     404     200
courses:verify                          GET    verify           200|404 200|404 200|404 200|404 200|404 200|404 200|404 200|404 200|404 200|404
courses:assign                          GET    course_id        login   404     404     404     404     200|404 200|404 200|404 404     200|404
courses:enrolments                      GET    course_id        login   404     404     404     404     200|404 200|404 200|404 404     200|404
courses:grant_attempts                  GET    enrolment_id     login   404     404     404     404     200|404 200|404 200     404     200
courses:not_started                     GET    -                login   404     404     404     404     200     200     200     404     200
# --- H5P (the player, its files and the xAPI endpoint) ---------------------------------------------------------------------------------------------
courses:h5p_activity                    GET    h5p_content      login   204|404 204|404 204|404 204|404 204|404 204|404 204|404 204|404 204|404
courses:h5p_play                        GET    h5p_content      login   404     404     404     404     404     404     404     200|404 200|404
courses:h5p_library                     GET    h5p_library      login   200|404 200|404 200|404 200|404 200|404 200|404 200|404 200|404 200|404
courses:h5p_file                        GET    h5p_grant_file   404     200|404 404     404     404     404     404     404     404     404
courses:h5p_state                       GET    h5p_grant        404     200|404 404     404     404     404     404     404     404     404
courses:h5p_statement                   POST   h5p_grant        404     400|404 404     404     404     404     404     404     404     404
# --- coordinators: hours ledger --------------------------------------------------------------------------------------------------------------------
manage:index                            GET    -                login   403     403     403     403     200     200     200     403     200
ledger:manage                           GET    -                login   403     403     403     403     200     200     200     403     200
ledger:session_list                     GET    -                login   403     403     403     403     200     200     200     403     200
ledger:session_create                   GET    -                login   403     403     403     403     200     200     200     403     200
ledger:session_detail                   GET    session          login   403     403     403     403     200|404 200|404 200     403     200
ledger:session_qr                       GET    session          login   403     403     403     403     200|404 200|404 200     403     200
ledger:session_projector                GET    session          login   403     403     403     403     200|404 200|404 200     403     200
ledger:session_template                 GET    session          login   403     403     403     403     200|404 200|404 200     403     200
ledger:session_import                   POST   session          login   403     403     403     403     302|404 302|404 302     403     302
ledger:import_preview                   GET    batch            login   403     403     403     403     200|404 200|404 200     403     200
ledger:import_progress                  GET    batch            login   403     403     403     403     200|404 200|404 200     403     200
ledger:manage_claims                    GET    -                login   403     403     403     403     200     200     200     403     200
ledger:claim_decide                     POST   claim            login   403     403     403     403     302|404 302|404 302     403     302
ledger:claims_bulk_approve              POST   -                login   403     403     403     403     303     303     303     403     303
ledger:teacher_ledger                   GET    teacher          login   403     403     403     403     200|404 200|404 200     403     200
ledger:targets                          GET    -                login   403     403     403     403     403     403     200     403     200
ledger:audit_log                        GET    -                login   403     403     403     403     200     200     200     403     200
ledger:behind                           GET    -                login   403     403     403     403     200     200     200     403     200
# --- coordinators: class delivery ------------------------------------------------------------------------------------------------------------------
delivery:manage_classes                 GET    -                login   403     403     403     403     200     200     200     403     200
delivery:manage_class                   GET    class_id         login   403     403     403     403     200|404 200|404 200     403     200
delivery:manage_activity_edit           GET    activity         login   403     403     403     403     200|404 200|404 200     403     200
delivery:manage_activity_void           POST   activity         login   403     403     403     403     302|404 302|404 302     403     302
delivery:manage_schools                 GET    -                login   403     403     403     403     200     200     200     403     200
delivery:manage_lectures                GET    school_id        login   403     403     403     403     200|404 200|404 200     403     200
delivery:manage_lecture_void            POST   lecture          login   403     403     403     403     302|404 302|404 302     403     302
# --- coordinators: reports and exports (an export belongs to whoever asked for it: inside = the school coordinator's, outside = the city's;
#     its download also needs the signed token bound to that user, so without one it is 404 for everyone) -----------------------------------------
reports:index                           GET    -                login   403     403     403     403     200     200     200     403     200
reports:completion                      GET    -                login   403     403     403     403     200     200     200     403     200
reports:completion_chart                GET    -                login   403     403     403     403     200     200     200     403     200
reports:delivery                        GET    -                login   403     403     403     403     200     200     200     403     200
reports:delivery_chart                  GET    -                login   403     403     403     403     200     200     200     403     200
reports:parents                         GET    -                login   403     403     403     403     200     200     200     403     200
reports:parents_chart                   GET    -                login   403     403     403     403     200     200     200     403     200
reports:staffing                        GET    -                login   403     403     403     403     200     200     200     403     200
reports:staffing_chart                  GET    -                login   403     403     403     403     200     200     200     403     200
reports:resources                       GET    -                login   403     403     403     403     200     200     200     403     200
reports:resources_chart                 GET    -                login   403     403     403     403     200     200     200     403     200
reports:teacher                         GET    report_teacher   login   403     403     403     403     200|404 200|404 200     403     200
reports:export                          GET    report_key       login   403     403     403     403     200|404 200|404 200|404 403     200|404
reports:export_job                      GET    job              login   403     403     403     403     200|404 404     404|200 403     404
reports:export_progress                 GET    job              login   403     403     403     403     200|404 404     404|200 403     404
reports:export_download                 GET    job              login   403     403     403     403     404     404     404     403     404
# --- evaluation scorecards (issue 16): coordinators only, each in their scope ----------------------------------------------------------------------
evaluation:index                        GET    -                login   403     403     403     403     302     302     302     403     302
evaluation:schools                      GET    -                login   403     403     403     403     200     200     200     403     200
evaluation:school                       GET    school_id        login   403     403     403     403     200|404 200|404 200     403     200
evaluation:school_pdf                   GET    school_id        login   403     403     403     403     200|404 200|404 200     403     200
evaluation:district                     GET    district_id      login   403     403     403     403     404     200|404 200     403     200
evaluation:district_xlsx                GET    district_id      login   403     403     403     403     404     200|404 200     403     200
# --- parents, campaigns (issue 14) -----------------------------------------------------------------------------------------------------------------
family:signup                           GET    -                200     302     302     302     302     302     302     302     302     302
family:privacy                          GET    -                200     200     200     200     200     200     200     200     200     200
family:delete                           GET    -                login   403     403     403     200     403     403     403     403     403
family:join_codes                       GET    -                login   403     403     403     403     200     200     200     403     200
family:join_code                        GET    join_code        login   403     403     403     403     200|404 200|404 200     403     200
family:join_code_qr                     GET    join_code        login   403     403     403     403     200|404 200|404 200     403     200
family:revoke_join_code                 POST   join_code        login   403     403     403     403     302|404 302|404 302     403     302
campaigns:activities                    GET    -                login   403     403     403     403     200     200     200     403     200
campaigns:activity_photo                GET    campaign_activity login  403     403     403     403     404     404     404     403     404
# --- evaluation rounds, facilities and organisation, district duties (issue 16, evaluation.rounds) ----------------------------------------------------
evaluation_rounds:facilities            GET    -                login   403     403     403     403     200     200     200     403     200
evaluation_rounds:facility              GET    facility         login   403     403     403     403     200|404 200|404 200     403     200
evaluation_rounds:facility_evidence     GET    facility         login   403     403     403     403     200|404 200|404 200     403     200
evaluation_rounds:duties                GET    -                login   403     403     403     403     403     200     200     403     200
evaluation_rounds:duty_staff            GET    district_id      login   403     403     403     403     403     200|404 200     403     200
evaluation_rounds:duty_staff_end        GET    district_staff   login   403     403     403     403     403     200|404 200     403     200
evaluation_rounds:rounds                GET    -                login   403     403     403     403     200     200     200     403     200
evaluation_rounds:round_create          GET    -                login   403     403     403     403     403     403     200     403     200
evaluation_rounds:round                 GET    round            login   403     403     403     403     200|404 200|404 200|404 403     200|404
evaluation_rounds:round_edit            GET    round            login   403     403     403     403     403     403     200|404 403     200|404
evaluation_rounds:round_close           GET    round            login   403     403     403     403     403     403     200|404 403     200|404
evaluation_rounds:application           GET    application      login   403     403     403     403     200|404 200|404 200|404 403     200|404
# --- allauth: the logged-in user's own account (no ids of others) ----------------------------------------------------------------------------------
account_login                           GET    -                200     302     302     302     302     302     302     302     302     302
account_logout                          GET    -                302     200     200     200     200     200     200     200     200     200
account_inactive                        GET    -                200     200     200     200     200     200     200     200     200     200
account_signup                          GET    -                200     302     302     302     302     302     302     302     302     302
account_reauthenticate                  GET    -                login   200     200     200     200     200     200     200     200     200
account_request_reauthentication_code   GET    -                login   302     302     302     302     302     302     302     302     302
account_confirm_reauthentication_code   GET    -                login   302     302     302     302     302     302     302     302     302
account_email                           GET    -                login   200     200     200     200     200     200     200     200     200
account_email_verification_sent         GET    -                200     200     200     200     200     200     200     200     200     200
account_change_password                 GET    -                login   200     200     200     200     200     200     200     200     200
account_set_password                    GET    -                login   302     302     302     302     302     302     302     302     302
account_reset_password                  GET    -                200     200     200     200     200     200     200     200     200     200
account_reset_password_done             GET    -                200     200     200     200     200     200     200     200     200     200
account_reset_password_from_key_done    GET    -                200     200     200     200     200     200     200     200     200     200
account_reset_password_from_key         GET    reset_key        200     200     200     200     200     200     200     200     200     200
account_confirm_login_code              GET    -                login   302     302     302     302     302     302     302     302     302
account_confirm_email                   GET    email_key        200     200     200     200     200     200     200     200     200     200
mfa_index                               GET    -                login   200     200     200     200     200     200     200     200     200
mfa_authenticate                        GET    -                login   302     302     302     302     302     302     302     302     302
mfa_reauthenticate                      GET    -                login   302     302     302     302     200     200     200     200     200
mfa_activate_totp                       GET    -                login   200     200     200     200     302     302     302     302     302
mfa_deactivate_totp                     GET    -                login   404     404     404     404     200     200     200     200     200
mfa_view_recovery_codes                 GET    -                login   404     404     404     404     404     404     404     404     404
mfa_generate_recovery_codes             GET    -                login   200     200     200     200     200     200     200     200     200
mfa_download_recovery_codes             GET    -                login   404     404     404     404     404     404     404     404     404
# --- public site, Wagtail's front end, the rest ---------------------------------------------------------------------------------------------------
wagtail_serve                           GET    page_path        200|404 200|404 200|404 200|404 200|404 200|404 200|404 200|404 200|404 200|404
wagtailcore_login                       GET    -                login   login   login   login   login   login   login   login   login   login
wagtailcore_authenticate_with_password  GET    page_restriction 404     404     404     404     404     404     404     404     404     404
wagtaildocs_serve                       GET    document         200|404 200|404 200|404 200|404 200|404 200|404 200|404 200|404 200|404 200|404
wagtaildocs_authenticate_with_password  GET    restriction      404     404     404     404     404     404     404     404     404     404
set_language                            POST   -                302     302     302     302     302     302     302     302     302     302
my_data                                 GET    -                login   200     200     200     200     200     200     200     200     200
my_data_json                            GET    -                login   200     200     200     200     200     200     200     200     200
my_data_html                            GET    -                login   200     200     200     200     200     200     200     200     200
my_data_delete                          POST   -                login   302     302     302     302     302     302     302     302     302
healthz                                 GET    -                200     200     200     200     200     200     200     200     200     200
wagtailadmin_home                       GET    -                login   login   login   login   login   login   login   login   200     200
"""

# Every other URL under /admin/ (Wagtail's admin, ~300 patterns, and our viewsets inside it):
# anonymous users and these roles, which have no admin access, never get a 200.
ADMIN_PREFIX = "admin/"
ADMIN_KEPT_OUT = ("anonymous", "parent", "city")
# … except these, public by design: the admin's login and password-reset pages and static helpers.
ADMIN_PUBLIC = {
    "wagtailadmin_login",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
}


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    ids: str | None
    expected: dict  # role → (inside, outside)


def _cell(text: str) -> tuple[str, str]:
    inside, _, outside = text.partition("|")
    return inside, outside or inside


def rows() -> dict[str, Row]:
    table = {}
    for line in TABLE.strip().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, method, ids, *cells = line.split()
        assert len(cells) == len(ROLES), f"{name}: {len(cells)} cells for {len(ROLES)} roles"
        assert name not in table, f"{name} has two rows"
        table[name] = Row(name, method, None if ids == "-" else ids, dict(zip(ROLES, map(_cell, cells), strict=True)))
    return table
