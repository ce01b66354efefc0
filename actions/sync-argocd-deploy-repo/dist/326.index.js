export const id = 326;
export const ids = [326];
export const modules = {

/***/ 8086:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  syncByGraphql: () => (/* binding */ syncByGraphql)
});

// EXTERNAL MODULE: ./packages/core/src/index.ts + 6 modules
var src = __webpack_require__(2027);
// EXTERNAL MODULE: ./packages/git/src/index.ts + 10 modules
var git_src = __webpack_require__(3044);
;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/graphql-request.ts

/**
 * One GraphQL request through core's GitHub client (its origin guard, timeout and retry of 5xx),
 * and its answer checked before it is believed: GitHub answers most GraphQL failures with 200 and
 * `errors[]`, so a status check alone would take them for success.
 */
/** GitHub.com: https://api.github.com/graphql; GHES: https://HOST/api/graphql (REST is /api/v3). */
function graphqlUrl(apiUrl) {
    const base = apiUrl.replace(/\/+$/, '');
    return /\/api\/v3$/.test(base) ? base.replace(/\/api\/v3$/, '/api/graphql') : `${base}/graphql`;
}
/** A rate limit on a GraphQL request (secondary: 403/429 with Retry-After; primary: RATE_LIMITED). */
class GraphqlRateLimited extends src/* UserError */.yo {
    waitMs;
    constructor(message, 
    /** The wait GitHub asked for, in ms (undefined: it did not say). */
    waitMs) {
        super(message);
        this.waitMs = waitMs;
        this.name = 'GraphqlRateLimited';
    }
}
/** An answer with `errors[]`: GitHub refused or failed the operation (or part of it). */
class GraphqlErrors extends src/* UserError */.yo {
    errors;
    constructor(message, errors) {
        super(message);
        this.errors = errors;
        this.name = 'GraphqlErrors';
    }
}
/** A 200 whose body is not a GraphQL answer of the shape asked for (a proxy's page, `null`). */
class GraphqlUnreadable extends src/* UserError */.yo {
    constructor(...args) {
        super((0,src/* unexpectedAnswer */.au)(...args).message);
        this.name = 'GraphqlUnreadable';
    }
}
/** The request failed without an answer we can read (a 5xx after retries, a timeout, a reset). */
const isServerFault = (e) => e instanceof GraphqlUnreadable ||
    (e instanceof src/* GitHubError */.y_ &&
        (e.kind === 'server' || e.kind === 'network' || e.kind === 'unreadable'));
const header = (error, name) => {
    const headers = error.response?.headers;
    const value = headers?.[name];
    return value === undefined || value === null ? undefined : String(value);
};
/** Posts one operation; returns its `data` (an object), or throws an explained error. */
async function postGraphql(octokit, apiUrl, op) {
    const request = `POST ${new URL(graphqlUrl(apiUrl)).pathname} (${op.name})`;
    let body;
    try {
        const response = await octokit.request({
            method: 'POST',
            url: graphqlUrl(apiUrl),
            query: op.query,
            variables: op.variables,
            operationName: op.name,
            ...(op.retries !== undefined && { request: { retries: op.retries } }),
        });
        body = response.data;
    }
    catch (error) {
        throw explainRequestError(octokit, error, op);
    }
    if (!(0,src/* isObject */.Gv)(body) || !('data' in body || 'errors' in body))
        throw new GraphqlUnreadable(request, body, 'GraphQL answer ({ data, errors })', 'nothing it says was believed; nothing was committed', `Could not ${op.what}`);
    const errors = body.errors;
    if (errors !== undefined && errors !== null) {
        if (!Array.isArray(errors) || !errors.length || !errors.every(isGraphqlError))
            throw new GraphqlUnreadable(request, body, 'GraphQL answer (errors: a list of { message })', 'nothing it says was believed; nothing was committed', `Could not ${op.what}`);
        throw explainGraphqlErrors(op, errors);
    }
    if (!(0,src/* isObject */.Gv)(body.data))
        throw new GraphqlUnreadable(request, body.data, 'GraphQL data (an object)', 'nothing it says was believed; nothing was committed', `Could not ${op.what}`);
    return body.data;
}
const isGraphqlError = (e) => (0,src/* isObject */.Gv)(e) &&
    typeof e.message === 'string' &&
    (e.type === undefined || typeof e.type === 'string');
