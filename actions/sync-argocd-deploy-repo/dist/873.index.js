export const id = 873;
export const ids = [873,676];
export const modules = {

/***/ 5676:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Xs: () => (/* binding */ renderConfig),
/* harmony export */   readManifests: () => (/* binding */ readManifests)
/* harmony export */ });
/* unused harmony export WEBAPP_URL_ANNOTATION */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _argocd_actions_core__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5879);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8815);
/* harmony import */ var _names_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4175);





/** What goes into `<path>/<namespace>/<application>/`: config.yaml and the rendered manifests. */
const WEBAPP_URL_ANNOTATION = 'outputs.platform.cloudposse.com/webapp-url';
/**
 * Reads the rendered manifests from the workspace: a YAML file or a directory of them. Symlinks
 * and paths outside the workspace are refused; every document must parse and name apiVersion
 * and kind, so Argo CD never receives a half-rendered release.
 */
async function readManifests(workspace, input) {
    const example = 'rendered/manifests.yaml';
    const root = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.realpath)(workspace);
    const target = node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(root, input);
    const rel = node_path__WEBPACK_IMPORTED_MODULE_1___default().relative(root, target);
    if (node_path__WEBPACK_IMPORTED_MODULE_1___default().isAbsolute(input) || rel.startsWith('..') || rel === '') {
        throw new _argocd_actions_core__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('manifests', `must be a file or directory inside the workspace, not '${input}'`, example);
    }
    // Every component of the path must be a real directory or file, never a link.
    let walk = root;
    for (const part of rel.split((node_path__WEBPACK_IMPORTED_MODULE_1___default().sep))) {
        walk = node_path__WEBPACK_IMPORTED_MODULE_1___default().join(walk, part);
        const st = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.lstat)(walk).catch(() => undefined);
        if (!st)
            throw new _argocd_actions_core__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('manifests', `does not exist: '${input}'`, example);
        if (st.isSymbolicLink())
            throw new _argocd_actions_core__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('manifests', `must not be or go through a symbolic link: '${node_path__WEBPACK_IMPORTED_MODULE_1___default().relative(root, walk)}'`, example);
    }
    const files = {};
    const st = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.lstat)(target);
    if (st.isFile())
        files[node_path__WEBPACK_IMPORTED_MODULE_1___default().basename(target)] = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(target, 'utf8');
    else {
        for (const entry of await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(target, { withFileTypes: true, recursive: true })) {
            const full = node_path__WEBPACK_IMPORTED_MODULE_1___default().join(entry.parentPath, entry.name);
            const name = node_path__WEBPACK_IMPORTED_MODULE_1___default().relative(target, full);
            if (entry.isSymbolicLink())
                throw new _argocd_actions_core__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('manifests', `must not contain symbolic links: '${name}'`, example);
            if (entry.isFile() && /\.(ya?ml|json)$/i.test(entry.name))
                files[name.split((node_path__WEBPACK_IMPORTED_MODULE_1___default().sep)).join('/')] = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(full, 'utf8');
        }
    }
    if (!Object.keys(files).length)
        throw new _argocd_actions_core__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('manifests', `holds no .yaml, .yml or .json file: '${input}'`, example);
    let hostname;
    for (const [name, text] of Object.entries(files)) {
        const docs = (0,yaml__WEBPACK_IMPORTED_MODULE_3__/* .parseAllDocuments */ .hR)(text);
        let index = 0;
        for (const doc of docs) {
            index++;
            if (doc.errors.length) {
                throw new _argocd_actions_core__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('manifests', `${name}, document ${index}: ${doc.errors[0].message.split('\n')[0]}`, example);
            }
            const value = doc.toJS();
            if (value === null)
                continue;
            if (typeof value !== 'object' || Array.isArray(value) || !value.apiVersion || !value.kind) {
                throw new _argocd_actions_core__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('manifests', `${name}, document ${index}: a Kubernetes manifest needs apiVersion and kind`, example);
            }
            const annotations = value.metadata
                ?.annotations;
            hostname ??= annotations?.[WEBAPP_URL_ANNOTATION];
        }
    }
    return { files, hostname };
}
/** config.yaml with exactly the keys the ApplicationSet reads, in a fixed order. */
function renderConfig(c) {
    return (0,yaml__WEBPACK_IMPORTED_MODULE_3__/* .stringify */ .As)({
        app_repository: c.app_repository,
        app_commit: c.app_commit,
        app_hostname: c.app_hostname,
        name: c.name,
        namespace: c.namespace,
        manifests: c.manifests,
    }, { lineWidth: 0 });
}


