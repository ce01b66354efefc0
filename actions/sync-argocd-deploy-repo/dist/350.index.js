export const id = 350;
export const ids = [350,478];
export const modules = {

/***/ 2478:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  readManifests: () => (/* binding */ readManifests),
  Xs: () => (/* binding */ renderConfig)
});

// UNUSED EXPORTS: DEFAULT_MAX_MANIFEST_MB, MAX_MANIFEST_MB_LIMIT, WEBAPP_URL_ANNOTATION, checkDnsLabel

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./packages/core/src/index.ts + 4 modules
var src = __webpack_require__(2646);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./actions/sync-argocd-deploy-repo/src/git-paths.ts
var git_paths = __webpack_require__(3766);
// EXTERNAL MODULE: ./actions/sync-argocd-deploy-repo/src/names.ts
var names = __webpack_require__(4175);
// EXTERNAL MODULE: external "node:path/posix"
var posix_ = __webpack_require__(3916);
var posix_default = /*#__PURE__*/__webpack_require__.n(posix_);
;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/manifest-rules.ts

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const YAML = /\.(ya?ml|json)$/i;
const ARGOCD_SOURCE = /^\.argocd-source(-.+)?\.ya?ml$/;
/** The role of each file, given every file of the directory (relative, '/'-separated). */
function manifestRoles(files) {
    const dirs = (names) => new Set(files.filter((f) => names.includes(posix_default().basename(f))).map((f) => posix_default().dirname(f)));
    const charts = dirs(['Chart.yaml']);
    const kustomizations = dirs(KUSTOMIZATION_FILES);
    const roles = new Map();
    for (const file of files) {
        const base = posix_default().basename(file);
        let role = YAML.test(base) ? 'manifest' : 'skip';
        if (ARGOCD_SOURCE.test(base))
            role = 'yaml';
        // The nearest chart or kustomization directory above the file decides.
        for (let dir = posix_default().dirname(file);; dir = posix_default().dirname(dir)) {
            if (charts.has(dir)) {
                const inside = posix_default().relative(dir, file).split('/')[0];
                role =
                    inside === 'templates'
                        ? 'text'
                        : inside === 'crds' && YAML.test(base)
                            ? 'manifest'
                            : /\.ya?ml$/i.test(base)
                                ? 'yaml'
                                : 'text';
                break;
            }
            if (kustomizations.has(dir)) {
                role = YAML.test(base) || KUSTOMIZATION_FILES.includes(base) ? 'yaml' : 'text';
                break;
            }
            if (dir === '.')
                break;
        }
        roles.set(file, role);
    }
    return roles;
}

;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/release-files.ts








/** What goes into `<path>/<namespace>/<application>/`: config.yaml and the rendered manifests. */
const WEBAPP_URL_ANNOTATION = 'outputs.platform.cloudposse.com/webapp-url';
/** The default per-file size limit of the rendered manifests (input `max-manifest-mb`). */
const DEFAULT_MAX_MANIFEST_MB = 10;
/** More aliases than this in one document is an alias bomb ("billion laughs"), not a manifest. */
const MAX_ALIASES = 100;
/**
 * Reads the rendered manifests from the workspace: a YAML file or a directory of them. Symlinks,
 * paths outside the workspace, names git refuses and files over the size limit are refused; each
 * file is judged as Argo CD reads it (see manifest-rules.ts), so Argo CD never receives a
 * half-rendered release.
 */
