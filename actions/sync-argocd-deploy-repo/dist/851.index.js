export const id = 851;
export const ids = [851,676];
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

/***/ 851:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  commitMessage: () => (/* binding */ commitMessage),
  syncToDeployRepo: () => (/* binding */ syncToDeployRepo)
});

// UNUSED EXPORTS: changedFiles, deployRemote, pushBackoffCeilingMs, syncRelease

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./packages/core/src/index.ts + 5 modules
var src = __webpack_require__(5879);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
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
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/git-objects.ts
/**
 * Git's object formats, read and written in this process: a release builds a handful of blobs,
 * trees and one commit, and spawning `git hash-object` / `mktree` / `commit-tree` for each costs
 * more than the work itself. Objects are stored loose in the work repository, as git writes them,
 * so `git push` finds them.
 */




const header = (type, size) => Buffer.from(`${type} ${size}\0`);
/** The object id git gives this content (SHA-1 repositories). */
function objectId(type, data) {
    return (0,external_node_crypto_.createHash)('sha1').update(header(type, data.length)).update(data).digest('hex');
}
const typeOfMode = (mode) => mode === '40000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
/** `040000` (ls-tree's spelling) and `40000` (the tree's) are the same mode. */
const canonicalMode = (mode) => mode.replace(/^0+(?=\d)/, '');
function parseTree(data) {
    const entries = [];
    let pos = 0;
    while (pos < data.length) {
        const space = data.indexOf(0x20, pos);
        const nul = data.indexOf(0, space);
        if (space < 0 || nul < 0 || nul + 21 > data.length)
            throw new Error('malformed tree object');
        const mode = data.toString('latin1', pos, space);
        entries.push({
            mode,
            type: typeOfMode(mode),
            name: data.toString('utf8', space + 1, nul),
            sha: data.toString('hex', nul + 1, nul + 21),
        });
        pos = nul + 21;
    }
    return entries;
}
/** Git's tree order: names compared bytewise, a tree's name as if it ended with '/'. */
const sortKey = (e) => Buffer.from(e.type === 'tree' ? `${e.name}/` : e.name, 'utf8');
function serializeTree(entries) {
    const sorted = [...entries].sort((a, b) => Buffer.compare(sortKey(a), sortKey(b)));
    for (let i = 1; i < sorted.length; i++)
        if (sorted[i].name === sorted[i - 1].name)
            throw new Error(`duplicate tree entry '${sorted[i].name}'`);
    return Buffer.concat(sorted.flatMap((e) => [
        Buffer.from(`${canonicalMode(e.mode)} ${e.name}\0`, 'utf8'),
        Buffer.from(e.sha, 'hex'),
    ]));
}
/** The root tree a commit names. */
function commitTree(data) {
    const tree = /^tree ([0-9a-f]{40})$/m.exec(data.toString('utf8', 0, 64))?.[1];
    if (!tree)
        throw new Error('malformed commit object: no tree');
    return tree;
}
function serializeCommit(c) {
    const who = (s) => `${s.name} <${s.email}> ${s.time} +0000`;
    return Buffer.from([
        `tree ${c.tree}`,
        ...c.parents.map((p) => `parent ${p}`),
        `author ${who(c.author)}`,
        `committer ${who(c.committer)}`,
        '',
        c.message,
    ].join('\n'), 'utf8');
}
/** Writes an object loose into `<gitDir>/objects`, as `git hash-object -w` would. */
async function writeLoose(gitDir, type, data) {
    const oid = objectId(type, data);
    const dir = external_node_path_default().join(gitDir, 'objects', oid.slice(0, 2));
    await (0,promises_.mkdir)(dir, { recursive: true });
    await (0,promises_.writeFile)(external_node_path_default().join(dir, oid.slice(2)), (0,external_node_zlib_.deflateSync)(Buffer.concat([header(type, data.length), data])));
    return oid;
}

;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/remote-objects.ts