/***/ }),

/***/ 1873:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  commitMessage: () => (/* binding */ commitMessage),
  syncToDeployRepo: () => (/* binding */ syncToDeployRepo)
});

// UNUSED EXPORTS: deployRemote, pushBackoffCeilingMs, syncRelease

// EXTERNAL MODULE: ./packages/core/src/index.ts + 5 modules
var src = __webpack_require__(5879);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/git.ts



class GitError extends Error {
    args;
    result;
    constructor(args, result) {
        super(`git ${args[0]} failed (exit ${result.code}): ${result.stderr.trim().split('\n').slice(-3).join(' / ')}`);
        this.args = args;
        this.result = result;
        this.name = 'GitError';
    }
}
async function createGitRunner(opts) {
    const root = await (0,promises_.mkdtemp)(external_node_path_default().join(opts.tempDir, 'argocd-deploy-'));
    const dir = external_node_path_default().join(root, 'repo');
    const configFile = external_node_path_default().join(root, 'gitconfig');
    const origin = new URL(opts.remoteUrl).origin;
    const basic = Buffer.from(`x-access-token:${opts.token}`, 'utf8').toString('base64');
    await (0,promises_.writeFile)(configFile, [
        `[http "${origin}/"]`,
        `\textraheader = AUTHORIZATION: basic ${basic}`,
        '[user]',
        `\tname = ${opts.authorName.replace(/[\r\n"\\]/g, '')}`,
        `\temail = ${opts.authorEmail.replace(/[\r\n"\\]/g, '')}`,
        // A promisor remote: fetches may leave trees and blobs out (--filter).
        '[remote "origin"]',
        `\turl = ${opts.remoteUrl}`,
        '\tpromisor = true',
        '\tpartialclonefilter = tree:0',
        '[protocol]',
        '\tversion = 2',
        // A throwaway repository: no housekeeping after each fetch.
        '[fetch]',
        '\twriteCommitGraph = false',
        '[gc]',
        '\tauto = 0',
        '[maintenance]',
        '\tauto = false',
        '',
    ].join('\n'), { mode: 0o600 });
    const env = {
        PATH: process.env.PATH,
        HOME: root,
        GIT_CONFIG_GLOBAL: configFile,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_TERMINAL_PROMPT: '0',
        GIT_ASKPASS: '',
        LC_ALL: 'C',
        ...(process.env.GIT_SSL_CAINFO && { GIT_SSL_CAINFO: process.env.GIT_SSL_CAINFO }),
        ...(process.env.HTTPS_PROXY && { HTTPS_PROXY: process.env.HTTPS_PROXY }),
        ...(process.env.https_proxy && { https_proxy: process.env.https_proxy }),
        ...(process.env.NO_PROXY && { NO_PROXY: process.env.NO_PROXY }),
    };
    const exec = (args, cwd, input) => new Promise((resolve, reject) => {
        const child = (0,external_node_child_process_.spawn)('git', args, {
            cwd,
            env,
            stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        });
        // git may exit before reading its input (an error): that is its exit code's to tell.
        child.stdin?.on('error', () => { });
        const out = [];
        const err = [];
        child.stdout.on('data', (d) => out.push(d));
        child.stderr.on('data', (d) => err.push(d));
        child.on('error', reject);
        child.on('close', (code) => resolve({
            code: code ?? 1,
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(err).toString('utf8'),
        }));
        child.stdin?.end(input);
    });
    const init = await exec(['init', '--quiet', dir], root);
    if (init.code !== 0)
        throw new GitError(['init'], init);
    return {
        dir,
        async run(args, o = {}) {
            const started = Date.now();
            const result = await exec(args, dir, o.input);
            // Arguments never hold the token (it is in the config file); object ids are not secret.
            opts.debug?.(`git ${args.slice(0, 4).join(' ')}: exit ${result.code}, ${Date.now() - started} ms`);
            if (result.code !== 0 && !o.allowFailure)
                throw new GitError(args, result);
            return result;
        },
        async dispose() {
            await (0,promises_.rm)(root, { recursive: true, force: true });
        },
    };
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./actions/sync-argocd-deploy-repo/src/update-spec.ts
var update_spec = __webpack_require__(1524);
;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/image-bump.ts



/**
 * Image-tag bumps that keep comments and key order: the yaml Document API edits the node in place.
 */
function load(text, file) {
    const doc = (0,dist/* parseDocument */.Tp)(text);
    if (doc.errors.length)
        throw new src/* InputError */.dz('update', `${file} in the deploy repo is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`, 'kustomize:kustomization.yaml');
    return doc;
}
/** Returns the edited file (or a new one for argocd-source when absent). */
function bumpImage(spec, current, image, tag) {
    if (spec.kind === 'argocd-source') {
        // argocd-image-updater's write-back file: helm or kustomize overrides.
        const doc = load(current ?? '', spec.file);
        if (!current || doc.contents === null) {
            return `kustomize:\n  images:\n    - ${image}:${tag}\n`;
        }
        if (doc.hasIn(['helm', 'parameters'])) {
            const params = doc.getIn(['helm', 'parameters']);
            if ((0,dist/* isSeq */.oP)(params)) {
                for (const item of params.items) {
                    if ((0,dist/* isMap */.jh)(item) && item.get('name') === 'image.tag')
                        item.set('value', tag);
                    if ((0,dist/* isMap */.jh)(item) && item.get('name') === 'image.repository')
                        item.set('value', image);
                }
            }
            return doc.toString();
        }
        const images = doc.getIn(['kustomize', 'images']);
        const entry = `${image}:${tag}`;
        if ((0,dist/* isSeq */.oP)(images)) {
            const i = images.items.findIndex((n) => String(n.value ?? n).split(/[:@=]/)[0] === image);
            if (i >= 0)
                images.set(i, entry);
            else
                images.add(entry);
        }
        else
            doc.setIn(['kustomize', 'images'], [entry]);
        return doc.toString();
    }
    if (current === undefined)
        throw new src/* InputError */.dz('update', `${spec.file} does not exist in the app directory of the deploy repo`, 'kustomize:kustomization.yaml');
    const doc = load(current, spec.file);
    if (spec.kind === 'kustomize') {
        const images = doc.get('images');
        if (!(0,dist/* isSeq */.oP)(images))
            throw new src/* InputError */.dz('update', `${spec.file} has no images: list`, 'kustomize:kustomization.yaml');
        const entry = images.items.find((n) => (0,dist/* isMap */.jh)(n) && (n.get('name') === image || n.get('newName') === image));
        if (!entry || !(0,dist/* isMap */.jh)(entry))
            throw new src/* InputError */.dz('image', `'${image}' is not in the images: list of ${spec.file}`, 'ghcr.io/acme/web');
        entry.set('newTag', tag);
        return doc.toString();
    }
    if (!doc.hasIn(spec.yamlPath))
        throw new src/* InputError */.dz('update', `${spec.file} has no ${spec.yamlPath.join('.')}`, 'helm-values:values.yaml:image.tag');
    doc.setIn(spec.yamlPath, tag);
    return doc.toString();
}

// EXTERNAL MODULE: ./actions/sync-argocd-deploy-repo/src/names.ts
var names = __webpack_require__(4175);
// EXTERNAL MODULE: ./actions/sync-argocd-deploy-repo/src/release-files.ts
var release_files = __webpack_require__(5676);
;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/remote-objects.ts
/**
 * The deploy repository's objects a release reads, fetched by us, each once per run.
 *
 * The work repository starts with the tip commit alone (`--depth 1 --filter=tree:0`). Left to
 * itself, git fetches a missing object lazily with a hard-coded `--filter=blob:none`, which for a
 * tree means every tree below it: reading the root tree would download the whole deploy
 * repository's trees. Asking for each tree on the path with `--filter=tree:0` gets that tree
 * alone, so a release costs the depth of its path, not the number of apps.
 */
class RemoteObjects {
    git;
    explain;
    /** Objects in the local object store: fetched or written by this run. */
    here = new Set();
    /** Trees fetched with every tree below them. */
    deep = new Set();
    /** Listings of the trees read so far (trees never change: retries reuse them). */
    listings = new Map();
    constructor(git, 
    /** Turns a failed fetch's stderr into the error to throw. */
    explain) {
        this.git = git;
        this.explain = explain;
    }
    /** An object this run wrote (mktree, hash-object): present without a fetch. */
    wrote(oid) {
        this.here.add(oid);
        return oid;
    }
    /** The object itself, without what it points to. */
    async need(oid) {
        if (this.here.has(oid))
            return;
        await this.fetch([oid], 'tree:0');
        this.here.add(oid);
    }
    /** A tree and every tree below it, without blobs (small: one app's directory). */
    async needTrees(oid) {
        if (this.deep.has(oid))
            return;
        await this.fetch([oid], 'blob:none');
        this.here.add(oid);
        this.deep.add(oid);
    }
    /** The entries of a tree, fetched first if it is not here. */
    async list(tree) {
        const known = this.listings.get(tree);
        if (known)
            return known;
        await this.need(tree);
        const r = await this.git.run(['ls-tree', '-z', tree]);
        const entries = r.stdout
            .split('\0')
            .filter(Boolean)
            .map((line) => {
            const tab = line.indexOf('\t');
            const [mode, type, sha] = line.slice(0, tab).split(' ');
            return { mode, type: type, sha, name: line.slice(tab + 1) };
        });
        // Below a tree fetched deep, the subtrees came with it.
        if (this.deep.has(tree))
            for (const e of entries)
                if (e.type === 'tree') {
                    this.here.add(e.sha);
                    this.deep.add(e.sha);
                }
        this.listings.set(tree, entries);
        return entries;
    }
    async fetch(oids, filter) {
        const r = await this.git.run([
            // No haves to negotiate: we ask for exact objects (as git's own lazy fetch does).
            '-c',
            'fetch.negotiationAlgorithm=noop',
            'fetch',
            '--quiet',
            '--no-tags',
            '--no-write-fetch-head',
            '--recurse-submodules=no',
            `--filter=${filter}`,
            'origin',
            ...oids,
        ], { allowFailure: true });
        if (r.code !== 0)
            throw this.explain(r.stderr);
    }
}

;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/tree-edit.ts
/**
 * Edits a tree without a checkout or an index: only the trees on the path from the root to the
 * app directory are read (each fetched on its own, see RemoteObjects) and rewritten with mktree,
 * so the cost does not grow with the number of apps in the deploy repository.
 */

async function mktree(objects, entries) {
    const input = entries.map((e) => `${e.mode} ${e.type} ${e.sha}\t${e.name}`).join('\0') +
        (entries.length ? '\0' : '');
    // --missing: the entries we did not change point at objects this run never fetched.
    const r = await objects.git.run(['mktree', '-z', '--missing'], { input });
    return objects.wrote(r.stdout.trim());
}
async function writeBlob(objects, content) {
    const r = await objects.git.run(['hash-object', '-w', '--stdin'], { input: content });
    return objects.wrote(r.stdout.trim());
}
async function readBlob(objects, sha) {
    await objects.need(sha);
    return (await objects.git.run(['cat-file', 'blob', sha])).stdout;
}
/** The root tree of a commit that is here (reading it with `^{tree}` would fetch every tree). */
async function rootTreeOf(objects, commit) {
    const text = (await objects.git.run(['cat-file', 'commit', commit])).stdout;
    const tree = /^tree ([0-9a-f]{40,64})$/m.exec(text)?.[1];
    if (!tree)
        throw new Error(`commit ${commit} names no tree`);
    return tree;
}
/** A tree built from files given by relative path → content. */
async function treeFromFiles(objects, files) {
    const dirs = new Map();
    const entries = [];
    for (const [p, content] of Object.entries(files)) {
        const [head, ...rest] = p.split('/');
        if (rest.length) {
            const sub = dirs.get(head) ?? {};
            sub[rest.join('/')] = content;
            dirs.set(head, sub);
        }
        else
            entries.push({
                mode: '100644',
                type: 'blob',
                sha: await writeBlob(objects, content),
                name: head,
            });
    }
    for (const [name, sub] of dirs)
        entries.push({ mode: '040000', type: 'tree', sha: await treeFromFiles(objects, sub), name });
    return mktree(objects, entries);
}
/**
 * Replaces (or, with null, removes) the entry at `segments` under `rootTree`, rewriting only the
 * trees on that path. Directories that become empty are removed, as git cannot hold them.
 */
async function replaceAt(objects, rootTree, segments, replacement) {
    const [name, ...rest] = segments;
    const entries = rootTree ? await objects.list(rootTree) : [];
    const current = entries.find((e) => e.name === name);
    let child;
    if (rest.length === 0) {
        child =
            replacement === null
                ? null
                : typeof replacement === 'string'
                    ? { mode: '040000', type: 'tree', sha: replacement, name }
                    : { mode: '100644', type: 'blob', sha: replacement.blob, name };
    }
    else {
        if (current && current.type !== 'tree')
            throw new src/* UserError */.yo(`'${name}' is a file in the deploy repository where the app's path needs a directory: check 'path'.`);
        const sha = await replaceAt(objects, current?.sha ?? '', rest, replacement);
        child = sha === null ? null : { mode: '040000', type: 'tree', sha, name };
    }
    const others = entries.filter((e) => e.name !== name);
    const next = child === null ? others : [...others, child];
    if (!next.length)
        return null;
    return mktree(objects, next);
}
/** The entry at a path below `tree`, or undefined. */
async function entryAt(objects, tree, segments) {
    let entry;
    let current = tree;
    for (const name of segments) {
        if (entry && entry.type !== 'tree')
            return undefined;
        entry = (await objects.list(current)).find((e) => e.name === name);
        if (!entry)
            return undefined;
        current = entry.sha;
    }
    return entry;
}

;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/sync.ts







class PushRejected extends Error {
}
const appDir = (i) => `${i.path}/${i.namespace}/${i.application}`;
function commitMessage(i) {
    const subject = i.commitMessage
        .replaceAll('{app}', i.application)
        .replaceAll('{namespace}', i.namespace)
        .replaceAll('{sha}', i.appCommit)
        .replaceAll('{repository}', i.appRepository)
        .replaceAll('{run_url}', i.runUrl);
    const trailers = [
        `Argocd-App: ${i.namespace}.${i.application}`,
        `Argocd-Operation: ${i.operation}`,
        `App-Repository: ${i.appRepository}`,
        `App-Commit: ${i.appCommit}`,
        ...(i.runUrl ? [`Run-Url: ${i.runUrl}`] : []),
    ];
    return `${subject}\n\n${trailers.join('\n')}\n`;
}
/** The app directory's new tree, given its current one (null: the directory goes away). */
async function buildAppTree(objects, existing, i, manifests) {
    if (i.operation === 'destroy')
        return null;
    const dir = appDir(i);
    // The old config.yaml is read only when the hostname has no other source.
    const oldHostname = async () => (existing ? readConfigHostname(objects, existing) : undefined);
    const config = (hostname) => (0,release_files/* renderConfig */.Xs)({
        app_repository: i.appRepository,
        app_commit: i.appCommit,
        app_hostname: hostname,
        name: `${i.namespace}.${i.application}`,
        namespace: i.namespace,
        manifests: `${dir}/manifests`,
    });
    if (manifests) {
        const hostname = i.appHostname ?? manifests.hostname ?? (await oldHostname()) ?? '';
        const files = { 'config.yaml': config(hostname) };
        for (const [name, content] of Object.entries(manifests.files))
            files[`manifests/${name}`] = content;
        // The whole directory is replaced: a release never mixes files of two releases.
        return treeFromFiles(objects, files);
    }
    const bump = i.bump;
    const segments = bump.update.file.split('/');
    const current = existing ? await fileIn(objects, existing, segments) : undefined;
    const edited = bumpImage(bump.update, current, bump.image, bump.tag);
    const withFile = await replaceAt(objects, existing ?? '', segments, {
        blob: await writeBlob(objects, edited),
    });
    return replaceAt(objects, withFile ?? '', ['config.yaml'], {
        blob: await writeBlob(objects, config(i.appHostname ?? (await oldHostname()) ?? '')),
    });
}
async function fileIn(objects, tree, segments) {
    const entry = await entryAt(objects, tree, segments);
    return entry?.type === 'blob' ? readBlob(objects, entry.sha) : undefined;
}
async function readConfigHostname(objects, appTree) {
    const text = await fileIn(objects, appTree, ['config.yaml']);
    return text
        ? /^app_hostname:\s*(.*)$/m
            .exec(text)?.[1]
            ?.trim()
            .replace(/^['"]|['"]$/g, '') || undefined
        : undefined;
}
/**
 * The longest wait between two pushes. Full jitter waits half the ceiling on average, so with this
 * ceiling `max-attempts` lost races take about `timeout-seconds`: many writers spread their
 * attempts over the time they have, instead of spending them all in the first minute and giving
 * up while the deadline is far. The first retries stay quick (0.2 s, 0.4 s, ...).
 */
const pushBackoffCeilingMs = (i) => Math.max(5000, Math.round((2 * i.timeoutSeconds * 1000) / i.maxAttempts));
/** The deploy repository's clone URL. */
const deployRemote = (i) => `${i.serverUrl.replace(/\/+$/, '')}/${i.repository.owner}/${i.repository.repo}.git`;
/** A release made in a throwaway work repository under `tempDir`, removed afterwards. */
async function syncToDeployRepo(i, manifests, opts) {
    const git = await createGitRunner({
        tempDir: opts.tempDir,
        remoteUrl: deployRemote(i),
        token: i.token,
        authorName: i.authorName,
        authorEmail: i.authorEmail,
        debug: opts.debug,
    });
    try {
        return await syncRelease(git, i, manifests, opts);
    }
    finally {
        await git.dispose();
    }
}
/**
 * Fetch the tip (shallow, no trees or blobs until needed), rewrite the app directory on it, push.
 * A rejected push starts over from the new tip: the change is re-applied, never rebased stale.
 */
async function syncRelease(git, i, manifests, deps = {}) {
    const now = deps.now ?? Date.now;
    const log = deps.log ?? (() => { });
    const objects = new RemoteObjects(git, (stderr) => explainGit('fetch', stderr, i));
    // The app directory's new tree for each of its current ones: a retry on a tip where the app
    // did not change (another app's release won the race) reuses it.
    const appTrees = new Map();
    const releaseTip = async () => (await git.run(['rev-parse', '--verify', '--quiet', `refs/remotes/origin/${(0,names/* releaseBranch */.C)(i)}`], {
        allowFailure: true,
    })).stdout.trim();
    const deadline = now() + i.timeoutSeconds * 1000;
    let attempts = 0;
    return (0,src/* withRetry */.bD)(async () => {
        attempts++;
        const fetch = await git.run([
            'fetch',
            '--quiet',
            '--no-tags',
            '--depth',
            '1',
            '--filter=tree:0',
            'origin',
            `+refs/heads/${i.branch}:refs/remotes/origin/${i.branch}`,
            // The release branch's tip too, if there is one (a pattern: absent is no error).
            ...(i.mode === 'pull-request'
                ? [`+refs/heads/${(0,names/* releaseBranch */.C)(i)}*:refs/remotes/origin/${(0,names/* releaseBranch */.C)(i)}*`]
                : []),
        ], { allowFailure: true });
        if (fetch.code !== 0)
            throw explainGit('fetch', fetch.stderr, i);
        const tip = (await git.run(['rev-parse', `refs/remotes/origin/${i.branch}`])).stdout.trim();
        const rootTree = await rootTreeOf(objects, tip);
        const segments = appDir(i).split('/');
        const current = await entryAt(objects, rootTree, segments);
        // A release replaces a directory, never a file someone put at its path.
        if (current && current.type !== 'tree')
            throw new src/* UserError */.yo(`${appDir(i)} is a file in ${i.repository.owner}/${i.repository.repo}@${i.branch}, not an app directory: nothing was pushed.`);
        const existing = current?.sha;
        // The app's own directory comes whole (its trees, not its blobs): it is small, and
        // diff-tree reads all of it.
        if (existing)
            await objects.needTrees(existing);
        let appTree = appTrees.get(existing ?? '');
        if (appTree === undefined) {
            appTree = await buildAppTree(objects, existing, i, manifests);
            appTrees.set(existing ?? '', appTree);
        }
        const newRoot = (await replaceAt(objects, rootTree, segments, appTree)) ?? (await mktree(objects, []));
        if (newRoot === rootTree) {
            log(`${appDir(i)} is already up to date at ${tip}: nothing to commit.`);
            return { changed: false, sha: tip, files: [], attempts };
        }
        const commit = (await git.run(['commit-tree', newRoot, '-p', tip, '-F', '-'], { input: commitMessage(i) })).stdout.trim();
        const files = (await git.run(['diff-tree', '-r', '--no-commit-id', '--name-status', tip, commit])).stdout
            .split('\n')
            .filter(Boolean)
            .map((l) => {
            const [status, ...p] = l.split('\t');
            return { status, path: p.join('\t') };
        });
        if (i.dryRun) {
            // git fetches the old blobs it shows in one batch (blobs only: nothing below them).
            const diff = (await git.run(['diff', '--no-color', tip, commit, '--', appDir(i)])).stdout;
            return { changed: true, sha: tip, files, attempts, diff };
        }
        // Pull-request mode pushes to a branch of its own (replaced: it belongs to this release).
        const [ref, expected] = i.mode === 'pull-request'
            ? [`refs/heads/${(0,names/* releaseBranch */.C)(i)}`, await releaseTip()]
            : [`refs/heads/${i.branch}`, tip];
        // A lease on the value we built on: the push is refused at once when the ref moved, where a
        // plain push would first fetch the new tip lazily, with every tree of the repository.
        const push = await git.run([
            // No delta search: pack-objects would read the replaced objects as delta bases,
            // fetching each lazily (--no-thin alone does not stop that). Ours are small.
            '-c',
            'pack.window=0',
            'push',
            '--quiet',
            '--porcelain',
            '--no-thin',
            `--force-with-lease=${ref}:${expected}`,
            'origin',
            `${commit}:${ref}`,
        ], { allowFailure: true });
        if (push.code !== 0) {
            const text = `${push.stdout}\n${push.stderr}`;
            if (/\[rejected\]|non-fast-forward|fetch first|stale info|cannot lock ref|failed to update ref/i.test(text) &&
                !/GH006|protected branch/i.test(text)) {
                log(`push ${attempts} lost a race with another writer: fetching the new tip and applying the release again`);
                throw new PushRejected(text);
            }
            throw explainGit('push', text, i);
        }
        return {
            changed: true,
            sha: commit,
            files,
            attempts,
            pushedAt: new Date(now()).toISOString(),
        };
    }, {
        attempts: i.maxAttempts,
        baseMs: 200,
        maxDelayMs: pushBackoffCeilingMs(i),
        deadline,
        retryable: (e) => e instanceof PushRejected,
        sleep: deps.sleep,
        now,
    }).catch((error) => {
        if (error instanceof PushRejected) {
            throw new src/* UserError */.yo(`the push was rejected ${attempts} times by concurrent writers (max-attempts ${i.maxAttempts}, timeout-seconds ${i.timeoutSeconds}): raise them, or serialise the jobs.`);
        }
        throw error;
    });
}
function explainGit(step, stderr, i) {
    const repo = `${i.repository.owner}/${i.repository.repo}`;
    const text = stderr.replace(/AUTHORIZATION: basic \S+/gi, 'AUTHORIZATION: basic ***');
    if (/GH006|protected branch/i.test(text)) {
        return new src/* UserError */.yo(`${repo}@${i.branch} is a protected branch: direct pushes are refused. Use mode: pull-request.`);
    }
    if (/Write access to repository not granted|403|permission to .* denied/i.test(text) &&
        step === 'push') {
        return new src/* UserError */.yo(`the token may read ${repo} but not write to it: give it Contents: Read and write (classic: repo; app: contents: write).`);
    }
    if (/Authentication failed|401|could not read Username|invalid credentials/i.test(text)) {
        return new src/* UserError */.yo(`${step} of ${repo}: the token was refused (wrong, revoked or expired).`);
    }
    if (/Repository not found|not found|404/i.test(text)) {
        return new src/* UserError */.yo(`${step} of ${repo}: repository not found, or the token cannot see it (a fine-grained token must select it; an app must be installed on it).`);
    }
    if (/couldn't find remote ref|Remote branch .* not found/i.test(text)) {
        return new src/* UserError */.yo(`${repo} has no branch '${i.branch}'.`);
    }
    return new GitError([step], { code: 1, stdout: '', stderr: text });
}


/***/ })

};