async function readManifests(workspace, input, maxBytes = DEFAULT_MAX_MANIFEST_MB * 1024 * 1024) {
    const example = 'rendered/manifests.yaml';
    const root = await (0,promises_.realpath)(workspace);
    const target = external_node_path_default().resolve(root, input);
    const rel = external_node_path_default().relative(root, target);
    if (external_node_path_default().isAbsolute(input) || rel.startsWith('..') || rel === '') {
        throw new src/* InputError */.dz('manifests', `must be a file or directory inside the workspace, not '${input}'`, example);
    }
    // Every component of the path must be a real directory or file, never a link.
    let walk = root;
    for (const part of rel.split((external_node_path_default()).sep)) {
        walk = external_node_path_default().join(walk, part);
        const st = await (0,promises_.lstat)(walk).catch(() => undefined);
        if (!st)
            throw new src/* InputError */.dz('manifests', `does not exist: '${input}'`, example);
        if (st.isSymbolicLink())
            throw new src/* InputError */.dz('manifests', `must not be or go through a symbolic link: '${external_node_path_default().relative(root, walk)}'`, example);
    }
    // Relative name ('/'-separated) → path on disk, for every regular file.
    const found = new Map();
    const st = await (0,promises_.lstat)(target);
    if (st.isFile())
        found.set(external_node_path_default().basename(target), target);
    else {
        for (const entry of await (0,promises_.readdir)(target, { withFileTypes: true, recursive: true })) {
            const full = external_node_path_default().join(entry.parentPath, entry.name);
            const name = external_node_path_default().relative(target, full);
            if (entry.isSymbolicLink())
                throw new src/* InputError */.dz('manifests', `must not contain symbolic links: '${name}'`, example);
            if (entry.isFile())
                found.set(name.split((external_node_path_default()).sep).join('/'), full);
        }
    }
    const files = {};
    let hostname;
    const roles = manifestRoles([...found.keys()]);
    for (const [name, full] of [...found].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const role = roles.get(name);
        if (role === 'skip')
            continue;
        // The name becomes a path in the deploy repository: git must accept it.
        (0,git_paths/* checkGitPath */.S1)('manifests', name, example, 'the file name ');
        const size = (await (0,promises_.lstat)(full)).size;
        if (size > maxBytes)
            throw new src/* InputError */.dz('manifests', `${name} is ${mib(size)} MiB, over the limit of ${mib(maxBytes)} MiB per file (raise it with 'max-manifest-mb', up to ${MAX_MANIFEST_MB_LIMIT}; Kubernetes objects are at most about 1.5 MiB each)`, example);
        const bytes = await (0,promises_.readFile)(full);
        let text;
        try {
            text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        }
        catch {
            throw new src/* InputError */.dz('manifests', `${name} is not UTF-8 text (a release writes text files; unpack a packaged chart)`, example);
        }
        files[name] = text;
        if (role !== 'text')
            hostname = checkYaml(name, text, role === 'manifest', hostname);
    }
    if (!Object.keys(files).length)
        throw new src/* InputError */.dz('manifests', `holds no .yaml, .yml or .json file: '${input}'`, example);
    return { files, hostname };
}
/** The largest `max-manifest-mb`: well under GitHub's 100 MB limit on a file. */
const MAX_MANIFEST_MB_LIMIT = 50;
const mib = (n) => (n / 1024 / 1024).toFixed(1).replace(/\.0$/, '');
/**
 * Every document of a file must parse (without an alias bomb); a plain manifest's documents need
 * apiVersion and kind. Returns the webapp-url annotation (the first found), checked as a URL.
 */
function checkYaml(name, text, manifest, hostname) {
    const example = 'rendered/manifests.yaml';
    const docs = (0,dist/* parseAllDocuments */.hR)(text);
    let index = 0;
    for (const doc of docs) {
        index++;
        const where = `${name}, document ${index}`;
        if (doc.errors.length)
            throw new src/* InputError */.dz('manifests', `${where}: ${doc.errors[0].message.split('\n')[0]}`, example);
        let value;
        try {
            value = doc.toJS({ maxAliasCount: MAX_ALIASES });
        }
        catch (error) {
            // The yaml package refuses to expand too many aliases (ReferenceError): a resource bomb.
            throw new src/* InputError */.dz('manifests', `${where}: ${error instanceof ReferenceError ? `expands too many YAML aliases (more than ${MAX_ALIASES}): refused as an alias bomb` : error.message.split('\n')[0]}`, example);
        }
        if (value === null)
            continue;
        const object = typeof value === 'object' && !Array.isArray(value)
            ? value
            : undefined;
        if (manifest && (!object?.apiVersion || !object.kind)) {
            throw new src/* InputError */.dz('manifests', `${where}: a Kubernetes manifest needs apiVersion and kind (a kustomization, a Helm chart and .argocd-source files do not: see the README)`, example);
        }
        const annotations = object?.metadata?.annotations;
        const url = annotations?.[WEBAPP_URL_ANNOTATION];
        // Every one is checked; the first becomes config.yaml's app_hostname.
        if (url !== undefined) {
            const checked = checkWebappUrl(where, url);
            hostname ??= checked;
        }
    }
    return hostname;
}
/** The annotation becomes config.yaml's app_hostname: the same check as the `app-hostname` input. */
function checkWebappUrl(where, url) {
    const problem = typeof url !== 'string'
        ? `is a ${url === null ? 'null' : Array.isArray(url) ? 'list' : typeof url}, not a URL`
        : (0,names/* urlProblem */.rn)(url);
    if (problem)
        throw new src/* InputError */.dz('manifests', `${where}: the ${WEBAPP_URL_ANNOTATION} annotation ${problem} (it becomes config.yaml's app_hostname, e.g. https://web.use2-dev.acme.test)`, 'rendered/manifests.yaml');
    return url;
}
/** config.yaml with exactly the keys the ApplicationSet reads, in a fixed order. */
function renderConfig(c) {
    return (0,dist/* stringify */.As)({
        app_repository: c.app_repository,
        app_commit: c.app_commit,
        app_hostname: c.app_hostname,
        name: c.name,
        namespace: c.namespace,
        manifests: c.manifests,
    }, { lineWidth: 0 });
}


