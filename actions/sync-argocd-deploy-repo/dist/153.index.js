export const id = 153;
export const ids = [153];
export const modules = {

/***/ 6153:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  waitForArgoCdRelease: () => (/* binding */ waitForArgoCdRelease)
});

// EXTERNAL MODULE: ./packages/core/src/index.ts + 6 modules
var src = __webpack_require__(2027);
;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/argocd-app.ts

const str = (v) => (typeof v === 'string' ? v : '');
/** What Argo CD documents and the wait needs, for the explainer of a 2xx it cannot read. */
const APPLICATION_SHAPE = {
    test: (b) => readApplication(b) !== undefined,
    is: "an Application with string 'status.sync.status' and 'status.health.status'",
};
/** The Application's readable parts; undefined when the body is not an Application. */
function readApplication(body) {
    const status = (0,src/* isObject */.Gv)(body) && (0,src/* isObject */.Gv)(body.status) ? body.status : undefined;
    const sync = status && (0,src/* isObject */.Gv)(status.sync) ? status.sync : undefined;
    const health = status && (0,src/* isObject */.Gv)(status.health) ? status.health : undefined;
    if (!sync || !health || typeof sync.status !== 'string' || typeof health.status !== 'string')
        return undefined;
    const op = (0,src/* isObject */.Gv)(status.operationState) ? status.operationState : undefined;
    const opSync = op && (0,src/* isObject */.Gv)(op.operation) && (0,src/* isObject */.Gv)(op.operation.sync) ? op.operation.sync : {};
    const result = op && (0,src/* isObject */.Gv)(op.syncResult) ? op.syncResult : {};
    const list = (v) => (Array.isArray(v) ? v.filter(src/* isObject */.Gv) : []);
    return {
        sync: sync.status,
        revision: str(sync.revision),
        revisions: Array.isArray(sync.revisions) ? sync.revisions.map(str).filter(Boolean) : [],
        health: health.status,
        healthMessage: str(health.message),
        operation: op && {
            phase: str(op.phase),
            message: str(op.message),
            revision: str(result.revision) || str(opSync.revision),
        },
        errors: list(status.conditions)
            .filter((c) => /Error$/.test(str(c.type)))
            .map((c) => ({ type: str(c.type), message: str(c.message) })),
        unhealthy: list(status.resources)
            .filter((r) => (0,src/* isObject */.Gv)(r.health) && str(r.health.status) && r.health.status !== 'Healthy')
            .map((r) => ({
            kind: str(r.kind),
            namespace: str(r.namespace),
            name: str(r.name),
            health: str(r.health.status),
            message: str(r.health.message),
        })),
    };
}
/** Whether Argo CD compared the app at this commit. */
const isAt = (app, sha) => app.revision.toLowerCase() === sha.toLowerCase() ||
    app.revisions.some((r) => r.toLowerCase() === sha.toLowerCase());
