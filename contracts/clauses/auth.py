"""Authentication and authorisation (SP-AUTH-*): Basic auth, the Voice scope, project isolation.

Write probes (PUT with bad credentials) are sent only when writes are allowed: a server with an auth bypass
would apply them, and a run without --allow-writes must not send a single PUT.
"""

from __future__ import annotations

import base64
import time
import uuid

from contracts.engine.client import NO_BODY
from contracts.engine.config import Credentials
from contracts.engine.session import Session
from contracts.engine.verdicts import Violation

from ._common import stored_equal
from ._registry import clause

PROBE_BODY = {"default_encryption": "required"}


def _methods(s: Session) -> tuple[str, ...]:
    return ("GET", "PUT") if s.cfg.allow_writes else ("GET",)


@clause("SP-AUTH-001", area="auth",
        title="Missing credentials get 401 with the documented body",
        doc="/components/responses/Unauthorized")
def missing_credentials(s: Session) -> None:
    for method in _methods(s):
        ex = s.send(method, creds=None, body=PROBE_BODY if method == "PUT" else NO_BODY)
        s.expect_unauthorized(ex, f"{method} without credentials")


@clause("SP-AUTH-002", area="auth",
        title="A wrong token or unknown project gets 401 with the documented body",
        doc="/components/securitySchemes/basicAuth")
def wrong_credentials(s: Session) -> None:
    me = s.creds()
    wrong_token = Credentials(me.project_id, "not-the-token-" + uuid.uuid4().hex[:8],
                              me.project_var, "WRONG_TOKEN")
    stranger = Credentials(_unknown_project_id(s), me.token, "UNKNOWN_PROJECT_ID", me.token_var)
    for method in _methods(s):
        ex = s.send(method, creds=wrong_token, auth_ref=f'"${me.project_var}:not-the-token"',
                    body=PROBE_BODY if method == "PUT" else NO_BODY)
        s.expect_unauthorized(ex, f"{method} with a wrong token")
    ex = s.send("GET", creds=stranger, auth_ref=f'"{stranger.project_id}:${me.token_var}"')
    s.expect_unauthorized(ex, "GET with an unknown project id")


def _unknown_project_id(s: Session) -> str:
    """A project ID that is none of the target's, in any case (a fixed one could be a user's own)."""
    known = {c.project_id.lower() for c in (s.target.primary, s.target.secondary, s.target.novoice)
             if c is not None}
    return next(pid for n in range(0x5EED, 0x5EED + 4)
                if (pid := str(uuid.UUID(int=n))) not in known)


def _malformed_headers(project_id: str) -> list[tuple[str, str]]:
    no_colon = base64.b64encode(project_id.encode()).decode()
    return [
        ("not base64", "Basic !!!not-base64!!!"),
        ("no colon in the credentials", f"Basic {no_colon}"),
        ("Basic without credentials", "Basic"),
        ("Bearer scheme", "Bearer not-a-real-token"),
    ]


@clause("SP-AUTH-003", area="auth",
        title="A malformed Authorization header gets 401 with the documented body",
        doc="/components/securitySchemes/basicAuth")
def malformed_header(s: Session) -> None:
    for what, value in _malformed_headers(s.creds().project_id):
        ex = s.send("GET", creds=None, headers={"Authorization": value})
        s.expect_unauthorized(ex, f"GET with a malformed Authorization header ({what})")


@clause("SP-AUTH-004", area="auth",
        title="A token without the Voice scope can neither read nor write the profile",
        doc="/components/securitySchemes/basicAuth/x-scope",
        needs=("novoice",),
        observes=("OBS-AUTH-NOVOICE-STATUS",))
