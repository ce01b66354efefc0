export const id = 933;
export const ids = [933];
export const modules = {

/***/ 6933:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  auditToken: () => (/* reexport */ auditToken),
  identifyToken: () => (/* reexport */ kind/* identifyToken */.o),
  parseAuditInputs: () => (/* reexport */ parseAuditInputs),
  parseRepositories: () => (/* reexport */ parseRepositories),
  resolveProfile: () => (/* reexport */ resolveProfile)
});

// UNUSED EXPORTS: ARGOCD_APPLICATION_ACTIONS, BITBUCKET_IMPLIES, BUILTIN_PROFILE_NAMES, DEFAULT_API_URLS, GITLAB_IMPLIES, KNOWN_CLASSIC_SCOPES, ORGANIZATION_PERMISSIONS, ProfileError, REPOSITORY_PERMISSIONS, SLOT_NAME, TOKEN_PREFIXES, argoCdAsks, builtinProfile, checkSlots, closure, compareScopes, excessSeverity, expiryText, isUnverifiable, nameFindings, parseProfile, parseScopesHeader, permissionRows, renderAuditMarkdown, renderAuditText, scopeFindings, unreadableFinding

// EXTERNAL MODULE: ./packages/core/src/errors.ts
var errors = __webpack_require__(7638);
// EXTERNAL MODULE: ./packages/core/src/answers.ts
var src_answers = __webpack_require__(7938);
// EXTERNAL MODULE: ./packages/core/src/argocd-api.ts
var argocd_api = __webpack_require__(2922);
;// CONCATENATED MODULE: ./packages/core/src/tokens/findings.ts
/**
 * An answer the audit could not read: the permission or reach it was asked about is unknown, not
 * absent, and the verdict becomes "cannot verify" (an error, so nothing is stored on it).
 */
function unreadableFinding(answer, reason, unknown, where = {}) {
    return {
        ...where,
        kind: 'unverified',
        severity: 'error',
        request: answer.request,
        message: `Cannot verify ${unknown}: ${answer.request} ${reason}.`,
        fix: 'Run the check again once the server answers normally; nothing may rely on this token until it passes.',
    };
}
/** Findings that make the verdict "cannot verify" rather than "fits" or "does not fit". */
const isUnverifiable = (f) => f.kind === 'unverified' && f.severity === 'error';
const excessSeverity = (policy) => policy === 'fail' ? 'error' : policy === 'warn' ? 'warning' : 'info';
/**
 * Missing and excess scopes as findings, for every provider whose tokens carry scopes.
 * `fixes` words the remedy: classic scopes can be edited, GitLab and Bitbucket ones cannot.
 */
function scopeFindings(missing, excess, required, onExcess, fixes) {
    return [
        ...missing.map((s) => ({
            kind: 'missing',
            severity: 'error',
            permission: s,
            message: `Scope '${s}' is missing.`,
            fix: fixes.add(s),
        })),
        ...excess.map((s) => ({
            kind: 'excess',
            severity: excessSeverity(onExcess),
            permission: s,
            message: `Scope '${s}' is more than the role needs (needs: ${required.join(', ') || 'none'}).`,
            fix: fixes.remove(s),
        })),
    ];
}

;// CONCATENATED MODULE: ./packages/core/src/tokens/scopes.ts
/**
 * Classic OAuth scopes and what each implies (design/tokens.md section 3). GitHub stores scopes
 * normalised (asking for repo + repo:status stores repo), so comparisons work on closures.
 */
const IMPLIES = {
    repo: ['repo:status', 'repo_deployment', 'public_repo', 'repo:invite', 'security_events'],
    'admin:repo_hook': ['write:repo_hook'],
    'write:repo_hook': ['read:repo_hook'],
    'admin:org': ['write:org'],
    'write:org': ['read:org'],
    'admin:public_key': ['write:public_key'],
    'write:public_key': ['read:public_key'],
    'admin:gpg_key': ['write:gpg_key'],
    'write:gpg_key': ['read:gpg_key'],
    'admin:ssh_signing_key': ['write:ssh_signing_key'],
    'write:ssh_signing_key': ['read:ssh_signing_key'],
    user: ['read:user', 'user:email', 'user:follow'],
    project: ['read:project'],
    'write:packages': ['read:packages'],
    'admin:enterprise': ['manage_runners:enterprise', 'manage_billing:enterprise', 'read:enterprise'],
};
const KNOWN_CLASSIC_SCOPES = new Set([
    ...Object.keys(IMPLIES),
    ...Object.values(IMPLIES).flat(),
    'admin:org_hook',
    'gist',
    'notifications',
    'delete_repo',
    'delete:packages',
    'codespace',
    'workflow',
    'read:audit_log',
    'copilot',
]);
/** A scope and everything it implies, transitively. */
function closure(scopes, implies = IMPLIES) {
    const out = new Set();
    const stack = [...scopes];
    while (stack.length) {
        const s = stack.pop();
        if (out.has(s))
            continue;
        out.add(s);
        stack.push(...(implies[s] ?? []));
    }
    return out;
}
function compareScopes(granted, required, implies = IMPLIES) {
    const grantedList = [...new Set(granted)];
    const have = closure(grantedList, implies);
    const allowed = closure(required, implies);
    return {
        missing: [...new Set(required)].filter((s) => !have.has(s)).sort(),
        excess: grantedList.filter((s) => !allowed.has(s)).sort(),
    };
}
/** `X-OAuth-Scopes: repo, read:org` → ['repo', 'read:org']. */
function parseScopesHeader(value) {
    return (value ?? '')
        .split(/[,\s]+/)
        .map((s) => s.trim())
        .filter(Boolean);
}
/** GitLab: `api` grants the whole API; everything else is compared literally. */
const GITLAB_IMPLIES = { api: ['read_api'] };
/** Bitbucket Cloud: write implies read, admin does not imply write (Atlassian keeps them apart). */
const BITBUCKET_IMPLIES = {
    'repository:write': ['repository'],
    'repository:delete': [],
    'pullrequest:write': ['pullrequest', 'repository:write'],
    'account:write': ['account'],
    'team:write': ['team'],
    'project:admin': ['project'],
    'snippet:write': ['snippet'],
    'issue:write': ['issue'],
    'wiki:write': ['wiki'],
    'pipeline:write': ['pipeline'],
};
/** Everything a CI role may not do beyond its profile: admin's powers, in Argo CD's own terms. */
const ARGOCD_GLOBAL_EXCESS = [
    ['applications', 'get', '*/*', "read every project's applications"],
    ['applications', 'sync', '*/*', "sync every project's applications"],
    ['projects', 'create', '*', 'create projects'],
    ['clusters', 'get', '*', 'read clusters'],
    ['clusters', 'create', '*', 'add clusters'],
    ['clusters', 'update', '*', 'change clusters'],
    ['clusters', 'delete', '*', 'remove clusters'],
    ['repositories', 'get', '*', 'read repository credentials'],
    ['repositories', 'create', '*', 'add repositories'],
    ['repositories', 'update', '*', 'change repositories'],
    ['repositories', 'delete', '*', 'remove repositories'],
    ['accounts', 'get', '*', 'read accounts'],
    ['accounts', 'update', '*', 'change accounts (passwords, tokens)'],
    ['certificates', 'create', '*', 'add certificates'],
    ['certificates', 'update', '*', 'change certificates'],
    ['certificates', 'delete', '*', 'remove certificates'],
    ['gpgkeys', 'create', '*', 'add GnuPG keys'],
    ['gpgkeys', 'delete', '*', 'remove GnuPG keys'],
];
const ARGOCD_PROJECT_EXCESS = [
    ['update', 'change project {p} (its roles, destinations and sources)'],
    ['delete', 'delete project {p}'],
];
/** What a role does to one application; `exec` is its own resource (a shell in a pod). */
const ARGOCD_APPLICATION_WORDS = {
    get: 'read',
    sync: 'sync',
    create: 'create',
    update: 'change',
    delete: 'delete',
    override: 'sync with overridden parameters',
    action: 'run resource actions on',
};
/**
 * The can-i questions for a role that needs `actions` on the release's applications of
 * `project`: the needed ones (each application), and the ones whose "yes" is excess.
 */
function argoCdAsks(opts) {
    const { project } = opts;
    const needs = new Set(opts.actions);
    const needed = [];
    const excess = [];
    for (const app of opts.applications) {
        const object = `${project}/${app}`;
        for (const [action, words] of Object.entries(ARGOCD_APPLICATION_WORDS)) {
            const ask = { resource: 'applications', action, object, about: `${words} ${object}` };
            (needs.has(action) ? needed : excess).push(ask);
        }
        excess.push({ resource: 'exec', action: 'create', object, about: `open a shell in ${object}` });
    }
    if (opts.onlyTheseApplications)
        for (const action of needs)
            excess.push({
                resource: 'applications',
                action,
                object: `${project}/*`,
                about: `${ARGOCD_APPLICATION_WORDS[action] ?? action} every application of project ${project}, not only the release's`,
            });
    for (const [action, about] of ARGOCD_PROJECT_EXCESS)
        excess.push({
            resource: 'projects',
            action,
            object: project,
            about: about.replace('{p}', project),
        });
    for (const [resource, action, object, about] of ARGOCD_GLOBAL_EXCESS)
        excess.push({ resource, action, object, about });
    return { needed, excess };
}

;// CONCATENATED MODULE: ./packages/core/src/tokens/argocd-audit.ts