/** `Deployment web/web-app: Degraded (…)`, one line per resource. */
const describeResource = (r) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}: ${r.health}${r.message ? ` (${r.message})` : ''}`;

;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/argocd-client.ts


// Per attempt, and all retries of one GET (core's getJson retries 5xx, 429 and no answer; a 401
// or 403 is an answer and is never retried).
const REQUEST_TIMEOUT_MS = 30_000;
const REQUEST_DEADLINE_MS = 60_000;
/**
 * The wait's one request, through core's Argo CD client (bearer token to `argocd-url`'s origin
 * only, no redirects followed) and its explainer: a 403 names the policy line that would grant
 * `applications, get` on the app to the token's role.
 */
function argoCdAppClient(inputs, appName) {
    const server = {
        url: inputs.url,
        token: inputs.token,
        source: "input 'argocd-url'",
    };
    const read = (0,src/* readJwtClaims */.Lw)(inputs.token);
    const claims = 'claims' in read ? read.claims : {};
    const sub = typeof claims.sub === 'string' ? claims.sub : '';
    const subject = sub ? (0,src/* rbacSubject */.zY)(sub) : undefined;
    // A project role's token names its project; any other gets a placeholder in the policy line.
    const tokenProject = /^proj:([^:]+):/.exec(sub)?.[1];
    const object = [tokenProject ?? '<project>', inputs.appNamespace, appName]
        .filter(Boolean)
        .join('/');
    // With its project named, Argo CD answers an app it has not generated yet with 404 NotFound
    // to a role that may see the project's apps; without, with 403 (it never tells whether an app
    // it will not show exists), which cannot be told from a missing permission.
    const projectQuery = tokenProject ? `project=${encodeURIComponent(tokenProject)}` : '';
    return {
        async getApplication(refresh) {
            const base = src/* argoCdPaths */.JO.application(appName, {
                appNamespace: inputs.appNamespace,
                refresh: refresh ? 'normal' : undefined,
            });
            const path = projectQuery ? `${base}${base.includes('?') ? '&' : '?'}${projectQuery}` : base;
            const answer = await (0,src/* argoCdGet */.xE)(server, path, {
                timeoutMs: REQUEST_TIMEOUT_MS,
                deadlineMs: REQUEST_DEADLINE_MS,
            });
            const ctx = {
                doing: `${refresh ? 'refreshing' : 'reading'} Argo CD application ${appName}`,
                needs: { resource: 'applications', action: 'get', object },
                subject,
                source: "input 'argocd-url'",
                expected: APPLICATION_SHAPE,
            };
            if (answer.status >= 200 && answer.status < 300) {
                const app = readApplication(answer.body);
                if (app)
                    return app;
            }
            // Argo CD's own NotFound (gRPC code 5): the ApplicationSet has not generated the app yet.
            if (answer.status === 404 && answer.bodyKind === 'json') {
                const failure = (0,src/* argoCdFailure */.dB)(answer, ctx);
                if (failure.grpcCode === 5)
                    return undefined;
                throw failure;
            }
            throw (0,src/* argoCdFailure */.dB)(answer, ctx);
        },
    };
}

;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/argocd-wait.ts


/** The wait ended without Synced and Healthy: what was last seen goes to the outputs and summary. */
class ArgoCdWaitError extends src/* UserError */.yo {
    waitedSeconds;
    lastSeen;
    constructor(message, waitedSeconds, lastSeen) {
        super(message);
        this.waitedSeconds = waitedSeconds;
        this.lastSeen = lastSeen;
        this.name = 'ArgoCdWaitError';
    }
}
// Polls start at 1 s (a refresh usually lands within seconds) and back off to 10 s; each is
// jittered to 50-100 % so parallel releases do not poll Argo CD in step.
const FIRST_INTERVAL_MS = 1000;
const MAX_INTERVAL_MS = 10_000;
// A refresh asked before Argo CD could see the push compares an older commit: ask again, at most
// this often, while the app is not at our commit (each is one reconciliation on the server).
const REFRESH_AGAIN_MS = 30_000;
function pollInterval(poll, random = Math.random) {
    const ceiling = Math.min(MAX_INTERVAL_MS, FIRST_INTERVAL_MS * 2 ** Math.max(0, poll - 1));
    return Math.round(ceiling * (0.5 + random() / 2));
}
const argocd_wait_short = (sha) => sha.slice(0, 12);
const TERMINAL_FAILURE = ['Failed', 'Error'];
/**
 * Waits until Argo CD reports the application Synced to `revision` and Healthy, with no
 * operation still running on it. It stops early, in Argo CD's own words, when the sync of that
 * commit failed, when the app is Degraded at it, or when Argo CD refuses it (an error condition
 * at that commit); anything else about an older commit is the past and is waited through.
 * Every answer the client cannot read throws: never "not yet".
 */
async function waitForArgoCd(client, opts, deps = {}) {
    const now = deps.now ?? Date.now;
    const pause = deps.sleep ?? src/* sleep */.yy;
    const start = now();
    const deadline = start + opts.timeoutSeconds * 1000;
    const waited = () => Math.round((now() - start) / 1000);
    const what = `Argo CD application ${opts.appName}`;
    const release = new Release(opts.revision, deps);
    let lastSeen;
    let lastLine = '';
    let lastRefresh = -Infinity;
    let notFound = 0;
    for (let polls = 1;; polls++) {
        const refresh = opts.refresh &&
            (polls === 1 || (!!lastSeen && !release.runsIn(lastSeen))) &&
            now() - lastRefresh >= REFRESH_AGAIN_MS;
        if (refresh)
            lastRefresh = now();
        const app = await client.getApplication(refresh);
        if (!app) {
            if (!notFound++)
                deps.log?.(`${what} does not exist yet: the ApplicationSet creates it from config.yaml; waiting`);
        }
        else {
            lastSeen = app;
            const replaced = await release.follow(app, what);
            if (replaced)
                throw new ArgoCdWaitError(replaced, waited(), app);
            const line = describe(app, release);
            if (line !== lastLine)
                deps.log?.(`${what}: ${line}`);
            lastLine = line;
            const failure = failureOf(app, release);
            if (failure)
                throw new ArgoCdWaitError(`${what} ${failure}`, waited(), app);
            if (isDone(app, release))
                return { app, waitedSeconds: waited(), polls, carriedBy: release.carrier(app) };
        }
        const left = deadline - now();
        if (left <= 0)
            throw new ArgoCdWaitError(`Timed out after ${opts.timeoutSeconds} s waiting for ${what} to be Synced to ${argocd_wait_short(opts.revision)} and Healthy: ${timeoutFinding(lastSeen, notFound, opts, release)}`, waited(), lastSeen);
        await pause(Math.min(pollInterval(polls, deps.random), left));
    }
}
const SHA = /^[0-9a-f]{40}$/;
/**
 * Our release and the later commits found to carry it unchanged. Argo CD reports an app at the
 * branch's tip: after another app's release lands on top of ours, Synced at that commit is
 * Synced with our release, and a failure there is a failure of it.
 */
class Release {
    deps;
    carriers = new Set();
    known = new Map();
    sha;
    constructor(sha, deps) {
        this.deps = deps;
        this.sha = sha.toLowerCase();
    }
    /** Whether a later commit can be found to carry ours (the deploy repository is read). */
    get checksLater() {
        return !!this.deps.lineage;
    }
    /** The commits that run our release: ours, and those found to carry it. */
    get commits() {
        return [this.sha, ...this.carriers];
    }
    runsIn(app) {
        return this.commits.some((c) => isAt(app, c));
    }
    /** The later commit the app is at, when it carries ours. */
    carrier(app) {
        return isAt(app, this.sha) ? undefined : this.commits.find((c) => isAt(app, c));
    }
    /**
     * Asks once how the revision the app is at relates to ours. Only a single-source app's revision
     * is asked about: a multi-source app's revisions are of other repositories too. Returns why the
     * wait must stop when a later commit replaced our release.
     */
    async follow(app, what) {
        const revision = app.revision.toLowerCase();
        if (!this.deps.lineage || app.revisions.length || !SHA.test(revision) || isAt(app, this.sha))
            return undefined;
        let lineage = this.known.get(revision);
        if (!lineage) {
            lineage = await this.deps.lineage(revision);
            this.known.set(revision, lineage);
            if (lineage.kind === 'carries') {
                this.carriers.add(revision);
                this.deps.log?.(`${what} is at ${argocd_wait_short(revision)}, ${lineage.commits} commit(s) after ${argocd_wait_short(this.sha)}, with the app's directory as this release left it: that commit carries this release`);
            }
        }
        if (lineage.kind === 'replaced')
            return `${what} is at ${argocd_wait_short(revision)}, ${lineage.commits} commit(s) after ${argocd_wait_short(this.sha)}, which changed the app's directory again: this release was superseded by a later one before Argo CD reported it, so whether it ran cannot be verified (what Argo CD runs now is ${argocd_wait_short(revision)}'s)`;
        return undefined;
    }
}
/** No operation (a sync, its hooks) is running: health and conditions are about what is applied. */
const settled = (app) => !app.operation || ['Succeeded', ...TERMINAL_FAILURE].includes(app.operation.phase);
/** Synced at our commit (or one carrying it), Healthy, and no operation still running. */
function isDone(app, release) {
    return app.sync === 'Synced' && release.runsIn(app) && app.health === 'Healthy' && settled(app);
}
const SHA_IN_TEXT = /\b[0-9a-f]{40}\b/gi;
/**
 * Why the wait stops early, about our commit only; undefined to go on waiting. While our sync
 * runs, the app still shows the previous sync's health and conditions: those are the past.
 */