/** GitHub's errors in words: the types it documents first, then its messages (clipped). */
function explainGraphqlErrors(op, errors) {
    const said = errors
        .slice(0, 3)
        .map((e) => `${e.type ? `${e.type}: ` : ''}${(0,src/* clip */.sc)(e.message.replace(/\s+/g, ' '), 200)}`)
        .join('; ');
    const types = new Set(errors.map((e) => e.type));
    if (types.has('RATE_LIMITED'))
        return new GraphqlRateLimited(`Could not ${op.what}: GitHub's GraphQL rate limit was hit (${said}). Spread the jobs out or use a GitHub App token, which has a higher limit.`, undefined);
    if (types.has('NOT_FOUND'))
        return new GraphqlErrors(`Could not ${op.what}: GitHub answered NOT_FOUND: the repository or branch does not exist, or the token cannot see it (a fine-grained token must select the repository; an app must be installed on it). (GitHub said: ${said})`, errors);
    if (types.has('FORBIDDEN'))
        return new GraphqlErrors(`Could not ${op.what}: the token is not allowed to (it needs ${op.permission}; classic: repo). (GitHub said: ${said})`, errors);
    return new GraphqlErrors(`Could not ${op.what}: GitHub answered with errors: ${said}`, errors);
}
/** An HTTP failure: a rate limit keeps the wait it asked for; the rest is core's explanation. */
function explainRequestError(octokit, error, op) {
    const explained = (0,src/* explainGitHubError */.Pm)(error, {
        action: op.what,
        permission: op.permission,
        classicScope: 'repo',
        tokenExpiration: (0,src/* seenTokenExpiration */.sW)(octokit),
    });
    if (explained instanceof src/* GitHubError */.y_ && explained.kind === 'rate-limited') {
        const after = header(error, 'retry-after');
        return new GraphqlRateLimited(explained.message, after === undefined ? undefined : (0,src/* retryAfterMs */.Vs)(after, { maxMs: Infinity }));
    }
    if (explained instanceof src/* GitHubError */.y_)
        return explained;
    // Core's own refusals (a redirect not followed, another origin): named with the operation.
    if (explained instanceof src/* UserError */.yo)
        return new src/* UserError */.yo(`Could not ${op.what}: ${explained.message}`);
    // Not a GitHub answer at all (a body the client could not parse): unreadable, not our bug.
    return new src/* UserError */.yo(`Could not ${op.what}: the answer could not be read (${(0,src/* isRequestError */.eK)(error) ? error.status : (error?.name ?? 'error')}); nothing was committed. Run the job again; if it persists, check what stands between the runner and the API.`);
}

;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/graphql-commit.ts



/**
 * The GraphQL transport's write: the release's changes to the app directory as one
 * `createCommitOnBranch`, guarded by `expectedHeadOid` (the compare-and-swap our pushes make).
 */
/**
 * The largest mutation request sent, in bytes. GitHub documents no limit for createCommitOnBranch;
 * commits of about 40 MB are reported to fail (grafana/github-api-commit-action#66), and a
 * request's contents travel base64-encoded (4/3 of the files' size). Larger releases use git.
 */
const MAX_MUTATION_BYTES = 32 * 1024 * 1024;
/** GitHub's answer to a stale expectedHeadOid: STALE_DATA, "Expected branch to point to ...". */
const isStaleHead = (errors) => errors.some((e) => e.type === 'STALE_DATA' || /expected branch to point to/i.test(e.message));
const MODE_WORDS = {
    '100755': 'an executable file',
    '120000': 'a symbolic link',
    '160000': 'a submodule',
};
/**
 * The changes from the app directory's current tree to its new one, as additions (full contents,
 * base64) and deletions. A mutation writes plain files only: a change that touches a symbolic
 * link, an executable bit or a submodule cannot be expressed, and is refused.
 */