/***/ }),

/***/ 9350:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  commitMessage: () => (/* binding */ commitMessage),
  syncToDeployRepo: () => (/* binding */ syncToDeployRepo)
});

// UNUSED EXPORTS: changedFiles, deployRemote, pushBackoffCeilingMs

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./packages/core/src/index.ts + 4 modules
var src = __webpack_require__(2646);
;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/app-directory.ts

/**
 * A release writes only where an app lives. The ApplicationSet makes an app of every
 * `config.yaml` of the layout, so a directory holding one is an app directory:
 * - a deploy may create a new directory, or replace one that is an app directory;
 * - destroy removes only an app directory;
 * - neither reaches inside another app's directory (its manifests are Argo CD's to apply). A
 *   directory above counts as an app only when its config.yaml is the layout's (it names
 *   app_repository, app_commit or manifests): a tenant or cluster directory may hold a
 *   config.yaml of its own, which the ApplicationSet (`<cluster>/apps/<ns>/<app>/config.yaml`)
 *   never reads.
 * So `path: plat`, `namespace: use2-dev`, `application: argocd` cannot replace or delete the
 * cluster's `argocd/` directory that Terraform wrote.
 */
const APP_MARKER = 'config.yaml';
/** A config.yaml the layout wrote (or a user wrote for it), told from other config files. */
const isLayoutConfig = (text) => /^(app_repository|app_commit|manifests)\s*:/m.test(text);
async function checkAppDirectory(list, readText, rootTree, segments, where) {
    const dir = segments.join('/');
    const marker = (entries) => entries.find((e) => e.name === APP_MARKER && e.type === 'blob');
    const isApp = (entries) => marker(entries) !== undefined;
    let tree = rootTree;
    for (let k = 0; k < segments.length; k++) {
        const entries = await list(tree);
        // Below the repository root: a directory on the way that is itself an app. Its config.yaml
        // is read only then (rare), so a release costs no more round trips.
        const config = k > 0 ? marker(entries) : undefined;
        if (config && isLayoutConfig(await readText(config.sha))) {
            throw new src/* UserError */.yo(`${dir} would be inside the app directory ${segments.slice(0, k).join('/')} (it holds ${APP_MARKER}) in ${where.repo}@${where.branch}: check 'path' (the cluster's apps directory, e.g. plat/use2-dev/apps), 'namespace' and 'application'. Nothing was pushed.`);
        }
        const next = entries.find((e) => e.name === segments[k]);
        // A new directory (or a file in the way, which the caller refuses): nothing to replace.
        if (next?.type !== 'tree')
            return;
        tree = next.sha;
    }
    const entries = await list(tree);
    if (!isApp(entries)) {
        const held = entries.map((e) => (e.type === 'tree' ? `${e.name}/` : e.name));
        throw new src/* UserError */.yo(`${dir} in ${where.repo}@${where.branch} is not an app directory (it has no ${APP_MARKER}; it holds ${held.slice(0, 5).join(', ')}${held.length > 5 ? ', ...' : ''}): ${where.operation === 'destroy' ? 'destroy removes' : 'a release replaces'} only an app directory. Check 'path' (the cluster's apps directory, e.g. plat/use2-dev/apps), 'namespace' and 'application'. Nothing was pushed.`);
    }
}

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
    // A tag replaces a value, never a map or a list (image: {repository, tag} would be lost).
    const node = doc.getIn(spec.yamlPath, true);
    if ((0,dist/* isMap */.jh)(node) || (0,dist/* isSeq */.oP)(node) || (0,dist/* isAlias */.Vj)(node))
        throw new src/* InputError */.dz('update', `${spec.file}: ${spec.yamlPath.join('.')} is ${(0,dist/* isMap */.jh)(node)
            ? `a map (${node.items.map((p) => String((0,dist/* isScalar */.jn)(p.key) ? p.key.value : p.key)).join(', ')})`
            : (0,dist/* isSeq */.oP)(node)
                ? `a list of ${node.items.length}`
                : 'an alias'}, not a value: name the tag itself`, `helm-values:${spec.file}:${spec.yamlPath.join('.')}${(0,dist/* isMap */.jh)(node) && node.has('tag') ? '.tag' : ''}`);
    doc.setIn(spec.yamlPath, tag);
    return doc.toString();
}