function failureOf(app, release) {
    const ours = (sha) => release.commits.includes(sha.toLowerCase());
    const op = app.operation;
    if (op && TERMINAL_FAILURE.includes(op.phase) && ours(op.revision))
        return `failed to sync ${argocd_wait_short(op.revision)}${carried(op.revision, release)} (operation ${op.phase}): ${op.message || 'Argo CD gave no message'}`;
    if (!release.runsIn(app) || !settled(app))
        return undefined;
    const at = release.carrier(app) ?? release.sha;
    // A condition naming another commit ("Failed sync attempt to <sha>") is about that commit.
    const errors = app.errors.filter((c) => [...c.message.matchAll(SHA_IN_TEXT)].every((m) => ours(m[0])));
    if (errors.length)
        return `refused ${argocd_wait_short(at)}${carried(at, release)}: ${errors.map((c) => `${c.type}: ${c.message}`).join('; ')}`;
    if (app.health === 'Degraded' && app.sync === 'Synced')
        return `is Degraded at ${argocd_wait_short(at)}${carried(at, release)}${app.healthMessage ? `: ${app.healthMessage}` : ''}${unhealthyList(app)}`;
    return undefined;
}
/** ` (which carries 1a2b3c4d5e6f)` for a later commit that carries ours; '' for ours. */
const carried = (sha, release) => sha.toLowerCase() === release.sha ? '' : ` (which carries ${argocd_wait_short(release.sha)})`;
const unhealthyList = (app) => app.unhealthy.length ? `. Not healthy: ${app.unhealthy.map(describeResource).join('; ')}` : '';
/** `OutOfSync at 1a2b3c4d5e6f (not 0a1b2c3d4e5f), Healthy`. */
function describe(app, release) {
    const carrier = release.carrier(app);
    const at = app.revision
        ? `${argocd_wait_short(app.revision)}${carrier ? carried(carrier, release) : release.runsIn(app) ? '' : ` (not ${argocd_wait_short(release.sha)})`}`
        : 'no revision';
    const op = app.operation?.phase ? `, operation ${app.operation.phase}` : '';
    return `${app.sync || 'no sync status'} at ${at}, ${app.health || 'no health'}${op}`;
}
function timeoutFinding(app, notFound, opts, release) {
    if (!app)
        return notFound
            ? `the application was never found (Argo CD answered "not found" ${notFound} time(s)): is the ApplicationSet generating it, and is the name (or argocd-app-namespace) right?`
            : 'no answer was read';
    const parts = [`it was last ${describe(app, release)}`];
    if (!release.runsIn(app))
        parts.push(`Argo CD never reported ${argocd_wait_short(opts.revision)}${release.checksLater ? ', or a later commit carrying it,' : ''} as the app's revision${opts.refresh ? '' : " (with 'refresh: false' it waits for its own poll of the repository, 3 minutes by default)"}`);
    if (app.errors.length)
        parts.push(`its conditions: ${app.errors.map((c) => `${c.type}: ${c.message}`).join('; ')}`);
    if (app.unhealthy.length)
        parts.push(`not healthy: ${app.unhealthy.map(describeResource).join('; ')}`);
    return `${parts.join('. ')}.`;
}