async function fileChanges(objects, i, existing, appTree) {
    const dir = `${i.path}/${i.namespace}/${i.application}`;
    const changes = await (0,git_src/* diffTrees */.j_)(objects, existing, appTree);
    const out = { additions: [], deletions: [] };
    for (const c of changes) {
        const odd = [c.before?.mode, c.after?.mode].find((m) => m && m !== '100644');
        if (odd)
            throw new src/* UserError */.yo(`${dir}/${c.path} is ${MODE_WORDS[odd] ?? `a file of mode ${odd}`} in ${i.repository.owner}/${i.repository.repo}@${i.branch}, which the release ${c.after ? 'rewrites' : 'removes'}: GitHub's createCommitOnBranch writes plain files only (no symbolic link, executable bit or submodule). Use transport: git for this release, or make it a plain file. Nothing was committed.`);
        if (c.after) {
            const blob = objects.get(c.after.sha);
            if (!blob)
                throw new Error(`the release's file ${c.path} is not in memory`);
            out.additions.push({ path: `${dir}/${c.path}`, contents: blob.data.toString('base64') });
        }
        else
            out.deletions.push({ path: `${dir}/${c.path}` });
    }
    return out;
}
/** The mutation for one attempt: the message split as GitHub takes it (headline, body). */
function commitMutation(i, branch, expectedHeadOid, message, changes) {
    const [headline, ...rest] = message.split('\n');
    const op = {
        name: 'ArgocdReleaseCommit',
        query: [
            'mutation ArgocdReleaseCommit($input: CreateCommitOnBranchInput!) {',
            '  createCommitOnBranch(input: $input) { commit { oid url signature { isValid } } }',
            '}',
        ].join('\n'),
        variables: {
            input: {
                branch: {
                    repositoryNameWithOwner: `${i.repository.owner}/${i.repository.repo}`,
                    branchName: branch,
                },
                message: { headline, body: rest.join('\n').trim() },
                expectedHeadOid,
                fileChanges: changes,
            },
        },
        what: `commit the release to ${i.repository.owner}/${i.repository.repo}@${branch} (createCommitOnBranch)`,
        permission: 'contents=write',
        // Not retried blindly: an answer lost on the way is settled by reading the branch again.
        retries: 0,
    };
    const size = Buffer.byteLength(JSON.stringify({ query: op.query, variables: op.variables }));
    if (size > MAX_MUTATION_BYTES)
        throw new src/* UserError */.yo(`the release is ${mib(size)} MiB as a createCommitOnBranch request (${changes.additions.length} file(s), base64), over the ${mib(MAX_MUTATION_BYTES)} MiB this action sends through GitHub's GraphQL API (GitHub documents no limit; larger commits are reported to fail). Use transport: git for this release. Nothing was committed.`);
    return op;
}
const mib = (n) => (n / 1024 / 1024).toFixed(1).replace(/\.0$/, '');
/** The mutation's answer: the commit it made, checked. */
function readCommitAnswer(data, op) {
    const payload = data.createCommitOnBranch;
    const commit = (0,src/* isObject */.Gv)(payload) ? payload.commit : undefined;
    if (!(0,src/* isObject */.Gv)(commit) || typeof commit.oid !== 'string' || !/^[0-9a-f]{40}$/.test(commit.oid))
        throw new GraphqlUnreadable('POST /graphql (createCommitOnBranch)', data, 'commit (with its oid)', 'whether the release was committed cannot be told from it (it is read again from the branch)', `Could not ${op.what}`);
    const signature = commit.signature;
    return {
        oid: commit.oid,
        url: typeof commit.url === 'string' ? commit.url : '',
        verified: (0,src/* isObject */.Gv)(signature) && signature.isValid === true,
    };
}

// EXTERNAL MODULE: ./actions/sync-argocd-deploy-repo/src/names.ts
var names = __webpack_require__(4175);
;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/graphql-read.ts



/**
 * The GraphQL transport's read: one query for the branch tip, its root tree, every tree on the
 * path to the app directory, the app directory's trees below it (NESTED_LEVELS deep) and the
 * text of the files a release reads (config.yaml, the file an image bump edits). The trees are
 * put into the same ObjectStore the git transport fills, as git objects whose ids are checked
 * against the ids GitHub gave, so the release is computed by the same code (sync.ts planRelease).
 */