// EXTERNAL MODULE: ./actions/sync-argocd-deploy-repo/src/names.ts
var names = __webpack_require__(4175);
// EXTERNAL MODULE: ./actions/sync-argocd-deploy-repo/src/release-files.ts + 1 modules
var release_files = __webpack_require__(2478);
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
    // A file and a directory of one name are not neighbours in this order ('x', 'x-y', 'x/').
    const names = new Set();
    for (const e of entries) {
        if (names.has(e.name))
            throw new Error(`duplicate tree entry '${e.name}'`);
        names.add(e.name);
    }
    const sorted = [...entries].sort((a, b) => Buffer.compare(sortKey(a), sortKey(b)));
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
    try {
        // git writes loose objects read-only: one already there is left as it is (same id, same content).
        await (0,promises_.writeFile)(external_node_path_default().join(dir, oid.slice(2)), (0,external_node_zlib_.deflateSync)(Buffer.concat([header(type, data.length), data])), { flag: 'wx', mode: 0o444 });
    }
    catch (error) {
        if (error.code !== 'EEXIST')
            throw error;
    }
    return oid;
}

;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/remote-objects.ts



/**
 * The deploy repository's objects a release reads, fetched by us, each once per run, and the
 * objects it builds, kept in memory.
 *
 * The tip comes alone (`deepen 1`, `filter tree:0`). Asking for each tree on the path with
 * `tree:0` gets that tree alone, so a release costs the depth of its path, not the number of
 * apps. (git's own lazy fetch would use a hard-coded `blob:none`: every tree below the one it
 * wants, the whole repository for the root.)
 */