// EXTERNAL MODULE: ./packages/git/src/index.ts + 10 modules
var git_src = __webpack_require__(3044);
// EXTERNAL MODULE: ./actions/sync-argocd-deploy-repo/src/sync.ts + 2 modules
var sync = __webpack_require__(6823);
;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/release-lineage.ts
/**
 * Whether a commit Argo CD reports instead of ours still runs our release. Argo CD compares an
 * app at the tip of the branch it watches, so when another release lands right after ours, the
 * app is reported Synced at that later commit and never at ours. That later commit carries our
 * release when ours is one of its ancestors and the app's directory is the same in both.
 */



/** Reads the deploy repository over smart HTTP with the release's token, until `deadline`. */
function deployRepoLineage(i, ours, deadline) {
    // Told apart from the release's own reads in the server's logs (and the fault matrix).
    const agent = 'git/argocd-actions-wait';
    const client = (0,git_src/* createHttpClient */.uT)(30_000, agent);
    const remote = new git_src/* SmartHttpRemote */.i0({
        url: (0,sync/* deployRemote */.ei)(i),
        authorization: (0,sync/* deployAuthorization */.dN)(i),
        deadline,
        client,
        agent,
    });
    const objects = new git_src/* ObjectStore */.LI(remote);
    const segments = (0,sync/* appDir */.DY)(i).split('/');
    return {
        lineage: async (revision) => {
            try {
                return await lineageOf(objects, segments, ours, revision);
            }
            catch (error) {
                const e = (0,sync/* explainGit */.y2)('read', error, i);
                throw new src/* UserError */.yo(`Argo CD reports the app at ${revision.slice(0, 12)}, not at the release's ${ours.slice(0, 12)}, and whether that commit carries the release cannot be verified: ${e.message}`);
            }
        },
        close: () => client.dispose(),
    };
}
/**
 * One read for the commits after ours up to `later` (the server leaves out what ours reaches);
 * when ours is among them, the app directory's tree on both commits (a read per tree not here).
 */