def voice_scope(s: Session) -> None:
    novoice = s.creds("novoice")
    me = s.creds()
    ex = s.send("GET", creds=novoice)
    # The docs answer 401 for every auth problem; 403 is tolerated (recorded) since it is the usual HTTP
    # answer for a missing scope. What is asserted: no read.
    if 200 <= ex.status < 300:
        raise Violation("a token without the Voice scope read the profile", expected="401",
                        actual=f"{ex.status}: {ex.text[:200]}", exchange=ex)
    s.expect_status(ex, {401, 403}, "GET with a token without the Voice scope")
    s.observe("OBS-AUTH-NOVOICE-STATUS", "SP-AUTH-004", "What does a token without Voice get?", ex,
              {"status": ex.status}, f"GET answered {ex.status}")
    if not s.cfg.allow_writes:
        return
    if novoice.project_id != me.project_id:
        # That project cannot be read with this token, so it could not be snapshotted or restored: a
        # write probe there could damage an account the run cannot repair. The read probe must do.
        return
    s.before_write("primary")  # a wrongly accepted probe lands on the primary profile: snapshot it
    before = s.get().json()
    ex = s.send("PUT", creds=novoice, body=PROBE_BODY, who="novoice")
    if 200 <= ex.status < 300:
        raise Violation("a token without the Voice scope changed the profile", expected="401",
                        actual=f"{ex.status}: {ex.text[:200]}", exchange=ex)
    s.expect_status(ex, {401, 403}, "PUT with a token without the Voice scope")
    after = s.get()
    if after.json() != before:
        raise Violation("a refused PUT without the Voice scope still changed the profile",
                        expected=before, actual=after.json(), exchange=after)


@clause("SP-AUTH-005", area="auth",
        title="One project's token can neither read nor change another project's profile",
        doc="/paths/~1api~1relay~1rest~1sip_profile/put",
        reading="There is no id in the path: the project comes from the credentials, so one project's "
                "token reaches only its own profile.",
        needs=("secondary",))
def project_isolation(s: Session) -> None:
    me, other = s.creds(), s.creds("secondary")
    mixed = Credentials(me.project_id, other.token, me.project_var, other.token_var)
    ex = s.send("GET", creds=mixed)
    s.expect_unauthorized(ex, "GET with project A's id and project B's token")
    if s.cfg.allow_writes:
        # A target that lets the token pick the project would write either profile: snapshot (and
        # rehearse) both first, so the profiles read next are what the write probe is compared with, and
        # the run's own safety writes are not taken for the probe's.
        s.before_write("primary")
        s.before_write("secondary")
    mine, theirs = s.get(), s.get("secondary")
    s.expect_status(theirs, 200, "GET the second project's own profile")
    if mine.json() == theirs.json() and (mine.json() or {}).get("domain_identifier"):
        raise Violation("two projects read the same profile", expected="each project its own profile",
                        actual=theirs.text[:300], exchange=theirs)
    if not s.cfg.allow_writes:
        return
    ex = s.send("PUT", creds=mixed, body=PROBE_BODY)
    s.expect_unauthorized(ex, "PUT with project A's id and project B's token")
    for who, seen in (("primary", mine), ("secondary", theirs)):
        now = s.get(who)  # type: ignore[arg-type]
        if stored_equal(s, None, seen.json() or {}, now.json() or {}):
            raise Violation(f"a refused cross-project PUT changed the {who} profile",
                            expected=seen.json(), actual=now.json(), exchange=now)


#: Pause between near-miss attempts on a real target, so that no lock-out rule counts them as an attack.
NEAR_MISS_PACE_S = 0.5


def one_changed(text: str) -> str:
    """``text`` with its last character replaced by one that differs from it in every case.

    ``"0"`` for anything but a zero, ``"1"`` for a zero: a replacement that is the same character (or the
    same letter in another case, which a case-insensitive comparison would take as equal) would send the
    right credential and fail a correct server.
    """
    return text[:-1] + ("1" if text[-1:] == "0" else "0")