/** Directory levels below the app directory read in the first query; deeper ones cost a request each. */
const NESTED_LEVELS = 4;
const ENTRY = 'fragment E on TreeEntry { name type mode oid }';
const LEVEL = 'fragment L on Tree { oid entries { ...E } }';
const BLOB = 'fragment B on Blob { oid text isBinary }';
/** The app directory's trees, `levels` deep (a TreeEntry's object, when it is a Tree). */
function nested(levels) {
    let inner = '...E';
    for (let k = 0; k < levels; k++)
        inner = `...E object { ... on Tree { oid entries { ${inner} } } }`;
    return `fragment App on Tree { oid entries { ${inner} } }`;
}
const segmentsOf = (i) => `${i.path}/${i.namespace}/${i.application}`.split('/');
/** The query and its variables (values travel as variables, never spliced into the document). */
function releaseQuery(i) {
    const ref = `refs/heads/${i.branch}`;
    const segments = segmentsOf(i);
    const at = (path) => `${ref}:${path}`;
    const appPath = segments.join('/');
    const vars = {
        owner: i.repository.owner,
        name: i.repository.repo,
        branch: ref,
    };
    const fields = [
        'ref(qualifiedName: $branch) { target { oid ... on Commit { message signature { isValid } tree { ...L } } } }',
    ];
    if (i.mode === 'pull-request') {
        vars.release = `refs/heads/${(0,names/* releaseBranch */.CT)(i)}`;
        fields.push('release: ref(qualifiedName: $release) { target { oid ... on Commit { message signature { isValid } parents(first: 1) { nodes { oid } } } } }');
    }
    segments.forEach((_, k) => {
        vars[`p${k + 1}`] = at(segments.slice(0, k + 1).join('/'));
        fields.push(`p${k + 1}: object(expression: $p${k + 1}) { ...${k + 1 === segments.length ? 'App' : 'L'} }`);
    });
    const files = ['config.yaml', ...(i.bump ? [i.bump.update.file] : [])];
    files.forEach((file, k) => {
        vars[`f${k}`] = at(`${appPath}/${file}`);
        fields.push(`f${k}: object(expression: $f${k}) { ...B }`);
    });
    const declared = Object.keys(vars)
        .map((v) => `$${v}: String!`)
        .join(', ');
    return {
        name: 'ArgocdReleaseRead',
        query: [
            `query ArgocdReleaseRead(${declared}) {`,
            '  repository(owner: $owner, name: $name) {',
            ...fields.map((f) => `    ${f}`),
            '  }',
            '}',
            ENTRY,
            LEVEL,
            BLOB,
            nested(NESTED_LEVELS),
        ].join('\n'),
        variables: vars,
        what: `read ${appPath} of ${i.repository.owner}/${i.repository.repo}@${i.branch} (GraphQL)`,
        permission: 'contents=read',
    };
}
/** A GraphQL answer we cannot use: named, never guessed around. */
function unreadable(i, what) {
    return new src/* UserError */.yo(`read of ${i.repository.owner}/${i.repository.repo}@${i.branch} through GitHub's GraphQL API: an unexpected answer (${what}); nothing was committed. Run the job again; if it persists, check what stands between the runner and the API (or use transport: git).`);
}
const OID = /^[0-9a-f]{40}$/;
/** TreeEntry.mode is the octal mode as a decimal Int (33188 is 100644). */
const gitMode = (mode) => Number.isSafeInteger(mode) && mode > 0 ? mode.toString(8) : undefined;
/** A tree's entries from GraphQL, checked and loaded into the store; returns its listing. */
function loadTree(objects, i, tree, where) {
    if (!(0,src/* isObject */.Gv)(tree) || typeof tree.oid !== 'string' || !OID.test(tree.oid))
        throw unreadable(i, `the tree of ${where} came without its oid`);
    if (!Array.isArray(tree.entries))
        throw unreadable(i, `the tree of ${where} came without entries`);
    const entries = tree.entries.map((e) => {
        const mode = (0,src/* isObject */.Gv)(e) ? gitMode(e.mode) : undefined;
        if (!(0,src/* isObject */.Gv)(e) ||
            typeof e.name !== 'string' ||
            !mode ||
            !['blob', 'tree', 'commit'].includes(e.type) ||
            typeof e.oid !== 'string' ||
            !OID.test(e.oid))
            throw unreadable(i, `an entry of ${where} is not a tree entry (name, type, mode, oid)`);
        return { name: e.name, type: e.type, mode, sha: e.oid };
    });
    // The listing must be the tree GitHub named: the same object id, byte for byte.
    const oid = objects.add('tree', (0,git_src/* serializeTree */.Lj)(entries));
    if (oid !== tree.oid)
        throw unreadable(i, `the entries of ${where} do not make the tree ${tree.oid} (a name git cannot round-trip through the API, or an answer that is not the repository's)`);
    for (const [k, e] of tree.entries.entries()) {
        const object = e.object;
        if (entries[k].type === 'tree' && (0,src/* isObject */.Gv)(object) && 'entries' in object)
            loadTree(objects, i, object, `${where}/${entries[k].name}`);
    }
    return entries;
}
/** A file's text, kept when it is exactly the blob GitHub named (not binary, not truncated). */
function loadBlob(objects, blob) {
    if (!(0,src/* isObject */.Gv)(blob) || typeof blob.text !== 'string' || blob.isBinary === true)
        return;
    const data = Buffer.from(blob.text, 'utf8');
    if ((0,git_src/* objectId */.Tu)('blob', data) === blob.oid)
        objects.add('blob', data);
}
/**
 * Runs the read and loads what it says into `objects`. The path's trees come from separate
 * fields of one query, so they are checked to be the tip's: each level's oid is the entry its
 * parent lists. A mismatch (the branch moved while GitHub answered) reads again.
 */