class RemoteObjects {
    remote;
    objects = new Map();
    /** Objects this run built: the server may not have them. */
    built = new Set();
    /** Commits fetched without their parents. */
    shallow = new Set();
    /** Trees fetched with every tree below them. */
    deep = new Set();
    /** Listings of the trees read so far (trees never change: retries reuse them). */
    listings = new Map();
    constructor(remote) {
        this.remote = remote;
    }
    /** An object this run built. */
    add(type, data) {
        const oid = objectId(type, data);
        if (!this.objects.has(oid)) {
            this.objects.set(oid, { type, data });
            this.built.add(oid);
        }
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
    /** A commit without its history (the branch tip). */
    async fetchTip(oid) {
        if (this.objects.has(oid))
            return;
        for (const s of await this.fetch([oid], { filter: 'tree:0', deepen: 1 }))
            this.shallow.add(s);
        if (!this.objects.has(oid))
            throw new Error(`the server did not send ${oid}`);
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
    /**
     * What a push of `commit` must send: the objects this run built that it reaches. Everything
     * else it names was read from the server, or left there untouched.
     */
    toPush(commit) {
        const out = new Map();
        const walk = (oid) => {
            if (out.has(oid) || !this.built.has(oid))
                return;
            const object = this.objects.get(oid);
            out.set(oid, object);
            if (object.type === 'commit')
                walk(commitTree(object.data));
            else if (object.type === 'tree')
                for (const e of parseTree(object.data))
                    walk(e.sha);
        };
        walk(commit);
        return [...out.values()];
    }
    /** Writes every object here into a git directory, for git to read (the dry run's diff). */
    async writeTo(gitDir) {
        for (const [, o] of this.objects)
            await writeLoose(gitDir, o.type, o.data);
        if (this.shallow.size)
            await (0,promises_.writeFile)(external_node_path_default().join(gitDir, 'shallow'), `${[...this.shallow].join('\n')}\n`);
    }
    async fetch(oids, opts) {
        const { objects, shallow } = await this.remote.fetch(oids, opts, (oid) => this.objects.get(oid));
        for (const [oid, object] of objects)
            this.objects.set(oid, object);
        return shallow;
    }
}

;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/tree-edit.ts
/**
 * Edits a tree without a checkout or an index: only the trees on the path from the root to the
 * app directory are read (each fetched on its own, see RemoteObjects) and rewritten, in memory, so
 * the cost does not grow with the number of apps in the deploy repository.
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
            if (at + size > out.length)
                throw new Error('delta copies past its result');
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
/** A pack of whole objects (no deltas: a release sends a few small ones). */
function writePack(objects) {
    const head = Buffer.alloc(12);
    head.write('PACK', 0, 'latin1');
    head.writeUInt32BE(2, 4);
    head.writeUInt32BE(objects.length, 8);
    const parts = [head];
    for (const o of objects) {
        const kind = Number(Object.keys(TYPES).find((k) => TYPES[Number(k)] === o.type));
        let size = o.data.length;
        const bytes = [(kind << 4) | (size & 15)];
        size = Math.floor(size / 16);
        while (size > 0) {
            bytes[bytes.length - 1] |= 0x80;
            bytes.push(size & 0x7f);
            size = Math.floor(size / 128);
        }
        parts.push(Buffer.from(bytes), (0,external_node_zlib_.deflateSync)(o.data));
    }
    const body = Buffer.concat(parts);
    return Buffer.concat([body, (0,external_node_crypto_.createHash)('sha1').update(body).digest()]);
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js + 1 modules
var lib = __webpack_require__(4942);
;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/smart-http.ts
/**
 * Git's smart HTTP from this process: pkt-lines, side bands, and one POST per request with
 * retries on transient failures (gitprotocol-http.txt, gitprotocol-v2.txt).
 */



/**
 * The toolkit's HTTP client: it honours the runner's proxy settings (HTTPS_PROXY, NO_PROXY) and is
 * loaded already with @actions/core, where the first global fetch() costs ~50 ms of start-up.
 */
const createHttpClient = (timeoutMs = 60_000) => new lib/* HttpClient */.Qq('git/argocd-actions', undefined, {
    keepAlive: true,
    allowRedirects: false,
    socketTimeout: timeoutMs,
});
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
        const hex = body.toString('latin1', pos, pos + 4);
        const size = /^[0-9a-f]{4}$/.test(hex) ? Number.parseInt(hex, 16) : -1;
        if (size < 0 || size === 3 || pos + size > body.length)
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
/** Splits side-band-64k packets: band 1 is data, band 2 the server's messages, band 3 its errors. */
function demuxSideband(packets) {
    const data = [];
    const out = { messages: [], errors: [] };
    for (const p of packets) {
        if (p.kind !== 'data')
            continue;
        const payload = p.data.subarray(1);
        if (p.data[0] === 1)
            data.push(payload);
        else if (p.data[0] === 2)
            out.messages.push(payload.toString('utf8'));
        else if (p.data[0] === 3)
            out.errors.push(payload.toString('utf8'));
    }
    return { data: Buffer.concat(data), ...out };
}
const smart_http_text = (p) => p.data.toString('utf8').replace(/\n$/, '');
/** POSTs one request to `<url>/<service>`; the answer's body when it is 200. */
async function smartHttpPost(opts, service, request, what, onBytes = () => { }) {
    const url = `${opts.url.replace(/\/+$/, '')}/${service}`;
    return (0,src/* withRetry */.bD)(async () => {
        const started = Date.now();
        const client = opts.client ?? createHttpClient(opts.timeoutMs);
        let status;
        let location = '';
        let body;
        try {
            const res = await client.request('POST', url, external_node_stream_.Readable.from([Buffer.from(request)]), {
                authorization: opts.authorization,
                'content-type': `application/x-${service}-request`,
                accept: `application/x-${service}-result`,
                ...(service === 'git-upload-pack' ? { 'git-protocol': 'version=2' } : {}),
            });
            status = res.message.statusCode ?? 0;
            location = String(res.message.headers['location'] ?? '');
            body = await res.readBodyBuffer();
        }
        catch (error) {
            const e = error;
            throw new TransientError(`${what}: ${e.message}`);
        }
        finally {
            if (!opts.client)
                client.dispose();
        }
        onBytes(body.length);
        opts.debug?.(`${service} ${what}: ${status}, ${body.length} bytes, ${Date.now() - started} ms`);
        if (status === 429 || status >= 500)
            throw new TransientError(`${what}: the server answered ${status}`);
        // Not followed: the token would go wherever a redirect points (git follows only its first GET).
        if (status >= 300 && status < 400)
            throw new GitHttpError(status, `the repository moved (redirected to ${location || 'no location'})`);
        if (status !== 200)
            throw new GitHttpError(status, body.toString('utf8'));
        return body;
    }, {
        attempts: 4,
        baseMs: 250,
        maxDelayMs: 4000,
        deadline: opts.deadline,
        retryable: (e) => e instanceof TransientError,
    }).catch((error) => {
        if (error instanceof TransientError)
            throw new GitHttpError(503, `${error.message} (after retries)`);
        throw error;
    });
}

;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/receive-pack.ts


const ZERO_OID = '0'.repeat(40);
async function receivePack(opts, update, objects) {
    const command = `${update.old || ZERO_OID} ${update.new} ${update.ref}\0report-status side-band-64k quiet agent=git/argocd-actions\n`;
    const request = Buffer.concat([Buffer.from(pktLine(command) + FLUSH, 'utf8'), writePack(objects)]);
    const body = await smartHttpPost(opts, 'git-receive-pack', request, `update ${update.ref}`);
    const { data: report, messages, errors } = demuxSideband(readPackets(body));
    messages.push(...errors.map((e) => `error: ${e}`));
    const lines = [...readPackets(report)]
        .filter((p) => p.kind === 'data')
        .map((p) => p.data.toString('utf8').replace(/\n$/, ''));
    const unpack = lines.find((l) => l.startsWith('unpack '));
    const status = lines.find((l) => l.startsWith('ok ') || l.startsWith('ng '));
    const ok = unpack === 'unpack ok' && status === `ok ${update.ref}`;
    return {
        ok,
        text: [
            ...messages.map((m) => m.replace(/\n$/, '')),
            unpack ?? '',
            status ?? 'no report from the server',
        ]
            .filter(Boolean)
            .join('\n'),
    };
}

;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/upload-pack.ts



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
        let complete = false;
        for (const p of readPackets(body)) {
            if (p.kind === 'flush')
                complete = true;
            if (p.kind !== 'data')
                continue;
            const [oid, name] = smart_http_text(p).split(' ');
            if (oid && name)
                refs.set(name, oid);
        }
        // A listing cut short would read as "no such branch": git refuses it too.
        if (!complete)
            throw new GitHttpError(200, 'the ref listing ended without its flush packet');
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
        const packets = [...readPackets(body)];
        // Sections are lines up to 'packfile'; every packet after it is side-banded.
        let section = '';
        let at = 0;
        for (; at < packets.length && section !== 'packfile'; at++) {
            const p = packets[at];
            if (p.kind !== 'data')
                continue;
            const line = smart_http_text(p);
            if (line === 'shallow-info' || line === 'packfile' || line === 'acknowledgments')
                section = line;
            else if (section === 'shallow-info' && line.startsWith('shallow '))
                shallow.push(line.slice(8));
        }
        if (section !== 'packfile')
            throw new Error('the server answered a fetch without a packfile');
        const { data, errors } = demuxSideband(packets.slice(at));
        if (errors.length)
            throw new GitHttpError(200, `remote error: ${errors.join(' ')}`);
        return { objects: parsePack(data, known), shallow };
    }
    post(request, what) {
        return smartHttpPost(this.opts, 'git-upload-pack', request, what, (n) => (this.bytes += n));
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
/** A release read and pushed over smart HTTP; a dry run's diff is made by git in a throwaway repository. */
async function syncToDeployRepo(i, manifests, deps) {
    const http = {
        url: deployRemote(i),
        authorization: `basic ${Buffer.from(`x-access-token:${i.token}`, 'utf8').toString('base64')}`,
        deadline: (deps.now ?? Date.now)() + i.timeoutSeconds * 1000,
        debug: deps.debug,
        client: createHttpClient(),
    };
    try {
        return await syncRelease(http, i, manifests, deps);
    }
    finally {
        http.client.dispose();
    }
}
/** The dry run's diff of the app directory: git reads the old blobs it shows in one batch. */
async function dryRunDiff(objects, i, tip, commit, deps) {
    const git = await createGitRunner({
        tempDir: deps.tempDir,
        remoteUrl: deployRemote(i),
        token: i.token,
        authorName: i.authorName,
        authorEmail: i.authorEmail,
        debug: deps.debug,
    });
    try {
        await objects.writeTo(external_node_path_default().join(git.dir, '.git'));
        return (await git.run(['diff', '--no-color', tip, commit, '--', appDir(i)])).stdout;
    }
    finally {
        await git.dispose();
    }
}
/**
 * Read the tip (shallow, no trees or blobs until needed), rewrite the app directory on it, push
 * with the tip as the ref's expected value. A rejected push starts over from the new tip: the
 * change is re-applied, never rebased stale.
 */
async function syncRelease(http, i, manifests, deps) {
    const now = deps.now ?? Date.now;
    const log = deps.log ?? (() => { });
    const remote = new UploadPack(http);
    const objects = new RemoteObjects(remote);
    // A server's refusal of a read, explained (401, 404, a redirect, ...).
    const read = async (step) => {
        try {
            return await step();
        }
        catch (e) {
            throw e instanceof GitHttpError ? explainGit('fetch', e.message, i) : e;
        }
    };
    // The app directory's new tree for each of its current ones: a retry on a tip where the app
    // did not change (another app's release won the race) reuses it.
    const appTrees = new Map();
    const deadline = now() + i.timeoutSeconds * 1000;
    const segments = appDir(i).split('/');
    let attempts = 0;
    return (0,src/* withRetry */.bD)(async () => {
        attempts++;
        const heads = await read(() => remote.lsRefs([
            `refs/heads/${i.branch}`,
            ...(i.mode === 'pull-request' ? [`refs/heads/${(0,names/* releaseBranch */.CT)(i)}`] : []),
        ]));
        const tip = heads.get(`refs/heads/${i.branch}`);
        if (!tip)
            throw new src/* UserError */.yo(`${i.repository.owner}/${i.repository.repo} has no branch '${i.branch}': check 'branch' (e.g. main).`);
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
        // Only an app directory is replaced or removed, and never one inside another app.
        await read(() => checkAppDirectory((t) => objects.list(t), (b) => readBlob(objects, b), rootTree, segments, {
            repo: `${i.repository.owner}/${i.repository.repo}`,
            branch: i.branch,
            operation: i.operation,
        }));
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
        const commit = objects.add('commit', serializeCommit({
            tree: newRoot,
            parents: [tip],
            author: signature,
            committer: signature,
            message: commitMessage(i),
        }));
        const files = changedFiles(appDir(i), existing ? await filesBelow(objects, existing) : new Map(), appTree ? await filesBelow(objects, appTree) : new Map());
        if (i.dryRun) {
            const diff = await dryRunDiff(objects, i, tip, commit, deps);
            return { changed: true, sha: tip, files, attempts, diff };
        }
        // Pull-request mode pushes to a branch of its own (replaced: it belongs to this release).
        const [ref, expected] = i.mode === 'pull-request'
            ? [`refs/heads/${(0,names/* releaseBranch */.CT)(i)}`, heads.get(`refs/heads/${(0,names/* releaseBranch */.CT)(i)}`) ?? '']
            : [`refs/heads/${i.branch}`, tip];
        // The value we built on is the one the ref must still have: a lost race is refused at once.
        const push = await receivePack(http, { ref, old: expected, new: commit }, objects.toPush(commit)).catch((e) => {
            throw e instanceof GitHttpError ? explainGit('push', e.message, i) : e;
        });
        if (!push.ok) {
            const text = push.text;
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
    if (/the repository moved \(redirected to ([^)]*)\)/.test(text)) {
        const to = /redirected to ([^)]*)\)/.exec(text)[1];
        return new src/* UserError */.yo(`${step} of ${repo}: the server redirects to ${to}: the repository was renamed or moved; set 'repository' (or 'git-url') to its new name.`);
    }
    if (/couldn't find remote ref|Remote branch .* not found/i.test(text)) {
        return new src/* UserError */.yo(`${repo} has no branch '${i.branch}'.`);
    }
    return new GitError([step], { code: 1, stdout: '', stderr: text });
}


/***/ })

};