/**
 * The deploy repository's objects a release reads, fetched by us, each once per run.
 *
 * The work repository starts with the tip commit alone (`deepen 1`, `filter tree:0`). Asking for
 * each tree on the path with `tree:0` gets that tree alone, so a release costs the depth of its
 * path, not the number of apps. (Left to itself, git would fetch a missing tree lazily with a
 * hard-coded `blob:none`: every tree below it, the whole repository for the root.) Every object
 * is also written loose into the work repository, where `git push` looks for what it builds on.
 */
class RemoteObjects {
    remote;
    gitDir;
    objects = new Map();
    /** Trees fetched with every tree below them. */
    deep = new Set();
    /** Listings of the trees read so far (trees never change: retries reuse them). */
    listings = new Map();
    constructor(remote, 
    /** The work repository's git directory. */
    gitDir) {
        this.remote = remote;
        this.gitDir = gitDir;
    }
    /** Stores an object (fetched, or written by this run) here and in the work repository. */
    async add(type, data) {
        const oid = await writeLoose(this.gitDir, type, data);
        this.objects.set(oid, { type, data });
        return oid;
    }
    get(oid) {
        return this.objects.get(oid);
    }
    /** The object itself, fetched without what it points to if it is not here. */
    async read(oid) {
        if (!this.objects.has(oid))
            await this.fetch([oid], { filter: 'tree:0' });
        const object = this.objects.get(oid);
        if (!object)
            throw new Error(`the server did not send ${oid}`);
        return object;
    }
    /** A commit without its history (the branch tip); returns the shallow boundary. */
    async fetchTip(oid) {
        const shallow = await this.fetch([oid], { filter: 'tree:0', deepen: 1 });
        if (!this.objects.has(oid))
            throw new Error(`the server did not send ${oid}`);
        // git must not look for the tip's parents: they were left on the server.
        if (shallow.length)
            await (0,promises_.appendFile)(external_node_path_default().join(this.gitDir, 'shallow'), `${shallow.join('\n')}\n`);
    }
    /** A tree and every tree below it, without blobs (small: one app's directory). */
    async needTrees(oid) {
        if (this.deep.has(oid))
            return;
        await this.fetch([oid], { filter: 'blob:none' });
        this.deep.add(oid);
    }
    /** The entries of a tree, fetched first if it is not here. */
    async list(tree) {
        const known = this.listings.get(tree);
        if (known)
            return known;
        const object = await this.read(tree);
        if (object.type !== 'tree')
            throw new Error(`${tree} is a ${object.type}, not a tree`);
        const entries = parseTree(object.data);
        this.listings.set(tree, entries);
        return entries;
    }
    async fetch(oids, opts) {
        const { objects, shallow } = await this.remote.fetch(oids, opts, (oid) => this.objects.get(oid));
        for (const object of objects.values())
            await this.add(object.type, object.data);
        return shallow;
    }
}

;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/tree-edit.ts
/**
 * Edits a tree without a checkout or an index: only the trees on the path from the root to the
 * app directory are read (each fetched on its own, see RemoteObjects) and rewritten with mktree,
 * so the cost does not grow with the number of apps in the deploy repository.
 */