async function readRelease(query, objects, i) {
    const data = await query(releaseQuery(i));
    const repository = data.repository;
    if (!(0,src/* isObject */.Gv)(repository))
        throw unreadable(i, 'the answer has no repository');
    if (repository.ref === null)
        throw new src/* UserError */.yo(`${i.repository.owner}/${i.repository.repo} has no branch '${i.branch}': check 'branch' (e.g. main).`);
    const target = (0,src/* isObject */.Gv)(repository.ref) ? repository.ref.target : undefined;
    if (!(0,src/* isObject */.Gv)(target) || typeof target.oid !== 'string' || !OID.test(target.oid))
        throw unreadable(i, `the branch's tip came without its oid`);
    if (typeof target.message !== 'string' || !(0,src/* isObject */.Gv)(target.tree))
        throw unreadable(i, `the branch's tip is not a commit with a tree`);
    const tip = target.oid;
    const rootTree = target.tree.oid;
    let listing = loadTree(objects, i, target.tree, 'the root');
    const segments = segmentsOf(i);
    for (let k = 0; k < segments.length; k++) {
        const level = repository[`p${k + 1}`];
        const entry = listing.find((e) => e.name === segments[k]);
        const where = segments.slice(0, k + 1).join('/');
        if (entry?.type !== 'tree') {
            // Absent, or a file: nothing below may be a tree (the release code says what it is).
            if ((0,src/* isObject */.Gv)(level) && 'entries' in level)
                throw new ReadMoved(where);
            break;
        }
        if (!(0,src/* isObject */.Gv)(level) || level.oid !== entry.sha)
            throw new ReadMoved(where);
        listing = loadTree(objects, i, level, where);
    }
    const files = ['config.yaml', ...(i.bump ? [i.bump.update.file] : [])];
    files.forEach((_, k) => loadBlob(objects, repository[`f${k}`]));
    let releaseTip;
    let releaseCommit;
    if (i.mode === 'pull-request') {
        const release = repository.release;
        if (release !== null) {
            const commit = (0,src/* isObject */.Gv)(release) && (0,src/* isObject */.Gv)(release.target) ? release.target : undefined;
            const oid = commit?.oid;
            if (typeof oid !== 'string' || !OID.test(oid) || typeof commit?.message !== 'string')
                throw unreadable(i, 'the release branch came without its tip');
            releaseTip = oid;
            const parents = (0,src/* isObject */.Gv)(commit.parents) ? commit.parents.nodes : undefined;
            const first = Array.isArray(parents) && (0,src/* isObject */.Gv)(parents[0]) ? parents[0].oid : undefined;
            releaseCommit = {
                message: commit.message,
                ...(typeof first === 'string' ? { parent: first } : {}),
                verified: (0,src/* isObject */.Gv)(commit.signature) && commit.signature.isValid === true,
            };
        }
    }
    const signature = target.signature;
    return {
        tip,
        tipMessage: target.message,
        tipVerified: (0,src/* isObject */.Gv)(signature) && signature.isValid === true,
        rootTree,
        releaseTip,
        releaseCommit,
    };
}
/** The trees of one read are not all the tip's: the branch moved while GitHub answered. */
class ReadMoved extends Error {
    where;
    constructor(where) {
        super(`the branch moved while ${where} was read`);
        this.where = where;
        this.name = 'ReadMoved';
    }
}
/**
 * Objects the first query did not bring (a tree deeper than NESTED_LEVELS, a file a dry run's
 * diff shows, a config.yaml above the app), read by oid in one more query.
 */