const USERINFO = {
    provider: 'Argo CD',
    shape: {
        // Argo CD's gateway leaves out false and empty fields: `{}` is "not logged in".
        test: (b) => (0,src_answers/* isJsonObject */.OW)(b) &&
            (b.loggedIn === undefined || typeof b.loggedIn === 'boolean') &&
            (b.username === undefined || typeof b.username === 'string') &&
            (b.loggedIn !== true || typeof b.username === 'string'),
        is: "a JSON object with 'loggedIn' (and 'username' when logged in)",
    },
};
async function auditArgoCdToken(req) {
    const claims = req.identity.argocd;
    const subject = (0,argocd_api/* rbacSubject */.zY)(claims.sub);
    // Argo CD names its own tokens' users by subject, an SSO session's by e-mail (session.Username).
    const username = claims.iss === 'argocd' ? subject : (claims.email ?? claims.sub);
    const out = {
        findings: [],
        repositories: [],
        requests: 0,
        login: subject,
        expiresAt: claims.expiresAt,
    };
    const get = (path) => {
        out.requests++;
        return (0,argocd_api/* argoCdGet */.xE)(req.server, path, req.http);
    };
    out.findings.push(...kindFindings(req));
    const who = await get(argocd_api/* argoCdPaths */.JO.userInfo());
    const reading = (0,src_answers/* readAnswer */.JN)(who, USERINFO);
    const body = who.body;
    if (who.status === 401 && (who.bodyKind === 'json' || who.bodyKind === 'empty')) {
        return rejected(out, who, req, subject);
    }
    if (reading.state !== 'present') {
        // Who the server takes the token for is unknown: no can-i answer could be attributed.
        out.findings.push(unreadableFinding(who, reading.state === 'absent' ? refusal(who) : reading.reason, 'that Argo CD accepts the token'));
        out.fatal = true;
        return out;
    }
    if (!body.loggedIn) {
        // userinfo never refuses (it says "not logged in"); a request that needs a session gets
        // Argo CD's own reason (expired, revoked, bad signature) in its 401.
        const first = argoCdAsks({
            project: req.project,
            applications: req.applications,
            actions: ['get'],
            onlyTheseApplications: false,
        }).needed[0];
        const why = await get(argocd_api/* argoCdPaths */.JO.canI(first.resource, first.action, first.object));
        return rejected(out, (0,argocd_api/* readCanI */.ov)(why).state === 'rejected' ? why : who, req, subject);
    }
    if (body.username !== username) {
        out.findings.push({
            kind: 'credentials',
            severity: 'error',
            message: `Argo CD takes the token for '${body.username ?? ''}', but its claims say '${username}': the token is not what it claims to be (or the server is not the Argo CD that issued it).`,
            fix: "Check 'api-url' and create the token again on that Argo CD.",
        });
        out.fatal = true;
        return out;
    }
    const profile = req.profile.argocd;
    const { needed, excess } = argoCdAsks({
        project: req.project,
        applications: req.applications,
        actions: profile.applications,
        onlyTheseApplications: profile.onlyTheseApplications,
    });
    const asked = [
        ...needed.map((ask) => ({ ask, needed: true })),
        ...excess.map((ask) => ({ ask, needed: false })),
    ];
    // Once one answer cannot be read (the server or a proxy failing), no new question is sent:
    // the rest would fail the same way, each after its own retries. Those stay "cannot verify".
    let failing;
    const answers = await inPool(asked, req.concurrency ?? 6, async ({ ask }) => {
        if (failing)
            return undefined;
        const answer = await get(argocd_api/* argoCdPaths */.JO.canI(ask.resource, ask.action, ask.object));
        const state = (0,argocd_api/* readCanI */.ov)(answer).state;
        if (state !== 'yes' && state !== 'no')
            failing ??= answer;
        return answer;
    });
    const rows = new Map();
    const row = (object) => {
        let r = rows.get(object);
        if (!r) {
            r = { repository: object, reachable: true, permissions: [] };
            rows.set(object, r);
        }
        return r;
    };
    let refusedOnce = false;
    let notAsked = 0;
    asked.forEach(({ ask, needed: isNeeded }, i) => {
        const answer = answers[i];
        const permission = `${ask.resource}, ${ask.action}`;
        if (!answer) {
            notAsked++;
            row(ask.object).permissions.push({
                permission,
                required: isNeeded ? 'allowed' : undefined,
                found: 'unverified',
                request: failing.request,
            });
            return;
        }
        const r = (0,argocd_api/* readCanI */.ov)(answer);
        if (r.state === 'rejected') {
            // Accepted by userinfo, then refused: revoked in between, or a proxy's doing. Said once.
            if (!refusedOnce)
                out.findings.push({
                    kind: 'credentials',
                    severity: 'error',
                    request: answer.request,
                    message: (0,argocd_api/* argoCdFailure */.dB)(answer, {
                        doing: 'Asking what the token may do',
                        expiresAt: claims.expiresAt,
                        now: req.now,
                    }).message,
                    fix: 'Create a new token and update the secret.',
                });
            refusedOnce = true;
            row(ask.object).permissions.push({
                permission,
                required: isNeeded ? 'allowed' : undefined,
                found: 'unverified',
                request: answer.request,
            });
            return;
        }
        if (r.state === 'unreadable') {
            row(ask.object).permissions.push({
                permission,
                required: isNeeded ? 'allowed' : undefined,
                found: 'unverified',
                request: answer.request,
            });
            out.findings.push(unreadableFinding(answer, r.reason, `whether the token may ${ask.about} ('${permission}' on '${ask.object}')`, {
                repository: ask.object,
                permission,
            }));
            return;
        }
        const yes = r.state === 'yes';
        if (isNeeded || yes)
            row(ask.object).permissions.push({
                permission,
                required: isNeeded ? 'allowed' : undefined,
                found: yes ? 'allowed' : 'none',
            });
        if (isNeeded && !yes)
            out.findings.push(missingFinding(ask, subject));
        if (!isNeeded && yes)
            out.findings.push(excessFinding(ask, subject, req.onExcess, req.profile.name));
    });
    if (notAsked)
        out.findings.push(unreadableFinding(failing, 'could not be read, so they were not asked', `${notAsked} more permission${notAsked > 1 ? 's' : ''} (what the token needs and what it must not have)`));
    out.repositories = [...rows.values()];
    return out;
}
function missingFinding(ask, subject) {
    return {
        kind: 'missing',
        severity: 'error',
        repository: ask.object,
        permission: `${ask.resource}, ${ask.action}`,
        message: `The token may not ${ask.about}: '${ask.resource}, ${ask.action}' on '${ask.object}' is missing.`,
        fix: `Add to ${(0,argocd_api/* policyHome */.O2)(subject)}: ${(0,argocd_api/* policyLine */.Dx)(subject, ask)}`,
    };
}
function excessFinding(ask, subject, onExcess, profile) {
    return {
        kind: 'excess',
        severity: excessSeverity(onExcess),
        repository: ask.object,
        permission: `${ask.resource}, ${ask.action}`,
        message: `The token may ${ask.about} ('${ask.resource}, ${ask.action}' on '${ask.object}'): more than profile '${profile}' needs.`,
        fix: `Remove the grant from ${(0,argocd_api/* policyHome */.O2)(subject)}: a policy line, a wildcard, or a role given by a 'g' line (e.g. role:admin, role:readonly).`,
    };
}
/** What the claims alone tell: an account's key or a login session is broader than a role's. */
function kindFindings(req) {
    const { kind, argocd } = req.identity;
    const out = [];
    const roleToken = `a project role's token (argocd proj role create-token ${req.project} <role> --expires-in 30d)`;
    if (kind === 'argocd-account')
        out.push({
            kind: 'kind',
            severity: 'warning',
            message: `This is an API key of the local account '${argocd.account}': an account's policies are not bound to one project, so it is broader than a project role's token, which can only ever act within its project.`,
            fix: `Use ${roleToken}.`,
        });
    else if (kind === 'argocd-session')
        out.push({
            kind: 'kind',
            severity: 'warning',
            message: `This is a login session's token (subject '${(0,argocd_api/* rbacSubject */.zY)(argocd.sub)}', issuer '${argocd.iss || 'none'}'), not an API token: it acts as a person or an account, with all of its permissions.`,
            fix: `Use ${roleToken}.`,
        });
    else if (kind === 'argocd-project' && argocd.project !== req.project)
        out.push({
            kind: 'kind',
            severity: 'error',
            message: `The token is role '${argocd.role}' of project '${argocd.project}', but the release's applications are in project '${req.project}': a project role can only act within its own project.`,
            fix: `Create a token for a role of project ${req.project}, or correct 'argocd-project'.`,
        });
    return out;
}
function rejected(out, answer, req, subject) {
    const loggedOut = answer.status < 300;
    const expired = req.identity.argocd.expiresAt;
    const message = loggedOut
        ? `Argo CD does not accept the token (${answer.request} says it is not logged in): it is invalid, revoked${expired && expired <= req.now ? `, or expired (on ${expired.toISOString()})` : ' or expired'}, or was signed by another Argo CD.`
        : (0,argocd_api/* argoCdFailure */.dB)(answer, {
            doing: 'Checking the token',
            expiresAt: expired,
            now: req.now,
            subject,
        }).message;
    out.findings.push({
        kind: 'credentials',
        severity: 'error',
        request: answer.request,
        message,
        fix: 'Create a new token (argocd proj role create-token, or argocd account generate-token) and update the secret.',
    });
    out.fatal = true;
    return out;
}
/** A JSON 403/404 on userinfo: it answers every caller, so a refusal is not an answer. */
const refusal = (answer) => `answered ${answer.status}, where Argo CD answers every caller: a proxy or an API that is not Argo CD's`;
/** Runs `task` over `items`, at most `limit` at a time, answers in the order of the items. */
async function inPool(items, limit, task) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await task(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

// EXTERNAL MODULE: ./packages/core/src/http.ts
var http = __webpack_require__(1457);
;// CONCATENATED MODULE: ./packages/core/src/tokens/bitbucket-audit.ts




/** GET /2.0/user: a user (or, for some access tokens, Bitbucket's refusal with the scopes). */
const RULES = { provider: 'Bitbucket', shape: (0,src_answers/* objectWith */.qR)('type', 'uuid') };
const REPOSITORY = { provider: 'Bitbucket', shape: (0,src_answers/* objectWith */.qR)('full_name') };
/** A JSON error of Bitbucket's own ({"type": "error", ...}), e.g. a rate limit. */
const isError = (a) => (0,src_answers/* isJsonObject */.OW)(a.body) && a.body.type === 'error';
const APP_PASSWORDS_ENDED = '2026-06-09';
async function auditBitbucketToken(req, now = new Date()) {
    const out = { findings: [], repositories: [], requests: 0 };
    const base = req.apiUrl.replace(/\/+$/, '').replace(/\/2\.0$/, '');
    // Data Center serves /rest/api/1.0 and nothing under /2.0.
    if (/\/rest(\/|$)/.test(base))
        return dataCenter(out);
    if (req.kind === 'bitbucket-app-password' &&
        now >= new Date(`${APP_PASSWORDS_ENDED}T00:00:00Z`)) {
        out.fatal = true;
        out.findings.push({
            kind: 'credentials',
            severity: 'error',
            message: `Bitbucket app passwords stopped working on ${APP_PASSWORDS_ENDED}.`,
            fix: 'Create an API token with scopes (or a repository/workspace access token) instead.',
        });
        return out;
    }
    if (req.kind === 'bitbucket-api-token') {
        // API tokens authenticate as `email:token` (Basic); Bearer is refused. Without the e-mail the
        // token cannot be used here: say so rather than report a misleading 401.
        out.fatal = true;
        out.findings.push({
            kind: 'unverified',
            severity: 'error',
            message: 'Atlassian API tokens (ATATT) authenticate together with the account e-mail, which this check does not take: the token cannot be verified.',
            fix: 'Check its scopes at id.atlassian.com (Security → API tokens), or use a repository, project or workspace access token.',
        });
        return out;
    }
    const headers = { Authorization: `Bearer ${req.token}`, 'User-Agent': 'argocd-actions' };
    const slots = Object.entries(req.repositories);
    const targets = slots.length
        ? slots.map(([slot, path]) => [slot, `${base}/2.0/repositories/${path}`])
        : [[undefined, `${base}/2.0/user`]];
    const replies = await Promise.all(targets.map(async ([slot, url]) => {
        out.requests++;
        return [slot, url, await (0,http/* getJson */.T)(url, headers)];
    }));
    let scopes;
    let unreadable = 0;
    for (const [slot, , reply] of replies) {
        if ((0,src_answers/* rejectsCredentials */.N5)(reply)) {
            out.fatal = true;
            out.findings.push({
                kind: 'credentials',
                severity: 'error',
                message: 'Bitbucket rejects the token (401): it is wrong, revoked or expired.',
                fix: 'Create a new token and update the secret.',
            });
            return out;
        }
        const reading = (0,src_answers/* readAnswer */.JN)(reply, slot ? REPOSITORY : RULES);
        // Only Bitbucket's own answers (a repository, or its JSON refusal) tell the scopes.
        const header = reply.headers['x-oauth-scopes'];
        if (header !== undefined && (reading.state !== 'unreadable' || isError(reply)))
            scopes ??= parseScopesHeader(header);
        const path = slot ? req.repositories[slot] : undefined;
        if (reading.state === 'unreadable') {
            unreadable++;
            out.findings.push(unreadableFinding(reply, reading.reason, path ? `that the token reaches ${path} (and its scopes)` : "the token's scopes", path ? { slot, repository: path } : {}));
        }
        if (slot && path) {
            out.repositories.push({
                slot,
                repository: path,
                reachable: reading.state === 'unreadable' ? 'unverified' : reading.state === 'present',
                permissions: [],
            });
            if (reading.state === 'absent')
                out.findings.push({
                    kind: 'unreachable',
                    severity: 'error',
                    slot,
                    repository: path,
                    message: `The token cannot reach ${path} (Bitbucket answered ${reply.status}).`,
                    fix: "Check the workspace/repository name and the token's access.",
                });
        }
    }
    if (!scopes && replies.every(([, , r]) => r.status === 404))
        return dataCenter(out);
    if (!scopes) {
        if (!unreadable)
            out.findings.push({
                kind: 'unverified',
                severity: 'error',
                message: "Bitbucket did not report the token's scopes (no x-oauth-scopes header): scopes cannot be verified.",
            });
        return out;
    }
    out.scopes = scopes;
    const required = req.profile.bitbucket.scopes;
    const { missing, excess } = compareScopes(scopes, required, BITBUCKET_IMPLIES);
    out.findings.push(...scopeFindings(missing, excess, required, req.onExcess, {
        add: (s) => `Create a token with '${s}'.`,
        remove: (s) => `Create a token without '${s}'.`,
    }));
    return out;
}
function dataCenter(out) {
    out.fatal = true;
    out.repositories = [];
    out.findings = [
        {
            kind: 'unverified',
            severity: 'error',
            message: 'This looks like Bitbucket Data Center (no /2.0 API): its tokens cannot describe their own permissions, so this token cannot be verified.',
            fix: "Check the token's project and repository permissions in Bitbucket (Manage account → HTTP access tokens).",
        },
    ];
    return out;
}

// EXTERNAL MODULE: ./packages/core/src/github-errors.ts
var github_errors = __webpack_require__(8192);
// EXTERNAL MODULE: ./packages/core/src/origin.ts
var origin = __webpack_require__(8363);
;// CONCATENATED MODULE: ./packages/core/src/tokens/github-audit-client.ts



/** The policies that block the token: GitHub tells them on any refused request. */
const POLICY_KINDS = ['classic-pat-forbidden', 'lifetime-policy', 'sso-required'];
/**
 * The audit's requests to GitHub. Every request is answered with an Answer, never an exception:
 * what it shows is decided by readAnswer (answers.ts), so an unreadable answer is "cannot
 * verify", never "absent". On the way it counts the requests and notes what any answer from
 * GitHub itself carries: the token's expiry, an organization policy that blocks the token.
 */
function auditClient(octokit, out) {
    const policies = new Map();
    let expiry;
    /** Some answer came from GitHub itself: only then does a missing expiry header mean "never". */
    let readable = false;
    const note = (reply, error) => {
        const fromGitHub = (reply.status >= 200 && reply.status < 300 && reply.bodyKind === 'json') ||
            (0,src_answers/* provesAbsence */.dU)(reply, 'GitHub');
        if (!fromGitHub)
            return reply;
        readable = true;
        const exp = reply.headers['github-authentication-token-expiration'];
        if (exp)
            expiry = String(exp);
        if (error && reply.status === 403) {
            const explained = (0,github_errors/* explainGitHubError */.Pm)(error, { action: 'use the token' });
            if (explained.kind && POLICY_KINDS.includes(explained.kind) && !policies.has(explained.kind))
                policies.set(explained.kind, {
                    kind: 'policy',
                    severity: 'error',
                    message: explained.message.replace(/^Could not use the token: /, ''),
                });
        }
        return reply;
    };
    const call = async (route, params = {}) => {
        out.requests++;
        const request = (0,src_answers/* requestName */.ZK)(route, params);
        try {
            const r = await octokit.request(route, params);
            const headers = (0,src_answers/* normaliseHeaders */.lc)(r.headers);
            return note({
                request,
                status: r.status,
                headers,
                body: r.data,
                bodyKind: (0,src_answers/* bodyKindOf */.uD)(r.data, headers['content-type']),
            });
        }
        catch (error) {
            // An answer GitHub (or something in front of it) sent: it may carry the expiry or a policy.
            if ((0,github_errors/* isRequestError */.eK)(error) && error.response)
                return note(github_audit_client_refusal(request, error), error);
            return failureAnswer(request, error);
        }
    };
    /** The policy findings first, and the expiry (null: never), onto the audit's result. */
    const finish = () => {
        out.findings.unshift(...policies.values());
        const parsed = (0,github_errors/* parseTokenExpiration */.g9)(expiry);
        // No expiry header means "never expires" only if GitHub itself answered at least once.
        out.expiresAt = parsed ?? (expiry === undefined && readable ? null : undefined);
        return out;
    };
    return { call, finish };
}
/** An error response as an Answer. */
function github_audit_client_refusal(request, error) {
    const headers = (0,src_answers/* normaliseHeaders */.lc)(error.response.headers);
    const body = error.response.data;
    return {
        request,
        status: error.status,
        headers,
        body,
        bodyKind: (0,src_answers/* bodyKindOf */.uD)(body, headers['content-type']),
    };
}
/** A request that got no answer from GitHub, as an unreadable Answer. */
function failureAnswer(request, error) {
    // A redirect the client would not follow (another origin, a write): an answer, unreadable.
    if (error instanceof origin/* OffOriginError */._p && error.redirect) {
        const { status, location } = error.redirect;
        const headers = location ? { location } : {};
        return { request, status, headers, body: undefined, bodyKind: 'none' };
    }
    if ((0,github_errors/* isRequestError */.eK)(error) || (0,github_errors/* isTimeout */.kL)(error)) {
        const e = error;
        const failure = (0,github_errors/* isTimeout */.kL)(error) ? 'timed out' : e.message;
        return { request, status: 0, headers: {}, body: undefined, bodyKind: 'none', failure };
    }
    throw (0,github_errors/* explainGitHubError */.Pm)(error, { action: `audit the token (${request})` });
}
async function listAll(call, route, key, params = {}) {
    // Every item must carry the field the audit reads: a list of something else is unreadable.
    const field = route.includes('members') ? 'login' : 'full_name';
    const items_ = (b) => (key ? (0,src_answers/* isJsonObject */.OW)(b) && b[key] : b);
    const page = (0,src_answers/* listOf */.c3)(field);
    const rules = {
        provider: 'GitHub',
        shape: key
            ? { test: (b) => page.test(items_(b)), is: `a JSON object whose '${key}' is ${page.is}` }
            : page,
    };
    const items = [];
    let first;
    for (let page = 1; page <= 10; page++) {
        const r = await call(route, { ...params, per_page: 100, page });
        first ??= r;
        const reading = (0,src_answers/* readAnswer */.JN)(r, rules);
        if (reading.state !== 'present')
            return { ...r, reading };
        items.push(...items_(r.body));
        if (!/rel="next"/.test(String(r.headers.link ?? '')))
            break;
    }
    return { ...first, reading: { state: 'present' }, items };
}

;// CONCATENATED MODULE: ./packages/core/src/tokens/github-probes.ts

/**
 * What the GitHub audit asks per repository: a read probe and an invalid-write probe per
 * permission GitHub lets us observe, and the answer each must give to count as "present".
 */
const github_probes_REPOSITORY = { provider: 'GitHub', shape: (0,src_answers/* objectWith */.qR)('full_name') };
const USER = { provider: 'GitHub', shape: (0,src_answers/* objectWith */.qR)('login') };
/** What each read probe must answer to count as "the permission is there". */
const READ_RULES = {
    contents: {
        provider: 'GitHub',
        // The root of a repository is a directory listing (a file or submodule object elsewhere).
        shape: {
            ...(0,src_answers/* eitherOf */.BU)((0,src_answers/* listOf */.c3)('type', 'path'), (0,src_answers/* objectWith */.qR)('type', 'path')),
            is: "a directory listing or a content object, each with a string 'type' and 'path'",
        },
        // An empty repository answers 404 "This repository is empty." or 409: reachable, so read is there.
        presentToo: (a) => (a.status === 409 || a.status === 404) &&
            (0,src_answers/* isJsonObject */.OW)(a.body) &&
            /empty/i.test(String(a.body.message ?? '')),
    },
    statuses: { provider: 'GitHub', shape: (0,src_answers/* listOf */.c3)('state', 'context') },
    repository_hooks: { provider: 'GitHub', shape: (0,src_answers/* listOf */.c3)('type') },
    administration: { provider: 'GitHub', shape: (0,src_answers/* listOf */.c3)('key') },
};
/** An invalid write: 422 shows the permission (GitHub validated it), a proven 403 its absence. */
const WRITE_RULES = {
    provider: 'GitHub',
    presentToo: (a) => a.status === 422 && (0,src_answers/* isJsonObject */.OW)(a.body),
    // A 2xx to an invalid write is no answer GitHub gives: not taken for anything.
    shape: { test: () => false, is: 'a refusal (422 or 403), which an invalid write gets' },
};
const ZERO_SHA = '0'.repeat(40);
/** A read probe and an invalid-write probe per permission that GitHub lets us observe. */
const PROBES = {
    contents: {
        read: (r) => ['GET /repos/{owner}/{repo}/contents/', { owner: r.owner, repo: r.repo }],
        // A ref to a commit that cannot exist: 422 with the permission, 403 without; nothing is created.
        write: (r) => [
            'POST /repos/{owner}/{repo}/git/refs',
            { ...r, ref: 'refs/heads/argocd-actions-permission-probe', sha: ZERO_SHA },
        ],
    },
    statuses: {
        read: (r) => [
            'GET /repos/{owner}/{repo}/commits/{ref}/statuses',
            { ...r, ref: r.branch, per_page: 1 },
        ],
        write: (r) => [
            'POST /repos/{owner}/{repo}/statuses/{sha}',
            { ...r, sha: ZERO_SHA, state: 'pending' },
        ],
    },
    repository_hooks: {
        read: (r) => ['GET /repos/{owner}/{repo}/hooks', { ...r, per_page: 1 }],
        // A hook without a URL is invalid.
        write: (r) => ['POST /repos/{owner}/{repo}/hooks', { ...r, config: {} }],
    },
    administration: {
        read: (r) => ['GET /repos/{owner}/{repo}/keys', { ...r, per_page: 1 }],
        // A deploy key that is not a key is invalid.
        write: (r) => [
            'POST /repos/{owner}/{repo}/keys',
            { ...r, title: 'argocd-actions permission probe', key: 'not-a-key', read_only: true },
        ],
    },
};
const PROBED_PERMISSIONS = Object.keys(PROBES);

;// CONCATENATED MODULE: ./packages/core/src/tokens/github-audit.ts







async function auditGitHubToken(octokit, req) {
    const out = { findings: [], repositories: [], requests: 0 };
    const { call, finish } = auditClient(octokit, out);
    const a = {
        req,
        gh: req.profile.github,
        out,
        call,
        isApp: req.kind === 'installation',
        scoped: req.kind === 'classic' || req.kind === 'oauth',
        unreachable: new Map(),
    };
    // All at once: who the token is, what it reaches, the organization, each repository.
    const identityTask = readIdentity(a);
    const reachableTask = listReachable(a);
    const orgTask = listOrganizationMembers(a);
    const repoChecks = Object.entries(req.repositories).map(([slot, repo]) => checkRepository(a, slot, repo));
    // Awaited below, one after another: one that fails while an earlier one is awaited must not
    // count as an unhandled rejection (which ends the process without an error line).
    for (const task of [identityTask, reachableTask, orgTask, ...repoChecks])
        task.catch(() => { });
    const identity = await identityTask;
    if (!a.isApp && (0,src_answers/* rejectsCredentials */.N5)(identity)) {
        await Promise.allSettled([reachableTask, orgTask, ...repoChecks]);
        github_audit_rejected(a, 'GitHub rejects the token (401 Bad credentials): it is wrong, revoked or expired.', 'Create a new token and update the secret.');
        return finish();
    }
    if (!a.isApp)
        noteUser(a, identity);
    const [reachable, org, ...repositories] = await Promise.all([
        reachableTask,
        orgTask,
        ...repoChecks,
    ]);
    out.repositories = repositories;
    if (a.isApp && (0,src_answers/* rejectsCredentials */.N5)(identity)) {
        github_audit_rejected(a, 'GitHub rejects the installation token (401): it expired (they live one hour) or was revoked.', 'Mint the token in the same job, e.g. with actions/create-github-app-token.');
        return finish();
    }
    github_audit_kindFindings(a);
    if (a.scoped && out.scopes)
        classicScopeFindings(a, out.scopes);
    repositoryFindings(a, repositories);
    organizationFindings(a, org);
    reachableBeyondFindings(a, a.isApp ? identity : reachable);
    return finish();
}
/** An answer that could not be read: a finding naming the request; what it was about is unknown. */
function unread({ out }, reply, reading, unknown, where) {
    out.findings.push(unreadableFinding(reply, reading.state === 'unreadable' ? reading.reason : `answered ${reply.status}`, unknown, where));
}
/** The token's user (and scopes), or for an app every repository the installation reaches. */
function readIdentity({ isApp, call }) {
    return isApp ? listAll(call, 'GET /installation/repositories', 'repositories') : call('GET /user');
}
/** Every repository a fine-grained token reaches, when the role wants only its own. */
async function listReachable({ isApp, scoped, gh, call }) {
    return !isApp && !scoped && gh.onlyTheseRepositories
        ? listAll(call, 'GET /user/repos', undefined)
        : undefined;
}
/**
 * The organization's members and public members. GitHub serves the member list to anyone, but
 * shows concealed members only to tokens with Members read: the permission shows as members
 * beyond the public ones.
 */
async function listOrganizationMembers({ req, scoped, call }) {
    if (!req.organization || scoped)
        return undefined;
    const org = req.organization;
    return Promise.all([
        listAll(call, 'GET /orgs/{org}/members', undefined, { org }),
        listAll(call, 'GET /orgs/{org}/public_members', undefined, { org }),
    ]);
}
/** The token is refused: that one finding replaces the others (they only repeat it). */
function github_audit_rejected({ out }, message, fix) {
    out.fatal = true;
    out.findings.length = 0;
    out.findings.push({ kind: 'credentials', severity: 'error', message, fix });
}
function noteUser(a, identity) {
    const who = (0,src_answers/* readAnswer */.JN)(identity, USER);
    if (who.state === 'present') {
        a.out.login = String(identity.body.login);
        if (a.scoped)
            a.out.scopes = parseScopesHeader(identity.headers['x-oauth-scopes']);
    }
    else
        unread(a, identity, who, a.scoped ? "the token's user and scopes" : "the token's user");
}
/** Whether the token reaches the repository and, for fine-grained and app tokens, what it may do. */
async function checkRepository(a, slot, repo) {
    const name = full(repo);
    const where = { repository: name, slot };
    const required = a.gh.repositories[slot]?.permissions ?? {};
    if (a.scoped && Object.keys(required).join() === 'statuses')
        return checkStatusesOnly(a, slot, repo, required.statuses);
    const reply = await a.call('GET /repos/{owner}/{repo}', { ...repo });
    const reading = (0,src_answers/* readAnswer */.JN)(reply, github_probes_REPOSITORY);
    const check = {
        slot,
        repository: name,
        reachable: reading.state === 'unreadable' ? 'unverified' : reading.state === 'present',
        permissions: [],
    };
    if (reading.state === 'unreadable') {
        unread(a, reply, reading, `that the token reaches ${name} or what it may do there`, where);
        return check;
    }
    if (reading.state === 'absent')
        a.unreachable.set(name, reply.status);
    if (reading.state !== 'present' || a.scoped)
        return check;
    const data = reply.body;
    const ref = {
        ...repo,
        branch: typeof data.default_branch === 'string' ? data.default_branch : 'main',
    };
    const found = {};
    /** The request whose answer could not be read, per permission. */
    const unknown = {};
    const reads = await readProbes(a, ref, where, found, unknown);
    if (a.req.probeWrites)
        await writeProbes(a, ref, where, reads, found, unknown);
    for (const permission of new Set([...PROBED_PERMISSIONS, ...Object.keys(required)])) {
        const probed = permission in found || permission === 'metadata';
        const level = permission === 'metadata' ? 'read' : probed ? found[permission] : 'unverified';
        check.permissions.push({
            permission,
            required: required[permission],
            found: level,
            ...(unknown[permission] && { request: unknown[permission] }),
        });
    }
    return check;
}
/**
 * A status-only classic token (repo:status) cannot see a private repository at all, but can read
 * its statuses: that one request shows both reach and the permission.
 */
async function checkStatusesOnly(a, slot, repo, required) {
    const name = full(repo);
    const statuses = await a.call('GET /repos/{owner}/{repo}/commits/{ref}/statuses', {
        ...repo,
        ref: 'HEAD',
        per_page: 1,
    });
    const reading = (0,src_answers/* readAnswer */.JN)(statuses, READ_RULES.statuses);
    if (reading.state === 'unreadable')
        unread(a, statuses, reading, `that the token reaches ${name} and reads its statuses`, {
            repository: name,
            slot,
        });
    const ok = reading.state === 'present';
    return {
        slot,
        repository: name,
        reachable: reading.state === 'unreadable' ? 'unverified' : ok,
        permissions: ok ? [{ permission: 'statuses', required, found: 'write' }] : [],
    };
}
/** One read per probed permission, concurrently: 'read', 'none' or 'unverified' for each. */
async function readProbes(a, ref, where, found, unknown) {
    const reads = await Promise.all(PROBED_PERMISSIONS.map(async (permission) => {
        const [route, params] = PROBES[permission].read(ref);
        const r = await a.call(route, params);
        const seen = (0,src_answers/* readAnswer */.JN)(r, READ_RULES[permission]);
        if (seen.state === 'unreadable')
            unread(a, r, seen, `'${(0,github_errors/* permissionLabel */.Ck)(permission)}' on ${where.repository}`, {
                ...where,
                permission,
            });
        return [permission, seen.state, r.request];
    }));
    for (const [permission, state, request] of reads) {
        found[permission] = state === 'present' ? 'read' : state === 'absent' ? 'none' : 'unverified';
        if (state === 'unreadable')
            unknown[permission] = request;
    }
    return reads;
}
/** An invalid write per permission that reads: 'write' where GitHub validated it. */
async function writeProbes(a, ref, where, reads, found, unknown) {
    // Sequential on purpose: GitHub asks that writes are not sent concurrently.
    for (const [permission, state] of reads) {
        if (state !== 'present')
            continue;
        const [route, params] = PROBES[permission].write(ref);
        const r = await a.call(route, params);
        const seen = (0,src_answers/* readAnswer */.JN)(r, WRITE_RULES);
        if (seen.state === 'present')
            found[permission] = 'write';
        else if (seen.state === 'unreadable') {
            unread(a, r, seen, `whether the token may write '${(0,github_errors/* permissionLabel */.Ck)(permission)}' on ${where.repository}`, {
                ...where,
                permission,
            });
            unknown[permission] = r.request;
        }
    }
}
/** Kind accepted by the profile? */
function github_audit_kindFindings({ req, gh, out }) {
    if (gh.kinds.includes(req.kind))
        return;
    out.findings.push({
        kind: 'kind',
        severity: 'error',
        message: `A ${req.kind} token is not accepted for profile '${req.profile.name}' (accepted: ${gh.kinds.join(', ')}).`,
        fix: req.kind === 'classic'
            ? 'Create a fine-grained token limited to the repositories of the role, or use a GitHub App.'
            : undefined,
    });
}
function classicScopeFindings({ req, gh, out }, scopes) {
    const { missing, excess } = compareScopes(scopes, gh.classicScopes);
    out.findings.push(...scopeFindings(missing, excess, gh.classicScopes, req.onExcess, {
        add: (s) => `Edit the token and tick '${s}'.`,
        remove: (s) => `Remove '${s}' from the token.`,
    }));
}
/** Per repository: unreachable, not verified, or each permission's finding. */
function repositoryFindings(a, repositories) {
    const { out, scoped } = a;
    const onlyStatuses = onlyStatusesOf(a.gh);
    const unreadableRepos = new Set(out.findings.filter((f) => f.request && f.repository && !f.permission).map((f) => f.repository));
    for (const check of repositories) {
        // Its answer could not be read: the finding naming the request is already there.
        if (unreadableRepos.has(check.repository))
            continue;
        // A classic token without 'repo' cannot see private repositories at all: say so, not 404.
        // (A statuses probe is conclusive: repo:status reads statuses of private repositories.)
        if (check.reachable === false &&
            scoped &&
            !hasRepoScope(out.scopes) &&
            !onlyStatuses(check.slot))
            check.reachable = 'unverified';
        if (check.reachable === false) {
            out.findings.push({
                kind: 'unreachable',
                severity: 'error',
                repository: check.repository,
                slot: check.slot,
                message: `The token cannot reach ${check.repository} (slot '${check.slot}'): GitHub answers ${a.unreachable.get(check.repository) ?? 404}.`,
                fix: 'Check the name, that a fine-grained token has the repository selected (and belongs to its owner), or that the app is installed on it.',
            });
            continue;
        }
        if (check.reachable === 'unverified') {
            out.findings.push({
                kind: 'unverified',
                severity: 'warning',
                repository: check.repository,
                slot: check.slot,
                message: `A classic token without 'repo' cannot see the private repository ${check.repository}; access to it was not verified.`,
            });
            continue;
        }
        for (const p of check.permissions) {
            // Its probe's answer could not be read: already a finding that names the request.
            if (p.request)
                continue;
            const finding = permissionFinding(a, check, p);
            if (finding)
                out.findings.push(finding);
        }
    }
}
/** What a permission found on a repository says against what its slot requires. */
function permissionFinding({ req, gh }, check, p) {
    const where = { repository: check.repository, slot: check.slot, permission: p.permission };
    const name = (0,github_errors/* permissionLabel */.Ck)(p.permission);
    if (p.required && p.found === 'unverified') {
        return {
            ...where,
            kind: 'unverified',
            severity: 'warning',
            level: p.required,
            message: `'${p.permission}: ${p.required}' on ${check.repository} cannot be observed through the API; not verified.`,
        };
    }
    if (p.required && p.found === 'none') {
        return {
            ...where,
            kind: 'missing',
            severity: 'error',
            level: p.required,
            message: `'${name}: ${p.required}' is missing on ${check.repository}.`,
            fix: `Grant ${name} (${p.required === 'write' ? 'Read and write' : 'Read-only'}) to the token.`,
        };
    }
    if (p.required === 'write' && p.found === 'read') {
        return req.probeWrites
            ? {
                ...where,
                kind: 'missing',
                severity: 'error',
                level: 'write',
                message: `'${name}: write' is missing on ${check.repository} (it can only read).`,
                fix: `Set ${name} to Read and write.`,
            }
            : {
                ...where,
                kind: 'unverified',
                severity: 'info',
                level: 'write',
                message: `'${name}: write' on ${check.repository}: read is confirmed, write is not probed (set probe-writes: true).`,
            };
    }
    if (!p.required && (p.found === 'read' || p.found === 'write')) {
        return {
            ...where,
            kind: 'excess',
            severity: excessSeverity(req.onExcess),
            level: p.found,
            message: `'${name}: ${p.found}' on ${check.repository} is more than the role needs.`,
            fix: `Remove ${name} from the token.`,
        };
    }
    if (p.required === 'read' && p.found === 'write') {
        // A fine-grained or app token has one permission set for all its repositories: when
        // another slot needs write, write here cannot be avoided, so it is no finding to fix.
        const unavoidable = Object.values(gh.repositories).some((r) => r.permissions[p.permission] === 'write');
        return {
            ...where,
            kind: unavoidable ? 'unverified' : 'excess',
            severity: unavoidable ? 'info' : excessSeverity(req.onExcess),
            level: 'write',
            message: unavoidable
                ? `'${name}: write' on ${check.repository} is more than its slot needs (read), but unavoidable: the token's permissions apply to all its repositories and another slot needs write.`
                : `'${name}: write' on ${check.repository} is more than the role needs (read).`,
            ...(!unavoidable && { fix: `Set ${name} to Read-only.` }),
        };
    }
    return undefined;
}
/**
 * Organization permissions (fine-grained and app tokens; classic ones show them as scopes).
 * Members refused (JSON 403/404) proves the permission absent; otherwise both lists are needed
 * to tell concealed members apart, so either one unread leaves it unknown.
 */
function organizationFindings(a, org) {
    const { req, gh, out } = a;
    const orgUnread = org && org[0].reading.state !== 'absent'
        ? org.find((l) => l.reading.state !== 'present')
        : undefined;
    if (orgUnread) {
        unread(a, orgUnread, orgUnread.reading, `organization permission 'Members' on ${req.organization}`, {
            permission: 'members',
        });
        return;
    }
    if (!org) {
        if (gh.organization.members && !a.scoped)
            out.findings.push({
                kind: 'unverified',
                severity: 'warning',
                permission: 'members',
                message: "Organization permission 'Members' was not verified: set the 'organization' input.",
            });
        return;
    }
    const needs = gh.organization.members;
    const [members, visible] = org;
    const loginOf = (u) => String(u.login);
    const publicLogins = new Set((visible.items ?? []).map(loginOf));
    const concealed = (members.items ?? []).filter((u) => !publicLogins.has(loginOf(u)));
    const visibleLogins = new Set((members.items ?? []).map((u) => loginOf(u).toLowerCase()));
    const has = members.status === 200 && concealed.length > 0;
    // Without the permission only public members show. The token's own user is a member (only
    // members can own an org token) and an org always has one: if neither shows, it is missing.
    const certainlyNot = members.status !== 200 ||
        visibleLogins.size === 0 ||
        (out.login !== undefined && !visibleLogins.has(out.login.toLowerCase()));
    const told = has || certainlyNot;
    if (needs && !told) {
        out.findings.push({
            kind: 'unverified',
            severity: 'warning',
            permission: 'members',
            level: needs,
            message: `Organization permission 'Members: ${needs}' on ${req.organization} cannot be told apart: every member is public, so the token sees the same list either way.`,
        });
    }
    else if (needs && !has) {
        out.findings.push({
            kind: 'missing',
            severity: 'error',
            permission: 'members',
            level: needs,
            message: `Organization permission 'Members: ${needs}' on ${req.organization} is missing.`,
            fix: 'Grant Members (Read-only) under Organization permissions.',
        });
    }
    if (!needs && has)
        out.findings.push({
            kind: 'excess',
            severity: excessSeverity(req.onExcess),
            permission: 'members',
            level: 'read',
            message: `Organization permission 'Members' on ${req.organization} is more than the role needs.`,
            fix: 'Remove Members from Organization permissions.',
        });
}
/** Repositories reachable beyond the role's slots. */
function reachableBeyondFindings(a, listing) {
    const { req, gh, out, isApp } = a;
    if (listing && listing.reading.state !== 'present' && (isApp || gh.onlyTheseRepositories))
        unread(a, listing, listing.reading, isApp
            ? 'which repositories the installation reaches'
            : "that the token reaches no repositories beyond the role's");
    const extra = listing?.items;
    if (!extra || !gh.onlyTheseRepositories)
        return;
    const slotNames = new Set(Object.values(req.repositories).map((r) => full(r).toLowerCase()));
    for (const r of extra) {
        const name = String(r.full_name);
        if (!slotNames.has(name.toLowerCase())) {
            out.findings.push({
                kind: 'excess',
                severity: excessSeverity(req.onExcess),
                repository: name,
                message: `The token also reaches ${name}, which the role does not use.`,
                fix: 'Limit the token to "Only select repositories" with just the role\'s repositories.',
            });
        }
    }
}
function onlyStatusesOf(gh) {
    return (slot) => Object.keys(gh.repositories[slot ?? '']?.permissions ?? {}).join() === 'statuses';
}
const full = (r) => `${r.owner}/${r.repo}`;
const hasRepoScope = (scopes) => !!scopes?.includes('repo');

;// CONCATENATED MODULE: ./packages/core/src/tokens/gitlab-audit.ts




const SELF = {
    provider: 'GitLab',
    shape: {
        test: (b) => (0,src_answers/* isJsonObject */.OW)(b) &&
            Array.isArray(b.scopes) &&
            (b.expires_at === undefined || b.expires_at === null || typeof b.expires_at === 'string'),
        is: "a JSON object with a list 'scopes' and an 'expires_at'",
    },
};
const PROJECTS = (0,src_answers/* listOf */.c3)('path_with_namespace');
const GROUPS = (0,src_answers/* listOf */.c3)('full_path');
/** Every item must name what it is: a list of something else would read as "reaches nothing". */
const ASSOCIATIONS = {
    provider: 'GitLab',
    shape: {
        test: (b) => PROJECTS.test(b) ||
            ((0,src_answers/* isJsonObject */.OW)(b) &&
                (b.projects === undefined || PROJECTS.test(b.projects)) &&
                (b.groups === undefined || GROUPS.test(b.groups))),
        is: `${PROJECTS.is}, or a JSON object with 'projects' (each with a string 'path_with_namespace') and 'groups' (each with a string 'full_path')`,
    },
};
async function auditGitLabToken(req) {
    const base = `${req.apiUrl.replace(/\/+$/, '').replace(/\/api\/v4$/, '')}/api/v4`;
    const headers = { 'PRIVATE-TOKEN': req.token, 'User-Agent': 'argocd-actions' };
    const out = { findings: [], repositories: [], requests: 0 };
    const required = req.profile.gitlab.scopes;
    const slots = Object.entries(req.repositories);
    const get = (url) => {
        out.requests++;
        return (0,http/* getJson */.T)(url, headers);
    };
    const selfTask = get(`${base}/personal_access_tokens/self`);
    const assocTask = slots.length ? reachable(get, base) : undefined;
    const self = await selfTask;
    if ((0,src_answers/* rejectsCredentials */.N5)(self)) {
        out.fatal = true;
        out.findings.push({
            kind: 'credentials',
            severity: 'error',
            message: 'GitLab rejects the token (401): it is wrong, revoked or expired.',
            fix: 'Create a new token and update the secret.',
        });
        await assocTask;
        return out;
    }
    const selfReading = (0,src_answers/* readAnswer */.JN)(self, SELF);
    if (selfReading.state === 'present') {
        const info = self.body;
        out.scopes = info.scopes.map(String);
        out.expiresAt = info.expires_at ? new Date(`${info.expires_at}T00:00:00Z`) : null;
        if (out.expiresAt && Number.isNaN(out.expiresAt.getTime()))
            out.expiresAt = undefined;
        if (info.revoked || info.active === false) {
            out.findings.push({
                kind: 'credentials',
                severity: 'error',
                message: `The token is ${info.revoked ? 'revoked' : 'not active'}.`,
                fix: 'Create a new token.',
            });
        }
        const { missing, excess } = compareScopes(out.scopes, required, GITLAB_IMPLIES);
        out.findings.push(...scopeFindings(missing, excess, required, req.onExcess, {
            add: (s) => `Create a token with '${s}' (scopes cannot be changed later).`,
            remove: (s) => `Create a token without '${s}'.`,
        }));
    }
    else {
        // Scopes and expiry unknown: neither "missing" nor "never expires".
        out.findings.push(unreadableFinding(self, selfReading.state === 'absent'
            ? `answered ${self.status}: this GitLab cannot describe the token (personal_access_tokens/self needs GitLab 15.5+)`
            : selfReading.reason, "the token's scopes and expiry"));
    }
    if (assocTask) {
        const assoc = await assocTask;
        const reach = assoc.reach;
        for (const [slot, path] of slots) {
            const lower = path.toLowerCase();
            const ok = reach?.has(lower) ||
                [...(reach ?? [])].some((r) => r.endsWith('/*') && lower.startsWith(r.slice(0, -1)));
            const check = {
                slot,
                repository: path,
                reachable: reach ? !!ok : 'unverified',
                permissions: [],
            };
            out.repositories.push(check);
            if (!reach)
                out.findings.push(unreadableFinding(assoc.answer, assoc.reason, `that the token reaches ${path}`, {
                    slot,
                    repository: path,
                }));
            else if (!ok)
                out.findings.push({
                    kind: 'unreachable',
                    severity: 'error',
                    slot,
                    repository: path,
                    message: `The token does not reach ${path} (slot '${slot}').`,
                    fix: "Give the token's user (or the project/group token) access to the project.",
                });
        }
    }
    return out;
}
/** Every project and group the token reaches (lowercased; groups as 'path/*'), or why not known. */
async function reachable(get, base) {
    const reach = new Set();
    let page = '1';
    let answer;
    for (let n = 0; n < 10; n++) {
        answer = await get(`${base}/personal_access_tokens/self/associations?per_page=100&page=${page}`);
        const reading = (0,src_answers/* readAnswer */.JN)(answer, ASSOCIATIONS);
        if (reading.state !== 'present') {
            const reason = reading.state === 'absent'
                ? `answered ${answer.status}: this GitLab cannot list what a token reaches (the associations API needs GitLab 17.4+)`
                : reading.reason;
            return { answer, reason };
        }
        const body = answer.body;
        const projects = Array.isArray(body) ? body : (body.projects ?? []);
        for (const p of projects)
            if (typeof p?.path_with_namespace === 'string')
                reach.add(p.path_with_namespace.toLowerCase());
        const groups = Array.isArray(body) ? [] : (body.groups ?? []);
        for (const g of groups)
            if (typeof g?.full_path === 'string')
                reach.add(`${g.full_path.toLowerCase()}/*`);
        const next = answer.headers['x-next-page'];
        if (!next)
            return { reach, answer, reason: '' };
        page = next;
    }
    // Beyond ten pages the list is cut short: a slot not in it is not proven unreachable.
    return { answer: answer, reason: 'has more than ten pages; the rest was not read' };
}

;// CONCATENATED MODULE: ./packages/core/src/tokens/audit.ts






/** Argo CD has no public instance: its server is always given ('api-url'). */
const DEFAULT_API_URLS = {
    github: 'https://api.github.com',
    gitlab: 'https://gitlab.com',
    bitbucket: 'https://api.bitbucket.org',
    argocd: '',
};
const SLOT_EXAMPLES = {
    deploy: 'argocd-deploy-non-prod',
    'deploy-prod': 'argocd-deploy-prod',
    infra: 'infra-repo',
    app: 'my-app',
};
const slotExample = (slot, example) => `${slot}: ${example.split('/')[0]}/${SLOT_EXAMPLES[slot] ?? example.split('/')[1]}`;
const PATHS = {
    github: { pattern: /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, example: 'my-org/argocd-deploy-non-prod' },
    gitlab: {
        pattern: /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/,
        example: 'my-group/argocd-deploy-non-prod',
    },
    bitbucket: {
        pattern: /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/,
        example: 'my-workspace/argocd-deploy-non-prod',
    },
};
/** Checks the repositories map against the profile's slots before anything is sent. */
function checkSlots(opts) {
    const provider = opts.identity.provider;
    const section = opts.profile[provider];
    if (!section) {
        const has = ['github', 'gitlab', 'bitbucket', 'argocd'].filter((p) => opts.profile[p]);
        throw new errors/* InputError */.dz('profile', `'${opts.profile.name}' has no requirements for ${provider} tokens (it covers: ${has.join(', ')})`, provider === 'argocd' ? 'argocd-ci-sync' : 'codefresh-runtime');
    }
    if (provider === 'argocd')
        return checkArgoCdTargets(opts);
    if (opts.argocd) {
        throw new errors/* InputError */.dz('argocd-project', `is for Argo CD tokens; this is a ${provider} token (its repositories go in 'repositories')`, '');
    }
    const slots = provider === 'github' ? opts.profile.github.repositories : {};
    const { pattern, example } = PATHS[provider];
    for (const [slot, path] of Object.entries(opts.repositories)) {
        if (provider === 'github' && !(slot in slots)) {
            const names = Object.keys(slots);
            throw new errors/* InputError */.dz('repositories', `has a slot '${slot}' that profile '${opts.profile.name}' does not use; its slots: ${names.join(', ') || 'none'}`, `{ ${names[0] ?? 'deploy'}: ${example} }`);
        }
        if (!pattern.test(path))
            throw new errors/* InputError */.dz('repositories', `slot '${slot}' must be a repository path, not '${path}'`, `{ ${slot}: ${example} }`);
    }
    if (provider === 'github') {
        const missing = Object.entries(slots)
            .filter(([slot, req]) => !req.optional && !(slot in opts.repositories))
            .map(([s]) => s);
        if (missing.length) {
            throw new errors/* InputError */.dz('repositories', `lacks the slot${missing.length > 1 ? 's' : ''} ${missing.join(', ')} that profile '${opts.profile.name}' needs`, `{ ${missing.map((m) => slotExample(m, example)).join(', ')} }`);
        }
    }
}
const ARGOCD_EXAMPLE = { project: 'my-proj', applications: 'nonprod.web, nonprod.worker' };
/** An Argo CD token is checked against the release's project and applications, on its server. */
function checkArgoCdTargets(opts) {
    if (Object.keys(opts.repositories).length)
        throw new errors/* InputError */.dz('repositories', "is for Git tokens; an Argo CD token's counterpart is 'argocd-project' and 'argocd-applications'", '');
    if (!opts.apiUrl)
        throw new errors/* InputError */.dz('api-url', 'is required for an Argo CD token: the Argo CD server the token belongs to', 'https://argocd.example.com');
    if (!opts.argocd?.project)
        throw new errors/* InputError */.dz('argocd-project', `is required for an Argo CD token: the project of the release's applications (profile '${opts.profile.name}')`, ARGOCD_EXAMPLE.project);
    if (!opts.argocd.applications.length)
        throw new errors/* InputError */.dz('argocd-applications', `is required for an Argo CD token: the release's applications in project ${opts.argocd.project}`, ARGOCD_EXAMPLE.applications);
}
async function auditToken(opts, clients) {
    checkSlots(opts);
    const started = Date.now();
    const now = opts.now ?? new Date();
    const { provider, kind } = opts.identity;
    const apiUrl = opts.apiUrl || DEFAULT_API_URLS[provider];
    let found;
    if (kind === 'refresh') {
        found = {
            findings: [
                {
                    kind: 'kind',
                    severity: 'error',
                    message: 'This is a GitHub App refresh token (ghr_): it cannot call the API.',
                    fix: 'Use the user-to-server or installation token minted with it.',
                },
            ],
            repositories: [],
            requests: 0,
            fatal: true,
        };
    }
    else if (provider === 'github') {
        const repositories = Object.fromEntries(Object.entries(opts.repositories).map(([slot, p]) => {
            const [owner, repo] = p.split('/');
            return [slot, { owner, repo }];
        }));
        found = await auditGitHubToken(clients.github(opts.token, apiUrl), {
            kind,
            profile: opts.profile,
            repositories,
            organization: opts.organization,
            onExcess: opts.onExcess,
            probeWrites: opts.probeWrites,
        });
    }
    else if (provider === 'argocd') {
        found = await auditArgoCdToken({
            server: { url: apiUrl, token: opts.token, source: "input 'api-url'" },
            identity: opts.identity,
            profile: opts.profile,
            project: opts.argocd.project,
            applications: opts.argocd.applications,
            onExcess: opts.onExcess,
            now,
            http: opts.argocdHttp,
        });
    }
    else if (provider === 'gitlab') {
        found = await auditGitLabToken({
            token: opts.token,
            apiUrl,
            profile: opts.profile,
            repositories: opts.repositories,
            onExcess: opts.onExcess,
        });
    }
    else {
        found = await auditBitbucketToken({
            token: opts.token,
            kind,
            apiUrl,
            profile: opts.profile,
            repositories: opts.repositories,
            onExcess: opts.onExcess,
        }, now);
    }
    const findings = [...found.findings];
    const expiresAt = found.expiresAt ?? null;
    const daysLeft = expiresAt ? Math.floor((expiresAt.getTime() - now.getTime()) / 86_400_000) : null;
    if (!found.fatal)
        findings.push(...expiryFindings(opts, kind, found.expiresAt, daysLeft));
    if (opts.name)
        findings.push(...nameFindings(opts.name, kind, opts.profile));
    const valid = !findings.some((f) => f.severity === 'error');
    const missing = findings.filter((f) => f.kind === 'missing');
    const excess = findings.filter((f) => f.kind === 'excess');
    const errors = findings.filter((f) => f.severity === 'error' && !isUnverifiable(f)).length;
    const unknown = findings.filter(isUnverifiable).length;
    // What is proven wrong is said as such; only what cannot be read makes it "cannot verify".
    const outcome = valid ? 'fits' : errors ? 'does-not-fit' : 'cannot-verify';
    const unread = `${unknown} thing${unknown > 1 ? 's' : ''} could not be verified`;
    const verdict = outcome === 'fits'
        ? `fits profile '${opts.profile.name}'${findings.some((f) => f.severity === 'warning') ? ' (with warnings)' : ''}`
        : outcome === 'cannot-verify'
            ? `cannot be verified against profile '${opts.profile.name}': ${unread}`
            : `does not fit profile '${opts.profile.name}': ${errors} problem${errors > 1 ? 's' : ''} (${missing.length} missing, ${excess.filter((f) => f.severity === 'error').length} excess)${unknown ? `; ${unread}` : ''}`;
    return {
        valid,
        verdict,
        outcome,
        profile: opts.profile.name,
        provider,
        tokenType: kind,
        login: found.login,
        expiresAt: expiresAt ? expiresAt.toISOString() : null,
        expiryKnown: found.expiresAt !== undefined,
        daysLeft,
        scopes: found.scopes,
        repositories: found.repositories,
        missing,
        excess,
        findings,
        requests: found.requests,
        durationMs: Date.now() - started,
        writesProbed: opts.probeWrites && provider === 'github',
    };
}
function expiryFindings(opts, kind, expiresAt, daysLeft) {
    if (kind === 'installation') {
        return [
            {
                kind: 'expiry',
                severity: 'info',
                message: 'Installation tokens live one hour and are minted per job: nothing to rotate.',
            },
        ];
    }
    if (expiresAt === undefined)
        return [{ kind: 'expiry', severity: 'info', message: 'The expiry could not be read.' }];
    if (expiresAt === null) {
        const argocd = kind.startsWith('argocd-');
        return [
            {
                kind: 'expiry',
                severity: opts.requireExpiry ? 'error' : opts.profile.rotate ? 'warning' : 'info',
                message: `The token never expires${argocd ? " (it has no 'exp' claim)" : ''}${opts.requireExpiry ? ', and require-expiry is set' : ''}.`,
                fix: opts.requireExpiry || opts.profile.rotate
                    ? argocd
                        ? 'Create a token with an expiry (argocd proj role create-token <project> <role> --expires-in 30d) and rotate it.'
                        : 'Set an expiration and rotate it; or use a GitHub App, whose tokens live one hour.'
                    : undefined,
            },
        ];
    }
    const when = expiresAt.toISOString();
    if (daysLeft < 0 || expiresAt <= (opts.now ?? new Date())) {
        return [
            {
                kind: 'expiry',
                severity: 'error',
                message: `The token expired on ${when}.`,
                fix: 'Regenerate the token and update where it is stored.',
            },
        ];
    }
    if (daysLeft < opts.minDaysLeft) {
        return [
            {
                kind: 'expiry',
                severity: 'error',
                message: `The token expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (${when}), fewer than min-days-left (${opts.minDaysLeft}).`,
                fix: 'Regenerate it now and update where it is stored.',
            },
        ];
    }
    if (daysLeft < opts.warnDaysLeft) {
        return [
            {
                kind: 'expiry',
                severity: 'warning',
                message: `The token expires in ${daysLeft} days (${when}).`,
                fix: 'Plan its rotation.',
            },
        ];
    }
    return [];
}
const CONVENTION = /^[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*$/;
const CLASSIC_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The seed's naming convention: `<app>/<actor>/<use-case>`; classic tokens `[A-Za-z_][A-Za-z0-9_]*`. */
function nameFindings(name, kind, profile) {
    const out = [];
    if (kind === 'classic') {
        if (!CLASSIC_NAME.test(name)) {
            out.push({
                kind: 'name',
                severity: 'warning',
                message: `The name '${name}' does not follow the classic-token rule: letters, digits and underscores, starting with a letter or underscore (e.g. ARGOCD_APP_NOTIFICATIONS).`,
            });
        }
    }
    else if (!CONVENTION.test(name)) {
        out.push({
            kind: 'name',
            severity: 'warning',
            message: `The name '${name}' does not follow the convention <app>/<actor>/<use-case> (e.g. argocd/github/nonprod).`,
        });
    }
    if (!out.length && profile.tokenNames.length && !profile.tokenNames.includes(name)) {
        out.push({
            kind: 'name',
            severity: 'info',
            message: `Profile '${profile.name}' names its tokens ${profile.tokenNames.join(' or ')}; this one is '${name}'.`,
        });
    }
    return out;
}

// EXTERNAL MODULE: ./packages/core/src/tokens/kind.ts
var kind = __webpack_require__(3028);
;// CONCATENATED MODULE: ./packages/core/src/tokens/profile-schema.ts

/** Argo CD's RBAC actions on applications that a profile may need (util/rbac Actions). */
const ARGOCD_APPLICATION_ACTIONS = [
    'get',
    'sync',
    'create',
    'update',
    'delete',
    'override',
    'action',
];
/** GitHub's fine-grained repository permissions (API names). */
const REPOSITORY_PERMISSIONS = [
    'actions',
    'administration',
    'attestations',
    'checks',
    'code_scanning_alerts',
    'codespaces',
    'contents',
    'custom_properties',
    'dependabot_alerts',
    'dependabot_secrets',
    'deployments',
    'discussions',
    'environments',
    'issues',
    'merge_queues',
    'metadata',
    'packages',
    'pages',
    'pull_requests',
    'repository_hooks',
    'repository_projects',
    'secret_scanning_alerts',
    'secrets',
    'security_events',
    'statuses',
    'variables',
    'workflows',
];
const ORGANIZATION_PERMISSIONS = [
    'members',
    'organization_administration',
    'organization_hooks',
    'organization_projects',
    'organization_secrets',
    'organization_variables',
    'team_discussions',
];
const SLOT_NAME = /^[a-z][a-z0-9-]{0,30}$/;
const KINDS = ['classic', 'fine-grained', 'installation', 'oauth', 'app-user'];
const LEVELS = ['read', 'write'];
class ProfileError extends Error {
    problems;
    constructor(problems) {
        super(problems.join('; '));
        this.problems = problems;
        this.name = 'ProfileError';
    }
}
const isObj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Validates an untrusted profile document; collects every problem with its path. */
function parseProfile(name, doc) {
    const problems = [];
    const at = (path, msg) => problems.push(`${path}: ${msg}`);
    if (!isObj(doc))
        throw new ProfileError([`profile must be a mapping, not ${typeName(doc)}`]);
    const known = (o, path, keys) => {
        for (const k of Object.keys(o))
            if (!keys.includes(k))
                at(`${path}${k}`, `unknown key; allowed: ${keys.join(', ')}`);
    };
    const strings = (v, path) => {
        if (v === undefined)
            return [];
        if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) {
            at(path, 'must be a list of strings');
            return [];
        }
        return v;
    };
    const level = (v, path) => {
        if (LEVELS.includes(v))
            return v;
        at(path, `must be read or write, not ${JSON.stringify(v)}`);
        return undefined;
    };
    known(doc, '', [
        'description',
        'token-names',
        'storage',
        'rotate',
        'github',
        'gitlab',
        'bitbucket',
        'argocd',
        '$comment',
    ]);
    if (doc.description !== undefined && typeof doc.description !== 'string')
        at('description', 'must be a string');
    if (doc.rotate !== undefined && typeof doc.rotate !== 'boolean')
        at('rotate', 'must be true or false');
    if (doc.storage !== undefined && (!Array.isArray(doc.storage) || !doc.storage.every(isObj))) {
        at('storage', 'must be a list of mappings');
    }
    const profile = {
        name,
        description: typeof doc.description === 'string' ? doc.description : '',
        tokenNames: strings(doc['token-names'], 'token-names'),
        storage: Array.isArray(doc.storage) ? doc.storage.filter(isObj) : [],
        rotate: doc.rotate !== false,
    };
    if (doc.github !== undefined) {
        const gh = doc.github;
        if (!isObj(gh))
            at('github', 'must be a mapping');
        else {
            known(gh, 'github.', [
                'kinds',
                'classic-scopes',
                'repositories',
                'organization',
                'only-these-repositories',
            ]);
            const kinds = strings(gh.kinds, 'github.kinds');
            for (const k of kinds)
                if (!KINDS.includes(k))
                    at('github.kinds', `unknown kind '${k}'; one of: ${KINDS.join(', ')}`);
            if (!kinds.length)
                at('github.kinds', `must list at least one of: ${KINDS.join(', ')}`);
            const classicScopes = strings(gh['classic-scopes'], 'github.classic-scopes');
            for (const s of classicScopes)
                if (!KNOWN_CLASSIC_SCOPES.has(s))
                    at('github.classic-scopes', `unknown scope '${s}'`);
            if (kinds.includes('classic') && !classicScopes.length)
                at('github.classic-scopes', "required when kinds include 'classic'");
            const repositories = {};
            if (gh.repositories !== undefined && !isObj(gh.repositories))
                at('github.repositories', 'must be a mapping of slot: permissions');
            for (const [slot, req] of Object.entries(isObj(gh.repositories) ? gh.repositories : {})) {
                const path = `github.repositories.${slot}`;
                if (!SLOT_NAME.test(slot))
                    at(path, 'slot names are lower-case words like deploy, infra, app');
                if (!isObj(req)) {
                    at(path, 'must be a mapping of permission: read|write');
                    continue;
                }
                const permissions = {};
                for (const [perm, v] of Object.entries(req)) {
                    if (perm === 'optional') {
                        if (typeof v !== 'boolean')
                            at(`${path}.optional`, 'must be true or false');
                        continue;
                    }
                    if (!REPOSITORY_PERMISSIONS.includes(perm)) {
                        at(`${path}.${perm}`, `unknown repository permission; e.g. ${['contents', 'statuses', 'repository_hooks', 'administration'].join(', ')}`);
                        continue;
                    }
                    const l = level(v, `${path}.${perm}`);
                    if (l)
                        permissions[perm] = l;
                }
                repositories[slot] = { permissions, optional: req.optional === true };
            }
            const organization = {};
            if (gh.organization !== undefined && !isObj(gh.organization))
                at('github.organization', 'must be a mapping of permission: read|write');
            for (const [perm, v] of Object.entries(isObj(gh.organization) ? gh.organization : {})) {
                if (!ORGANIZATION_PERMISSIONS.includes(perm)) {
                    at(`github.organization.${perm}`, `unknown organization permission; e.g. members`);
                    continue;
                }
                const l = level(v, `github.organization.${perm}`);
                if (l)
                    organization[perm] = l;
            }
            const only = gh['only-these-repositories'];
            if (only !== undefined && typeof only !== 'boolean')
                at('github.only-these-repositories', 'must be true or false');
            profile.github = {
                kinds,
                classicScopes,
                repositories,
                organization,
                onlyTheseRepositories: only !== false,
            };
        }
    }
    for (const provider of ['gitlab', 'bitbucket']) {
        const p = doc[provider];
        if (p === undefined)
            continue;
        if (!isObj(p)) {
            at(provider, 'must be a mapping with scopes');
            continue;
        }
        known(p, `${provider}.`, ['scopes']);
        const scopes = strings(p.scopes, `${provider}.scopes`);
        if (!scopes.length)
            at(`${provider}.scopes`, 'must list at least one scope');
        profile[provider] = { scopes };
    }
    if (doc.argocd !== undefined) {
        const a = doc.argocd;
        if (!isObj(a))
            at('argocd', 'must be a mapping with applications');
        else {
            known(a, 'argocd.', ['applications', 'only-these-applications']);
            const actions = strings(a.applications, 'argocd.applications');
            for (const action of actions)
                if (!ARGOCD_APPLICATION_ACTIONS.includes(action))
                    at('argocd.applications', `unknown action '${action}'; one of: ${ARGOCD_APPLICATION_ACTIONS.join(', ')}`);
            if (!actions.length)
                at('argocd.applications', 'must list at least one action, e.g. get');
            const only = a['only-these-applications'];
            if (only !== undefined && typeof only !== 'boolean')
                at('argocd.only-these-applications', 'must be true or false');
            profile.argocd = {
                applications: [...new Set(actions)],
                onlyTheseApplications: only !== false,
            };
        }
    }
    if (!profile.github && !profile.gitlab && !profile.bitbucket && !profile.argocd)
        at('', 'needs at least one of github, gitlab, bitbucket, argocd');
    if (problems.length)
        throw new ProfileError(problems);
    return profile;
}
function typeName(v) {
    return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v;
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./packages/core/src/yaml-input.ts
var yaml_input = __webpack_require__(4483);
;// CONCATENATED MODULE: ./packages/core/src/tokens/profiles.json
const profiles_namespaceObject = /*#__PURE__*/JSON.parse('{"x":{"argocd-deploy-repo-admin":{"description":"Terraform manages the two Argo CD deploy repositories (seed 000, PAT #1).","token-names":["argocd/terraform/argocd-repo"],"storage":[{"ssm":"/argocd/github/api_key","accounts":["core-auto"]}],"rotate":true,"github":{"kinds":["fine-grained","installation"],"repositories":{"deploy":{"administration":"write","contents":"write"},"deploy-prod":{"administration":"write","contents":"write"}},"organization":{"members":"read"},"only-these-repositories":true}},"argocd-webhooks":{"description":"Terraform registers the Argo CD webhook on a deploy repository (seed 000, PATs #2 and #3; the nonprod and prod tokens may be one).","token-names":["argocd/terraform-webhooks/nonprod","argocd/terraform-webhooks/prod"],"storage":[{"ssm":"/argocd/github/api_key","accounts":["plat-dev","plat-staging"],"for":"nonprod"},{"ssm":"/argocd/github/api_key","accounts":["plat-prod"],"for":"prod"}],"rotate":true,"github":{"kinds":["fine-grained","installation"],"repositories":{"deploy":{"repository_hooks":"write"},"deploy-prod":{"repository_hooks":"write","optional":true}},"only-these-repositories":true}},"argocd-notifications":{"description":"Argo CD notifications set commit statuses on application repositories (seed 000, PAT #4). The seed needed a classic token in 2023; fine-grained tokens now have Commit statuses.","token-names":["ARGOCD_APP_NOTIFICATIONS"],"storage":[{"ssm":"/argocd/notifications/notifiers/common/github-token","accounts":["plat-dev","plat-staging","plat-prod"]}],"rotate":true,"github":{"kinds":["classic","fine-grained","installation"],"classic-scopes":["repo:status"],"repositories":{"app":{"statuses":"write","optional":true}},"only-these-repositories":false}},"argocd-release":{"description":"Release workflows write the deploy repository and read the environment map in infra-repo (seed 000, PATs #5 and #6: one for nonprod, one for prod).","token-names":["argocd/github/nonprod","argocd/github/prod"],"storage":[{"github-secret":"ARGOCD_GITHUB_NONPROD","for":"nonprod"},{"github-secret":"ARGOCD_GITHUB_PROD","for":"prod"}],"rotate":true,"github":{"kinds":["fine-grained","installation"],"repositories":{"deploy":{"contents":"write"},"infra":{"contents":"read"}},"only-these-repositories":true}},"codefresh-runtime":{"description":"Codefresh GitOps Runtime token: installs the runtime, Argo CD clones and syncs, Argo Events creates webhooks (seed 002).","token-names":[],"storage":[],"rotate":true,"github":{"kinds":["classic","fine-grained","installation"],"classic-scopes":["repo","admin:repo_hook"],"repositories":{"deploy":{"administration":"write","contents":"write","repository_hooks":"write"}},"only-these-repositories":false},"gitlab":{"scopes":["read_api","read_repository"]},"bitbucket":{"scopes":["account","team","webhook","repository:write","repository:admin"]}},"codefresh-user":{"description":"Codefresh Git user token: each user\'s access to the runtime\'s repositories from the UI and CLI (seed 002).","token-names":[],"storage":[],"rotate":true,"github":{"kinds":["classic","fine-grained","installation"],"classic-scopes":["repo"],"repositories":{"deploy":{"contents":"write"}},"only-these-repositories":false},"gitlab":{"scopes":["write_repository","read_api"]},"bitbucket":{"scopes":["account","team","webhook","repository:write","repository:admin"]}},"argocd-ci-sync":{"description":"CI releases through Argo CD: get and sync the release\'s applications in one project, nothing else (issue 15). A project role\'s token with an expiry fits best.","token-names":["argocd/ci/nonprod","argocd/ci/prod"],"storage":[{"github-secret":"ARGOCD_TOKEN_NONPROD","for":"nonprod"},{"github-secret":"ARGOCD_TOKEN_PROD","for":"prod"}],"rotate":true,"argocd":{"applications":["get","sync"],"only-these-applications":true}},"argocd-ci-readonly":{"description":"CI waits for Argo CD: get the release\'s applications in one project, nothing else (issue 15).","token-names":["argocd/ci/readonly"],"storage":[],"rotate":true,"argocd":{"applications":["get"],"only-these-applications":true}}}}');
;// CONCATENATED MODULE: ./packages/core/src/tokens/profiles.ts







const builtinDocs = profiles_namespaceObject.x;
const PROFILE_EXAMPLE = 'github: { kinds: [fine-grained], repositories: { deploy: { contents: write } } }';
const BUILTIN_PROFILE_NAMES = Object.keys(builtinDocs);
function builtinProfile(name) {
    const doc = builtinDocs[name];
    return doc === undefined ? undefined : parseProfile(name, doc);
}
/** Resolves the profile inputs into one validated profile; every failure names its input. */
async function resolveProfile(source) {
    const { profile, requirements } = source;
    if (profile && requirements) {
        throw new errors/* InputError */.dz('requirements', "cannot be used together with 'profile': give one of them", PROFILE_EXAMPLE);
    }
    if (requirements)
        return fromYaml('requirements', 'inline', requirements);
    if (!profile) {
        throw new errors/* InputError */.dz('profile', `is required (or 'requirements'); built-in profiles: ${BUILTIN_PROFILE_NAMES.join(', ')}`, 'argocd-release');
    }
    const builtin = builtinProfile(profile);
    if (builtin)
        return builtin;
    if (!/[./\\]/.test(profile)) {
        throw new errors/* InputError */.dz('profile', `'${profile}' is not a built-in profile; built-in profiles: ${BUILTIN_PROFILE_NAMES.join(', ')}; or give the path of a YAML file`, 'argocd-release');
    }
    const file = external_node_path_default().resolve(source.workspace, profile);
    const rel = external_node_path_default().relative(source.workspace, file);
    if (rel.startsWith('..') || external_node_path_default().isAbsolute(rel)) {
        throw new errors/* InputError */.dz('profile', `must be a path inside the workspace, not '${profile}'`, '.github/token-profiles/release.yml');
    }
    let text;
    try {
        text = await (0,promises_.readFile)(file, 'utf8');
    }
    catch (error) {
        throw new errors/* InputError */.dz('profile', `names a file that cannot be read: ${rel} (${error.code ?? 'error'})`, '.github/token-profiles/release.yml');
    }
    return fromYaml('profile', external_node_path_default().basename(file).replace(/\.ya?ml$/, ''), text);
}
function fromYaml(input, name, text) {
    const doc = (0,yaml_input/* parseYamlInput */.P)(dist.parse, input, text, PROFILE_EXAMPLE);
    try {
        return parseProfile(name, doc);
    }
    catch (error) {
        if (error instanceof ProfileError) {
            throw new errors/* InputError */.dz(input, `is not a valid token profile: ${error.problems.join('; ')}`, PROFILE_EXAMPLE);
        }
        throw error;
    }
}

;// CONCATENATED MODULE: ./packages/core/src/tokens/report.ts
/** The audit as tables a person reads at a glance: the job summary and the CLI share the rows. */
const MARK = { error: '❌', warning: '⚠️', info: 'ℹ️' };
function permissionRows(report) {
    const rows = [];
    for (const repo of report.repositories) {
        const where = `${repo.repository}${repo.slot ? ` (${repo.slot})` : ''}`;
        if (repo.reachable !== true) {
            rows.push([
                where,
                'access',
                'required',
                repo.reachable === false ? 'no access' : 'not verified',
            ]);
            continue;
        }
        if (!repo.permissions.length)
            rows.push([where, 'access', 'required', 'yes']);
        for (const p of repo.permissions) {
            if (!p.required && p.found === 'none')
                continue;
            const found = p.request
                ? `${p.found === 'read' ? 'read, write ' : ''}unknown (${p.request} unreadable)`
                : p.found === 'read' && !report.writesProbed
                    ? 'read (write not probed)'
                    : p.found;
            rows.push([where, p.permission, p.required ?? '—', found]);
        }
    }
    return rows;
}
/** Git tokens reach repositories; an Argo CD token's permissions are on RBAC objects. */
const whereHeader = (report) => report.provider === 'argocd' ? 'Argo CD object' : 'Repository';
function expiryText(report) {
    if (report.expiresAt)
        return `${report.expiresAt} (${report.daysLeft} days left)`;
    if (report.tokenType === 'installation')
        return 'one hour after minting';
    return report.expiryKnown === false ? 'unknown (no readable answer told it)' : 'never';
}
function renderAuditMarkdown(report) {
    const esc = (s) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
    const lines = [
        `### ${report.valid ? '✅' : report.outcome === 'cannot-verify' ? '⛔' : '❌'} Token ${esc(report.verdict)}`,
        '',
        '| | |',
        '| --- | --- |',
        `| Token type | ${report.provider} ${report.tokenType}${report.login ? ` (${report.provider === 'argocd' ? 'subject' : 'user'} ${esc(report.login)})` : ''} |`,
        `| Profile | ${esc(report.profile)} |`,
        `| Expires | ${expiryText(report)} |`,
    ];
    if (report.scopes)
        lines.push(`| Scopes | ${esc(report.scopes.join(', ') || 'none')} |`);
    lines.push(`| Requests | ${report.requests} in ${report.durationMs} ms |`);
    const perms = permissionRows(report);
    if (perms.length) {
        lines.push('', `| ${whereHeader(report)} | Permission | Required | Found |`, '| --- | --- | --- | --- |');
        for (const row of perms)
            lines.push(`| ${row.map(esc).join(' | ')} |`);
    }
    if (report.findings.length) {
        lines.push('', '| Severity | Finding | Fix |', '| --- | --- | --- |');
        for (const f of report.findings)
            lines.push(`| ${MARK[f.severity]} ${f.kind} | ${esc(f.message)} | ${esc(f.fix ?? '')} |`);
    }
    return `${lines.join('\n')}\n`;
}
function renderAuditText(report) {
    const table = (rows) => {
        const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
        return rows
            .map((r) => '  ' +
            r
                .map((c, i) => c.padEnd(widths[i]))
                .join('  ')
                .trimEnd())
            .join('\n');
    };
    const out = [
        `${report.valid ? 'VALID' : report.outcome === 'cannot-verify' ? 'CANNOT VERIFY' : 'INVALID'}: token ${report.verdict}`,
        table([
            [
                'type',
                `${report.provider} ${report.tokenType}${report.login ? ` (${report.provider === 'argocd' ? 'subject' : 'user'} ${report.login})` : ''}`,
            ],
            ['expires', expiryText(report)],
            ...(report.scopes ? [['scopes', report.scopes.join(', ') || 'none']] : []),
            ['requests', `${report.requests} in ${report.durationMs} ms`],
        ]),
    ];
    const perms = permissionRows(report);
    if (perms.length)
        out.push('', table([[whereHeader(report).toUpperCase(), 'PERMISSION', 'REQUIRED', 'FOUND'], ...perms]));
    if (report.findings.length) {
        out.push('');
        for (const f of report.findings)
            out.push(`  ${f.severity.toUpperCase().padEnd(7)} ${f.message}${f.fix ? `\n          fix: ${f.fix}` : ''}`);
    }
    return `${out.join('\n')}\n`;
}

;// CONCATENATED MODULE: ./packages/core/src/tokens/repositories-input.ts



/** `repositories`: a YAML map `slot: owner/repo` (flow or block style). */
function parseRepositories(text, input = 'repositories') {
    const example = '{ deploy: my-org/argocd-deploy-non-prod, infra: my-org/infra-repo }';
    if (!text.trim())
        return {};
    const doc = (0,yaml_input/* parseYamlMap */.f)(dist.parse, input, text, { entry: 'slot: owner/repo', example });
    const out = {};
    for (const [slot, value] of Object.entries(doc)) {
        if (typeof value !== 'string') {
            throw new errors/* InputError */.dz(input, `slot '${slot}' must map to one repository as text, like owner/repo`, example);
        }
        out[slot] = value.trim();
    }
    return out;
}

// EXTERNAL MODULE: ./packages/core/src/inputs.ts
var inputs = __webpack_require__(7276);
;// CONCATENATED MODULE: ./packages/core/src/tokens/argocd-inputs.ts


/**
 * The Argo CD counterpart of `repositories`: the project and the applications a CI token acts on.
 * Names are Kubernetes object names (RFC 1123 subdomains: lower case, digits, '-' and '.'), which
 * also keeps '/', ',' and glob characters out of the RBAC objects asked about.
 */
const NAME = /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/;
const NAMESPACE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const PROJECT_EXAMPLE = 'my-proj';
const APPS_EXAMPLE = 'nonprod.web, nonprod.worker';
/** `argocd-project`: one project name; undefined when empty. */
function parseArgoCdProject(text, input = 'argocd-project') {
    const value = text.trim();
    if (!value)
        return undefined;
    if (!NAME.test(value))
        throw new errors/* InputError */.dz(input, `must be an Argo CD project name (lower-case letters, digits, '-' and '.'), not '${(0,inputs/* clip */.$Q)(value)}'`, PROJECT_EXAMPLE);
    return value;
}
/**
 * `argocd-applications`: application names separated by commas, spaces or lines; an application
 * outside Argo CD's own namespace as `<namespace>/<name>`. Duplicates are dropped.
 */
function parseArgoCdApplications(text, input = 'argocd-applications') {
    const items = text
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter(Boolean);
    if (items.length > 50)
        throw new errors/* InputError */.dz(input, `lists ${items.length} applications; at most 50`, APPS_EXAMPLE);
    for (const item of items) {
        const [first, second, ...rest] = item.split('/');
        const ok = rest.length === 0 &&
            (second === undefined ? NAME.test(first) : NAMESPACE.test(first) && NAME.test(second));
        if (!ok)
            throw new errors/* InputError */.dz(input, `has '${(0,inputs/* clip */.$Q)(item)}', which is not an application name (lower-case letters, digits, '-' and '.'; '<namespace>/<name>' for an application outside Argo CD's namespace)`, APPS_EXAMPLE);
    }
    return [...new Set(items)];
}

;// CONCATENATED MODULE: ./packages/core/src/tokens/audit-inputs.ts






const PROVIDERS = ['auto', 'github', 'gitlab', 'bitbucket', 'argocd'];
const ON_EXCESS = ['fail', 'warn', 'ignore'];
/**
 * The inputs of a token audit (the action's and the CLI's), validated before any request.
 */
async function parseAuditInputs(read, workspace) {
    const token = (0,inputs/* getToken */.gf)(read, 'token');
    const provider = (0,inputs/* getEnum */.GV)(read, 'provider', PROVIDERS, 'auto');
    const identity = (0,kind/* identifyToken */.o)(token, provider);
    const profile = await resolveProfile({
        profile: read('profile').trim() || undefined,
        requirements: read('requirements').trim() || undefined,
        workspace,
    });
    const repositories = parseRepositories(read('repositories'));
    let organization = (0,inputs/* getString */.AA)(read, 'organization') || undefined;
    if (organization && !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(organization)) {
        throw new errors/* InputError */.dz('organization', `is not a GitHub organization name: '${(0,inputs/* clip */.$Q)(organization)}'`, 'my-org');
    }
    if (!organization && Object.keys(profile.github?.organization ?? {}).length) {
        const owners = new Set(Object.values(repositories).map((r) => r.split('/')[0]));
        if (owners.size === 1)
            organization = [...owners][0];
    }
    const apiUrl = (0,inputs/* getUrl */.ID)(read, 'api-url', {
        example: identity.provider === 'argocd'
            ? 'https://argocd.example.com'
            : 'https://github.example.com/api/v3',
    });
    const project = parseArgoCdProject(read('argocd-project'));
    const applications = parseArgoCdApplications(read('argocd-applications'));
    const argocd = project || applications.length ? { project: project ?? '', applications } : undefined;
    const minDaysLeft = (0,inputs/* getInteger */.XU)(read, 'min-days-left', { fallback: 7, min: 0, max: 3650 });
    const warnDaysLeft = (0,inputs/* getInteger */.XU)(read, 'warn-days-left', { fallback: 30, min: 0, max: 3650 });
    if (warnDaysLeft < minDaysLeft) {
        throw new errors/* InputError */.dz('warn-days-left', `(${warnDaysLeft}) must not be less than min-days-left (${minDaysLeft})`, String(Math.max(30, minDaysLeft)));
    }
    return {
        token,
        identity,
        profile,
        repositories,
        organization,
        apiUrl: apiUrl || undefined,
        minDaysLeft,
        warnDaysLeft,
        onExcess: (0,inputs/* getEnum */.GV)(read, 'on-excess', ON_EXCESS, 'fail'),
        probeWrites: (0,inputs/* getBoolean */.pW)(read, 'probe-writes', false),
        name: (0,inputs/* getString */.AA)(read, 'name') || undefined,
        requireExpiry: (0,inputs/* getBoolean */.pW)(read, 'require-expiry', false),
        argocd,
    };
}

;// CONCATENATED MODULE: ./packages/core/src/tokens/index.ts
// Token auditing: imported as '@argocd-actions/core/tokens' by the actions that need it.











/***/ })

};