async function mktree(objects, entries) {
    // The entries we did not change point at objects this run never fetched: git allows that.
    return objects.add('tree', serializeTree(entries));
}
async function writeBlob(objects, content) {
    return objects.add('blob', Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'));
}
async function readBlob(objects, sha) {
    const object = await objects.read(sha);
    if (object.type !== 'blob')
        throw new Error(`${sha} is a ${object.type}, not a file`);
    return object.data.toString('utf8');
}
/** The root tree of a commit that is here. */
function rootTreeOf(objects, commit) {
    const object = objects.get(commit);
    if (object?.type !== 'commit')
        throw new Error(`commit ${commit} is not here`);
    return commitTree(object.data);
}
/** Every file below a tree that is here whole (its trees fetched deep), by relative path. */
async function filesBelow(objects, tree, prefix = '') {
    const files = new Map();
    for (const e of await objects.list(tree)) {
        if (e.type === 'tree')
            for (const [p, sha] of await filesBelow(objects, e.sha, `${prefix}${e.name}/`))
                files.set(p, sha);
        else
            files.set(`${prefix}${e.name}`, `${e.mode}:${e.sha}`);
    }
    return files;
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
        entries.push({ mode: '40000', type: 'tree', sha: await treeFromFiles(objects, sub), name });
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
                    ? { mode: '40000', type: 'tree', sha: replacement, name }
                    : { mode: '100644', type: 'blob', sha: replacement.blob, name };
    }
    else {
        if (current && current.type !== 'tree')
            throw new src/* UserError */.yo(`'${name}' is a file in the deploy repository where the app's path needs a directory: check 'path'.`);
        const sha = await replaceAt(objects, current?.sha ?? '', rest, replacement);
        child = sha === null ? null : { mode: '40000', type: 'tree', sha, name };
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

;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/pack.ts
/**
 * Reads the packfile an upload-pack `fetch` answers with (format: git's
 * Documentation/gitformat-pack.txt): whole objects and deltas against objects earlier in the pack
 * or already known. We never ask for a thin pack, so every delta base is in the pack itself.
 */



const TYPES = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' };
const OFS_DELTA = 6;
const REF_DELTA = 7;
/** The objects of a pack by id, each checked against its id. */
function parsePack(pack, known = () => undefined) {
    if (pack.length < 32 || pack.toString('latin1', 0, 4) !== 'PACK')
        throw new Error('not a packfile');
    const version = pack.readUInt32BE(4);
    if (version !== 2 && version !== 3)
        throw new Error(`unsupported pack version ${version}`);
    const count = pack.readUInt32BE(8);
    const trailer = pack.subarray(pack.length - 20);
    if (!(0,external_node_crypto_.createHash)('sha1')
        .update(pack.subarray(0, pack.length - 20))
        .digest()
        .equals(trailer))
        throw new Error('packfile checksum mismatch');
    const byOffset = new Map();
    const byId = new Map();
    let pos = 12;
    for (let n = 0; n < count; n++) {
        const start = pos;
        let byte = pack[pos++];
        const kind = (byte >> 4) & 7;
        let size = byte & 15;
        for (let shift = 4; byte & 0x80; shift += 7) {
            byte = pack[pos++];
            size += (byte & 0x7f) * 2 ** shift;
        }
        let base;
        if (kind === OFS_DELTA) {
            byte = pack[pos++];
            let distance = byte & 0x7f;
            while (byte & 0x80) {
                byte = pack[pos++];
                distance = (distance + 1) * 128 + (byte & 0x7f);
            }
            base = byOffset.get(start - distance);
            if (!base)
                throw new Error(`pack delta at ${start} names no earlier object`);
        }
        else if (kind === REF_DELTA) {
            const oid = pack.toString('hex', pos, pos + 20);
            pos += 20;
            base = byId.get(oid) ?? known(oid);
            if (!base)
                throw new Error(`pack delta against ${oid}, which is neither in the pack nor here`);
        }
        else if (!TYPES[kind])
            throw new Error(`unknown pack object type ${kind}`);
        const { buffer, engine } = (0,external_node_zlib_.inflateSync)(pack.subarray(pos), { info: true });
        pos += engine.bytesWritten;
        if (buffer.length !== size)
            throw new Error(`pack object at ${start}: size mismatch`);
        const object = base
            ? { type: base.type, data: applyDelta(base.data, buffer) }
            : { type: TYPES[kind], data: buffer };
        byOffset.set(start, object);
        byId.set(objectId(object.type, object.data), object);
    }
    if (pos !== pack.length - 20)
        throw new Error('packfile has trailing data');
    return byId;
}
/** Applies a git delta (copy and insert instructions) to its base. */
function applyDelta(base, delta) {
    let pos = 0;
    const varint = () => {
        let value = 0;
        let shift = 0;
        let byte;
        do {
            byte = delta[pos++];
            value += (byte & 0x7f) * 2 ** shift;
            shift += 7;
        } while (byte & 0x80);
        return value;
    };
    if (varint() !== base.length)
        throw new Error('delta base size mismatch');
    const out = Buffer.alloc(varint());
    let at = 0;
    while (pos < delta.length) {
        const op = delta[pos++];
        if (op & 0x80) {
            let offset = 0;
            let size = 0;
            for (let i = 0; i < 4; i++)
                if (op & (1 << i))
                    offset += delta[pos++] * 2 ** (8 * i);
            for (let i = 0; i < 3; i++)
                if (op & (0x10 << i))
                    size += delta[pos++] * 2 ** (8 * i);
            if (size === 0)
                size = 0x10000;
            if (offset + size > base.length)
                throw new Error('delta copies past its base');
            at += base.copy(out, at, offset, offset + size);
        }
        else if (op > 0) {
            if (at + op > out.length)
                throw new Error('delta inserts past its result');
            at += delta.copy(out, at, pos, pos + op);
            pos += op;
        }
        else
            throw new Error('delta has a reserved opcode 0');
    }
    if (at !== out.length)
        throw new Error('delta result size mismatch');
    return out;
}

;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/upload-pack.ts
/**
 * Reads from the deploy repository over git's smart HTTP, protocol v2 (gitprotocol-v2.txt), in
 * this process: `ls-refs` for the branch tips and `fetch` for exact objects. A release reads
 * one tree per directory on its path; with `git fetch` each read costs two HTTP round trips and
 * half a dozen processes, here it is one POST on a kept-alive connection. Pushes stay with git.
 */


/** The server's answer to a request we made: its status and what it said. */
class GitHttpError extends Error {
    status;
    text;
    constructor(status, text) {
        super(`git smart HTTP answered ${status}: ${text.trim().slice(0, 500)}`);
        this.status = status;
        this.text = text;
        this.name = 'GitHttpError';
    }
}
class TransientError extends Error {
}
const FLUSH = '0000';
const DELIM = '0001';
function pktLine(line) {
    const size = Buffer.byteLength(line) + 4;
    return size.toString(16).padStart(4, '0') + line;
}
function* readPackets(body) {
    let pos = 0;
    while (pos < body.length) {
        const size = Number.parseInt(body.toString('latin1', pos, pos + 4), 16);
        if (!Number.isInteger(size) || size < 0 || (size > 2 && size < 4) || pos + size > body.length)
            throw new Error('malformed pkt-line in the server answer');
        if (size < 4) {
            yield { kind: size === 0 ? 'flush' : size === 1 ? 'delim' : 'end', data: Buffer.alloc(0) };
            pos += 4;
            continue;
        }
        const data = body.subarray(pos + 4, pos + size);
        if (data.toString('latin1', 0, 4) === 'ERR ')
            throw new GitHttpError(200, `remote error: ${data.toString('utf8', 4)}`);
        yield { kind: 'data', data };
        pos += size;
    }
}
const upload_pack_text = (p) => p.data.toString('utf8').replace(/\n$/, '');
class UploadPack {
    opts;
    /** Response bytes received so far (for the debug log). */
    bytes = 0;
    constructor(opts) {
        this.opts = opts;
    }
    /** The tips of the refs that start with one of the prefixes. */
    async lsRefs(prefixes) {
        const body = await this.post([
            pktLine('command=ls-refs\n'),
            DELIM,
            ...prefixes.map((p) => pktLine(`ref-prefix ${p}\n`)),
            FLUSH,
        ].join(''), 'ls-refs');
        const refs = new Map();
        for (const p of readPackets(body)) {
            if (p.kind !== 'data')
                continue;
            const [oid, name] = upload_pack_text(p).split(' ');
            if (oid && name)
                refs.set(name, oid);
        }
        return refs;
    }
    /**
     * Exact objects, and what the filter lets through below them (`tree:0`: the objects alone;
     * `blob:none`: a tree with every tree below it). `deepen: 1` for a commit without its history.
     */
    async fetch(wants, opts, known) {
        const body = await this.post([
            pktLine('command=fetch\n'),
            DELIM,
            pktLine('no-progress\n'),
            pktLine('ofs-delta\n'),
            ...(opts.deepen ? [pktLine(`deepen ${opts.deepen}\n`)] : []),
            ...(opts.filter ? [pktLine(`filter ${opts.filter}\n`)] : []),
            ...wants.map((w) => pktLine(`want ${w}\n`)),
            pktLine('done\n'),
            FLUSH,
        ].join(''), `fetch ${wants.length} object${wants.length === 1 ? '' : 's'}${opts.filter ? ` (${opts.filter})` : ''}`);
        const shallow = [];
        const pack = [];
        let section = '';
        for (const p of readPackets(body)) {
            if (p.kind !== 'data')
                continue;
            if (section === 'packfile') {
                const band = p.data[0];
                if (band === 1)
                    pack.push(p.data.subarray(1));
                else if (band === 3)
                    throw new GitHttpError(200, `remote error: ${p.data.toString('utf8', 1)}`);
                continue;
            }
            const line = upload_pack_text(p);
            if (line === 'shallow-info' || line === 'packfile' || line === 'acknowledgments')
                section = line;
            else if (section === 'shallow-info' && line.startsWith('shallow '))
                shallow.push(line.slice(8));
        }
        if (section !== 'packfile')
            throw new Error('the server answered a fetch without a packfile');
        return { objects: parsePack(Buffer.concat(pack), known), shallow };
    }
    async post(request, what) {
        const url = `${this.opts.url.replace(/\/+$/, '')}/git-upload-pack`;
        return (0,src/* withRetry */.bD)(async () => {
            const started = Date.now();
            let res;
            try {
                res = await fetch(url, {
                    method: 'POST',
                    headers: {
                        authorization: this.opts.authorization,
                        'content-type': 'application/x-git-upload-pack-request',
                        accept: 'application/x-git-upload-pack-result',
                        'git-protocol': 'version=2',
                        'user-agent': 'git/argocd-actions',
                    },
                    body: request,
                    signal: AbortSignal.timeout(this.opts.timeoutMs ?? 60_000),
                    redirect: 'manual',
                });
            }
            catch (error) {
                const e = error;
                throw new TransientError(`${what}: ${String(e.cause ?? e.message)}`);
            }
            const body = Buffer.from(await res.arrayBuffer());
            this.bytes += body.length;
            this.opts.debug?.(`upload-pack ${what}: ${res.status}, ${body.length} bytes, ${Date.now() - started} ms`);
            if (res.status === 429 || res.status >= 500)
                throw new TransientError(`${what}: the server answered ${res.status}`);
            if (res.status !== 200)
                throw new GitHttpError(res.status, body.toString('utf8'));
            return body;
        }, {
            attempts: 4,
            baseMs: 250,
            maxDelayMs: 4000,
            deadline: this.opts.deadline,
            retryable: (e) => e instanceof TransientError,
        }).catch((error) => {
            if (error instanceof TransientError)
                throw new GitHttpError(503, `${error.message} (after retries)`);
            throw error;
        });
    }
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
    const remote = new UploadPack({
        url: deployRemote(i),
        authorization: `basic ${Buffer.from(`x-access-token:${i.token}`, 'utf8').toString('base64')}`,
        deadline: (opts.now ?? Date.now)() + i.timeoutSeconds * 1000,
        debug: opts.debug,
    });
    try {
        return await syncRelease(git, remote, i, manifests, opts);
    }
    finally {
        await git.dispose();
    }
}
/**
 * Fetch the tip (shallow, no trees or blobs until needed), rewrite the app directory on it, push.
 * A rejected push starts over from the new tip: the change is re-applied, never rebased stale.
 */
async function syncRelease(git, remote, i, manifests, deps = {}) {
    const now = deps.now ?? Date.now;
    const log = deps.log ?? (() => { });
    const objects = new RemoteObjects(remote, external_node_path_default().join(git.dir, '.git'));
    const explain = (error) => error instanceof GitHttpError ? explainGit('fetch', error.message, i) : error;
    // The app directory's new tree for each of its current ones: a retry on a tip where the app
    // did not change (another app's release won the race) reuses it.
    const appTrees = new Map();
    const deadline = now() + i.timeoutSeconds * 1000;
    const segments = appDir(i).split('/');
    let attempts = 0;
    return (0,src/* withRetry */.bD)(async () => {
        attempts++;
        const heads = await remote
            .lsRefs([
            `refs/heads/${i.branch}`,
            ...(i.mode === 'pull-request' ? [`refs/heads/${(0,names/* releaseBranch */.C)(i)}`] : []),
        ])
            .catch((e) => {
            throw explain(e);
        });
        const tip = heads.get(`refs/heads/${i.branch}`);
        if (!tip)
            throw new src/* UserError */.yo(`${i.repository.owner}/${i.repository.repo} has no branch '${i.branch}': check 'branch' (e.g. main).`);
        const read = async (step) => {
            try {
                return await step();
            }
            catch (e) {
                throw explain(e);
            }
        };
        if (!objects.get(tip))
            await read(() => objects.fetchTip(tip));
        const rootTree = rootTreeOf(objects, tip);
        const current = await read(() => entryAt(objects, rootTree, segments));
        // A release replaces a directory, never a file someone put at its path.
        if (current && current.type !== 'tree')
            throw new src/* UserError */.yo(`${appDir(i)} is a file in ${i.repository.owner}/${i.repository.repo}@${i.branch}, not an app directory: nothing was pushed.`);
        const existing = current?.sha;
        // The app's own directory comes whole (its trees, not its blobs): it is small, and the
        // list of changed files reads all of it.
        if (existing)
            await read(() => objects.needTrees(existing));
        let appTree = appTrees.get(existing ?? '');
        if (appTree === undefined) {
            appTree = await read(() => buildAppTree(objects, existing, i, manifests));
            appTrees.set(existing ?? '', appTree);
        }
        const newRoot = (await read(() => replaceAt(objects, rootTree, segments, appTree))) ??
            (await mktree(objects, []));
        if (newRoot === rootTree) {
            log(`${appDir(i)} is already up to date at ${tip}: nothing to commit.`);
            return { changed: false, sha: tip, files: [], attempts };
        }
        // As git does with user.name and user.email: nothing that could end the header line.
        const clean = (s) => s.replace(/[\r\n<>]/g, '').trim();
        const signature = {
            name: clean(i.authorName),
            email: clean(i.authorEmail),
            time: Math.floor(now() / 1000),
        };
        const commit = await objects.add('commit', serializeCommit({
            tree: newRoot,
            parents: [tip],
            author: signature,
            committer: signature,
            message: commitMessage(i),
        }));
        const files = changedFiles(appDir(i), existing ? await filesBelow(objects, existing) : new Map(), appTree ? await filesBelow(objects, appTree) : new Map());
        if (i.dryRun) {
            // git fetches the old blobs it shows in one batch (blobs only: nothing below them).
            const diff = (await git.run(['diff', '--no-color', tip, commit, '--', appDir(i)])).stdout;
            return { changed: true, sha: tip, files, attempts, diff };
        }
        // Pull-request mode pushes to a branch of its own (replaced: it belongs to this release).
        const [ref, expected] = i.mode === 'pull-request'
            ? [`refs/heads/${(0,names/* releaseBranch */.C)(i)}`, heads.get(`refs/heads/${(0,names/* releaseBranch */.C)(i)}`) ?? '']
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
/** What `git diff-tree -r --name-status` says of the app directory, from the two listings. */
function changedFiles(dir, before, after) {
    const paths = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return paths.flatMap((p) => {
        const was = before.get(p);
        const now = after.get(p);
        if (was === now)
            return [];
        return [
            { status: was === undefined ? 'A' : now === undefined ? 'D' : 'M', path: `${dir}/${p}` },
        ];
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