function graphqlObjects(query, i, objects) {
    return {
        async fetch(oids) {
            const vars = { owner: i.repository.owner, name: i.repository.repo };
            oids.forEach((oid, k) => (vars[`o${k}`] = oid));
            const data = await query({
                name: 'ArgocdReleaseObjects',
                query: [
                    `query ArgocdReleaseObjects(${Object.keys(vars)
                        .map((v) => `$${v}: String!`)
                        .join(', ')}) {`,
                    '  repository(owner: $owner, name: $name) {',
                    ...oids.map((_, k) => `    o${k}: object(expression: $o${k}) { __typename ...L ...B }`),
                    '  }',
                    '}',
                    ENTRY,
                    LEVEL,
                    BLOB,
                ].join('\n'),
                variables: vars,
                what: `read ${oids.length} object(s) of ${i.repository.owner}/${i.repository.repo} (GraphQL)`,
                permission: 'contents=read',
            });
            const repository = (0,src/* isObject */.Gv)(data.repository) ? data.repository : {};
            const found = new Map();
            oids.forEach((oid, k) => {
                const object = repository[`o${k}`];
                if (!(0,src/* isObject */.Gv)(object))
                    throw unreadable(i, `object ${oid} was not in the answer`);
                if (object.__typename === 'Tree') {
                    loadTree(objects(), i, object, oid);
                    found.set(oid, objects().get(oid));
                }
                else if (object.__typename === 'Blob') {
                    loadBlob(objects(), object);
                    const blob = objects().get(oid);
                    if (!blob)
                        throw new src/* UserError */.yo(`${oid} in ${i.repository.owner}/${i.repository.repo} is a binary or large file whose content GitHub's GraphQL API does not give as text: use transport: git for this release.`);
                    found.set(oid, blob);
                }
                else
                    throw unreadable(i, `object ${oid} is a ${String(object.__typename)}, not a tree or file`);
            });
            return { objects: found, shallow: [] };
        },
    };
}

// EXTERNAL MODULE: ./actions/sync-argocd-deploy-repo/src/sync.ts + 2 modules
var sync = __webpack_require__(6823);
;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/graphql-transport.ts







/**
 * `transport: graphql`: a release in two requests when it wins its race. One query reads the
 * tip and the app directory (graphql-read.ts), the release is computed by the code the git
 * transport uses (planRelease), and one `createCommitOnBranch` writes it with the tip as
 * `expectedHeadOid` (graphql-commit.ts). GitHub creates the commit itself: it is signed
 * (verified) and authored by the token's owner (an app's bot for an installation token).
 */