async function lineageOf(objects, dir, ours, later) {
    await objects.commitsSince(later, ours);
    const commits = commitsAfter(objects, later, ours);
    if (commits === undefined)
        return { kind: 'unrelated' };
    await objects.fetchTip(ours);
    const [before, after] = await Promise.all([ours, later].map((c) => (0,git_src/* entryAt */._f)(objects, (0,git_src/* rootTreeOf */.An)(objects, c), dir)));
    return { kind: before && before.sha === after?.sha ? 'carries' : 'replaced', commits };
}
/**
 * How many commits `tip` is after `base`, walking the parents of the commits that are here;
 * undefined when `base` is not an ancestor. A parent the server did not send is one that `base`
 * reaches: the walk stops there. Commits are keyed by their hash: a server cannot forge a path.
 */
function commitsAfter(objects, tip, base) {
    const seen = new Set();
    const queue = [tip];
    let found = false;
    while (queue.length) {
        const oid = queue.pop();
        const commit = objects.get(oid);
        if (seen.has(oid) || commit?.type !== 'commit')
            continue;
        seen.add(oid);
        for (const parent of (0,git_src/* commitParents */.ZQ)(commit.data))
            if (parent === base)
                found = true;
            else
                queue.push(parent);
    }
    return found ? seen.size : undefined;
}

;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/argocd-release.ts



/**
 * After the release reached the branch Argo CD watches: wait for Argo CD to run it. A later
 * commit Argo CD reports instead is read from the deploy repository (with the release's token)
 * to tell whether it carries the release. What ended the wait comes back either way (the
 * outputs and summary show it); the caller throws `error`.
 */
async function waitForArgoCdRelease(inputs, release, appName, revision, deps = {}) {
    const url = `${inputs.url}/applications/${inputs.appNamespace ? `${inputs.appNamespace}/` : ''}${appName}`;
    deps.log?.(`Waiting up to ${inputs.timeoutSeconds} s for Argo CD application ${appName} to be Synced to ${revision.slice(0, 12)} and Healthy${inputs.refresh ? ' (refresh requested)' : ''}`);
    const started = Date.now();
    const repo = deployRepoLineage(release, revision, started + inputs.timeoutSeconds * 1000);
    try {
        const r = await waitForArgoCd(argoCdAppClient(inputs, appName), { appName, revision, timeoutSeconds: inputs.timeoutSeconds, refresh: inputs.refresh }, { lineage: repo.lineage, ...deps });
        return {
            appName,
            revision,
            app: r.app,
            carriedBy: r.carriedBy,
            waitedSeconds: r.waitedSeconds,
            url,
        };
    }
    catch (error) {
        const waitedSeconds = error instanceof ArgoCdWaitError
            ? error.waitedSeconds
            : Math.round((Date.now() - started) / 1000);
        const app = error instanceof ArgoCdWaitError ? error.lastSeen : undefined;
        return { appName, revision, app, waitedSeconds, url, error: error };
    }
    finally {
        repo.close();
    }
}


/***/ })

};