def near_misses(project_id: str, token: str, *,
                other_project_id: str | None = None) -> list[tuple[str, str, str]]:
    """``(what, user, password)``: credentials a character or a mix-up away from ``project_id:token``.

    Every pair differs from the right one, also when compared case-insensitively where the variant is not
    about case (a pair equal to the right one is dropped, never sent), and no two pairs are the same.
    Pure, so that a property test can prove it for any project ID and token.
    """
    pid = project_id
    tries = [
        ("the token with one character changed", pid, one_changed(token)),
        ("the token with one character added", pid, token + "x"),
        ("the token with its last character removed", pid, token[:-1]),
        ("the token with surrounding whitespace", pid, f" {token} "),
        ("project ID and token swapped", token, pid),
        ("an empty password", pid, ""),
        ("the project ID with one character changed", one_changed(pid), token),
    ]
    if token.swapcase() != token:
        tries.insert(0, ("the token in another case", pid, token.swapcase()))
    if other_project_id is not None:
        tries.append(("the right token with another project's ID", other_project_id, token))
    unique: dict[tuple[str, str], str] = {}
    for what, user, password in tries:
        if (user, password) != (project_id, token):
            unique.setdefault((user, password), what)
    return [(what, user, password) for (user, password), what in unique.items()]


def _near_misses(s: Session) -> list[tuple[str, str, str]]:
    me, other = s.creds(), s.target.secondary
    return near_misses(me.project_id, me.token,
                       other_project_id=other.project_id if other is not None else None)


@clause("SP-AUTH-006", area="auth",
        title="Credentials that are almost right get 401 with the documented body",
        doc="/components/securitySchemes/basicAuth")
def near_miss_credentials(s: Session) -> None:
    me = s.creds()
    for i, (what, user, password) in enumerate(_near_misses(s)):
        # A lock-out rule lives on a remote account: loopback targets (the mock, a local test server) are
        # not paced, so the suite's own runs stay fast.
        if i and not s.target.is_loopback and s.target.kind != "mock":
            time.sleep(NEAR_MISS_PACE_S)
        creds = Credentials(user, password, me.project_var, me.token_var)
        ex = s.send("GET", creds=creds, auth_ref=f'"<{what}>"')
        s.expect_unauthorized(ex, f"GET with {what}")


@clause("SP-AUTH-007", area="auth",
        title="Is the scheme name of the Authorization header matched case-insensitively?",
        kind="observed",
        reading="Undocumented: RFC 9110 makes the scheme name case-insensitive; SignalWire does not say.",
        observes=("OBS-AUTH-SCHEME-CASE",))
def scheme_case(s: Session) -> None:
    me = s.creds()
    encoded = base64.b64encode(f"{me.project_id}:{me.token}".encode()).decode()
    ex = s.send("GET", creds=None, headers={"Authorization": f"basic {encoded}"},
                auth_ref="")
    accepted = ex.status == 200
    s.observe("OBS-AUTH-SCHEME-CASE", "SP-AUTH-007", 'Is "basic" (lower case) accepted as the scheme name?',
              ex, {"accepted": accepted, "status": ex.status},
              f'"basic" scheme {"accepted" if accepted else "refused"} ({ex.status})')


@clause("SP-AUTH-008", area="auth",
        title="Is the project ID matched case-insensitively?",
        kind="observed",
        reading="Undocumented: SignalWire's project IDs are UUIDs, and RFC 9562 reads a UUID's hex digits "
                "case-insensitively, so a correct service may take the project ID in another case as the "
                "same project; SignalWire does not say. Recorded, never asserted (SP-AUTH-006 asserts the "
                "token's case).",
        observes=("OBS-AUTH-PROJECT-CASE",))
def project_id_case(s: Session) -> None:
    me = s.creds()
    other = me.project_id.swapcase()
    question = "Is the project ID in another case accepted?"
    if other == me.project_id:  # nothing to ask: no request, and a value that stays the same every night
        s.observe("OBS-AUTH-PROJECT-CASE", "SP-AUTH-008", question, None, {"accepted": None},
                  "the project ID has no letter: no case to change")
        return
    creds = Credentials(other, me.token, me.project_var, me.token_var)
    ex = s.send("GET", creds=creds, auth_ref='"<the project ID in another case>"')
    accepted = 200 <= ex.status < 300
    s.observe("OBS-AUTH-PROJECT-CASE", "SP-AUTH-008", question, ex,
              {"accepted": accepted, "status": ex.status},
              f"the project ID in another case {'accepted' if accepted else 'refused'} ({ex.status})")