/** GitHub said the branch moved (STALE_DATA), or our read saw it move: read and apply again. */
class LostRace extends Error {
    expected;
    constructor(expected) {
        super(`the branch moved from ${expected}`);
        this.expected = expected;
    }
}
/** The mutation failed without an answer (5xx, timeout): it may have landed; the read tells. */
class CommitLost extends LostRace {
    fault;
    constructor(expected, fault) {
        super(expected);
        this.fault = fault;
    }
}
async function syncByGraphql(octokit, i, manifests, deps) {
    const now = deps.now ?? Date.now;
    const log = deps.log ?? (() => { });
    const query = (op) => postGraphql(octokit, i.apiUrl, op);
    // Trees never change: one store for every attempt (a retry reads only what is new).
    const objects = new git_src/* ObjectStore */.LI(graphqlObjects(query, i, () => objects));
    const read = async (step) => {
        try {
            return await step();
        }
        catch (e) {
            throw explainRead(e, i);
        }
    };
    const appTrees = new Map();
    const message = (0,sync.commitMessage)(i);
    const deadline = now() + i.timeoutSeconds * 1000;
    let attempts = 0;
    let last;
    // The files of the last commit sent: a commit found landed after its answer was lost has them.
    let sent = [];
    const faults = [];
    return (0,src/* withRetry */.bD)(async () => {
        attempts++;
        let tip;
        try {
            tip = await read(() => readRelease(query, objects, i));
        }
        catch (e) {
            if (e instanceof ReadMoved) {
                log(`read ${attempts}: ${e.message}: reading again`);
                throw new LostRace('');
            }
            throw e;
        }
        // Pull-request mode: a commit whose answer was lost is on the release branch, on this tip.
        if (last instanceof CommitLost && releaseCommitLanded(tip, message)) {
            log(`the release branch's tip ${tip.releaseTip} is this release's commit: it landed`);
            return landed(tip.releaseTip, tip.releaseCommit.verified, sent, attempts, now);
        }
        // GitHub's word that the branch moved is checked against the branch itself.
        const moved = i.mode === 'pull-request' ? tip.releaseTip : tip.tip;
        if (last && !(last instanceof CommitLost) && last.expected && last.expected === moved)
            throw new src/* UserError */.yo(`GitHub refused the commit to ${i.repository.owner}/${i.repository.repo}@${targetBranch(i)} as stale (the branch moved), but it still points to ${moved} when read again: an answer that contradicts the branch; nothing was committed. Run the job again; if it persists, check what stands between the runner and the API.`);
        const existing = await (0,sync/* appDirectoryOn */.ul)(objects, read, i, tip.rootTree);
        const plan = await (0,sync/* planRelease */.F3)(objects, read, i, manifests, { rootTree: tip.rootTree, existing }, appTrees);
        if (!plan.changed) {
            // An earlier attempt's commit whose answer was lost (or called stale after it landed).
            if (last && tip.tipMessage.trim() === message.trim()) {
                log(`the branch's tip ${tip.tip} is this release's commit: it landed`);
                return landed(tip.tip, tip.tipVerified, sent, attempts, now);
            }
            log(`${(0,sync/* appDir */.DY)(i)} is already up to date at ${tip.tip}: nothing to commit.`);
            return { changed: false, sha: tip.tip, files: [], attempts, verified: false };
        }
        if (i.dryRun) {
            const diff = await (0,sync/* releaseDiff */.Bc)(objects, read, i, existing, plan.appTree);
            return { changed: true, sha: tip.tip, files: plan.files, attempts, diff, verified: false };
        }
        const changes = await read(() => fileChanges(objects, i, existing, plan.appTree));
        const branch = targetBranch(i);
        const op = commitMutation(i, branch, tip.tip, message, changes);
        if (i.mode === 'pull-request')
            await prepareReleaseBranch(octokit, i, tip);
        sent = plan.files;
        try {
            const commit = readCommitAnswer(await query(op), op);
            return {
                changed: true,
                sha: commit.oid,
                files: plan.files,
                attempts,
                pushedAt: new Date(now()).toISOString(),
                verified: commit.verified,
            };
        }
        catch (e) {
            last = settle(e, tip.tip, attempts, faults, log, i);
            throw last;
        }
    }, {
        attempts: i.maxAttempts,
        baseMs: 200,
        maxDelayMs: (0,sync/* pushBackoffCeilingMs */.w8)(i),
        deadline,
        retryable: (e) => e instanceof LostRace ||
            // A rate limit is waited only when its wait ends before the deadline.
            (e instanceof GraphqlRateLimited && (e.waitMs ?? 0) < deadline - now()),
        delayOf: (e) => (e instanceof GraphqlRateLimited ? e.waitMs : undefined),
        onRetry: ({ delayMs, error }) => {
            if (error instanceof GraphqlRateLimited)
                log(`GitHub's rate limit: waiting ${Math.ceil(delayMs / 1000)} s as it asked`);
        },
        sleep: deps.sleep,
        now,
    }).catch((error) => {
        throw givenUp(error, i, attempts, faults, deadline, now);
    });
}
/** In pull-request mode the commit goes on the release's own branch. */
const targetBranch = (i) => (i.mode === 'pull-request' ? (0,names/* releaseBranch */.CT)(i) : i.branch);
/** What a failed mutation means for the loop: a lost race, a lost answer, or the end. */
function settle(e, expected, attempts, faults, log, i) {
    if (e instanceof GraphqlErrors && isStaleHead(e.errors)) {
        log(`commit ${attempts} lost a race with another writer (${targetBranch(i)} moved from ${expected}): reading the new tip and applying the release again`);
        return new LostRace(expected);
    }
    if (isServerFault(e)) {
        faults.push(e);
        if (faults.length >= sync/* SERVER_FAULT_PUSHES */.mR)
            throw commitKeptFailing(i, faults, attempts);
        log(`commit ${attempts}: its answer was lost or unreadable: reading the branch to see whether it landed`);
        return new CommitLost(expected, e);
    }
    throw e;
}
/** The release branch holds our commit, made on the tip just read (its answer was lost). */
function releaseCommitLanded(tip, message) {
    const c = tip.releaseCommit;
    return (c !== undefined &&
        tip.releaseTip !== tip.tip &&
        c.parent === tip.tip &&
        c.message.trim() === message.trim());
}
/** Our commit, found on the branch after its answer was lost: the release is there. */
function landed(sha, verified, files, attempts, now) {
    return { changed: true, sha, files, attempts, pushedAt: new Date(now()).toISOString(), verified };
}
/**
 * Pull-request mode: the release branch must point at the tip the release was computed on
 * before the commit is appended to it (createCommitOnBranch appends to a branch's head). It is
 * created, or moved back, by REST: it belongs to this release.
 */
async function prepareReleaseBranch(octokit, i, tip) {
    const repo = { owner: i.repository.owner, repo: i.repository.repo };
    const branch = (0,names/* releaseBranch */.CT)(i);
    if (tip.releaseTip === tip.tip)
        return;
    const ctx = {
        action: `${tip.releaseTip ? 'reset' : 'create'} the release branch ${branch} at ${tip.tip}`,
        permission: 'contents=write',
        classicScope: 'repo',
    };
    let answer;
    try {
        answer = (await (0,src/* explained */.to)(octokit, ctx, () => tip.releaseTip
            ? octokit.rest.git.updateRef({
                ...repo,
                ref: `heads/${branch}`,
                sha: tip.tip,
                force: true,
            })
            : octokit.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha: tip.tip }))).data;
    }
    catch (e) {
        // Created by another run of this release since the read: read and apply again.
        if (e.status === 422 && !tip.releaseTip)
            throw new LostRace('');
        throw e;
    }
    const object = (0,src/* isObject */.Gv)(answer) ? answer.object : undefined;
    if (!(0,src/* isObject */.Gv)(object) || object.sha !== tip.tip)
        throw (0,src/* unexpectedAnswer */.au)(`${tip.releaseTip ? 'PATCH' : 'POST'} /repos/${repo.owner}/${repo.repo}/git/refs (${branch})`, answer, `ref pointing at ${tip.tip}`, 'where the release branch points cannot be told; nothing was committed');
}
/** A read's failure in words: the transport's own errors pass, git's object checks are named. */
function explainRead(e, i) {
    if (e instanceof git_src/* NotATreeError */.bj)
        return new src/* UserError */.yo(`'${e.path.split('/').pop()}' is a file in the deploy repository where the app's path needs a directory (${e.path}): check 'path'.`);
    if (e instanceof git_src/* GitError */.XS)
        return new src/* UserError */.yo(`read of ${i.repository.owner}/${i.repository.repo} through GitHub's GraphQL API: ${e.message}; nothing was committed.`);
    return e;
}
/** The server failed the commit every time (or the last time, when time ran out). */
function commitKeptFailing(i, faults, attempts) {
    return new src/* UserError */.yo(`commit to ${i.repository.owner}/${i.repository.repo}@${targetBranch(i)}: GitHub failed createCommitOnBranch ${faults.length} time(s) in ${attempts} attempt(s), and the branch did not hold the release when read after it. Last: ${faults.at(-1).message}`);
}
/** What the step says when the retries end. */
function givenUp(error, i, attempts, faults, deadline, now) {
    if (error instanceof GraphqlRateLimited) {
        const wait = error.waitMs === undefined ? '' : ` (it asked to wait ${Math.ceil(error.waitMs / 1000)} s)`;
        return new src/* UserError */.yo(`${error.message} The rate limit${wait} outlasts timeout-seconds (${i.timeoutSeconds}): nothing was committed. Run the job again later, or raise timeout-seconds.`);
    }
    if (error instanceof CommitLost)
        return commitKeptFailing(i, faults, attempts);
    if (error instanceof LostRace)
        return new src/* UserError */.yo(`the commit was refused ${attempts} times because the branch moved (concurrent writers; max-attempts ${i.maxAttempts}, timeout-seconds ${i.timeoutSeconds}${now() >= deadline ? ', which ran out' : ''}): raise them, or serialise the jobs.`);
    return error;
}


/***/ })

};
