export const id = 823;
export const ids = [823];
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
// EXTERNAL MODULE: ./packages/core/src/index.ts + 6 modules
var src = __webpack_require__(2027);
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

/***/ 6823:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  mR: () => (/* binding */ SERVER_FAULT_PUSHES),
  DY: () => (/* binding */ appDir),
  ul: () => (/* binding */ appDirectoryOn),
  commitMessage: () => (/* binding */ commitMessage),
  dN: () => (/* binding */ deployAuthorization),
  ei: () => (/* binding */ deployRemote),
  y2: () => (/* binding */ explainGit),
  F3: () => (/* binding */ planRelease),
  w8: () => (/* binding */ pushBackoffCeilingMs),
  Bc: () => (/* binding */ releaseDiff),
  syncToDeployRepo: () => (/* binding */ syncToDeployRepo)
});

// UNUSED EXPORTS: changedFiles, describePushFault

// EXTERNAL MODULE: ./packages/core/src/index.ts + 6 modules
var src = __webpack_require__(2027);
// EXTERNAL MODULE: ./packages/git/src/index.ts + 10 modules
var git_src = __webpack_require__(3044);
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
;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/sync.ts






/** A push that lost the race for the ref (or whose outcome was lost and it did not land): go again. */
class PushRejected extends Error {
}
/** A push the server failed (a 5xx, a reset, an unreadable answer) and that did not land. */
class PushLost extends PushRejected {
    fault;
    constructor(fault) {
        super(fault.message);
        this.fault = fault;
    }
}
/**
 * Pushes the server may fail before the step gives up: its faults have their own small budget
 * (as reads have 4 attempts), so a failing server is not taken for `max-attempts` lost races.
 */
const SERVER_FAULT_PUSHES = 4;
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
        return (0,git_src/* treeFromFiles */.mo)(objects, files);
    }
    const bump = i.bump;
    const segments = bump.update.file.split('/');
    const current = existing ? await fileIn(objects, existing, segments) : undefined;
    const edited = bumpImage(bump.update, current, bump.image, bump.tag);
    const withFile = await (0,git_src/* replaceAt */._D)(objects, existing ?? '', segments, {
        blob: await (0,git_src/* writeBlob */.Zh)(objects, edited),
    });
    return (0,git_src/* replaceAt */._D)(objects, withFile ?? '', ['config.yaml'], {
        blob: await (0,git_src/* writeBlob */.Zh)(objects, config(i.appHostname ?? (await oldHostname()) ?? '')),
    });
}
async function fileIn(objects, tree, segments) {
    const entry = await (0,git_src/* entryAt */._f)(objects, tree, segments);
    return entry?.type === 'blob' ? (0,git_src/* readBlob */.gm)(objects, entry.sha) : undefined;
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
/** The Authorization header of every request to the deploy remote (its base64 form is masked). */
const deployAuthorization = (i) => `basic ${Buffer.from(`x-access-token:${i.token}`, 'utf8').toString('base64')}`;
/**
 * A release read and pushed over smart HTTP from this process; a dry run's diff is made here too,
 * from the two trees in memory. No git process runs and the token is never written anywhere: it
 * is only the Authorization header of our own requests.
 */
async function syncToDeployRepo(i, manifests, deps) {
    const timeoutMs = i.timeoutSeconds * 1000;
    const http = {
        url: deployRemote(i),
        authorization: deployAuthorization(i),
        deadline: (deps.now ?? Date.now)() + timeoutMs,
        debug: deps.debug,
        // A stalled socket is given up after timeout-seconds, not a fixed minute.
        client: (0,git_src/* createHttpClient */.uT)(timeoutMs),
        agent: 'git/argocd-actions',
    };
    try {
        return await syncRelease(http, i, manifests, deps);
    }
    finally {
        http.client.dispose();
    }
}
/**
 * Read the tip (shallow, no trees or blobs until needed), rewrite the app directory on it, push
 * with the tip as the ref's expected value. A rejected push starts over from the new tip: the
 * change is re-applied, never rebased stale.
 */
async function syncRelease(http, i, manifests, deps) {
    const remote = new git_src/* SmartHttpRemote */.i0(http);
    const s = {
        i,
        remote,
        objects: new git_src/* ObjectStore */.LI(remote),
        read: async (step) => {
            try {
                return await step();
            }
            catch (e) {
                throw explainGit('fetch', e, i);
            }
        },
        log: deps.log ?? (() => { }),
        now: deps.now ?? Date.now,
    };
    // The app directory's new tree for each of its current ones (see planRelease).
    const appTrees = new Map();
    const deadline = s.now() + i.timeoutSeconds * 1000;
    let attempts = 0;
    // The pushes the server failed (and that did not land), in order.
    const lost = [];
    return (0,src/* withRetry */.bD)(async () => {
        attempts++;
        const { heads, tip } = await readTip(s);
        const { rootTree, existing } = await readAppDirectory(s, tip);
        const plan = await planRelease(s.objects, s.read, i, manifests, { rootTree, existing }, appTrees);
        if (!plan.changed) {
            s.log(`${appDir(i)} is already up to date at ${tip}: nothing to commit.`);
            return { changed: false, sha: tip, files: [], attempts };
        }
        const { appTree, newRoot, files } = plan;
        const commit = commitRelease(s, newRoot, tip);
        if (i.dryRun) {
            const diff = await releaseDiff(s.objects, s.read, i, existing, appTree);
            return { changed: true, sha: tip, files, attempts, diff };
        }
        await pushRelease(s, { ...targetRef(i, heads, tip), commit }, attempts, lost);
        return {
            changed: true,
            sha: commit,
            files,
            attempts,
            pushedAt: new Date(s.now()).toISOString(),
        };
    }, {
        attempts: i.maxAttempts,
        baseMs: 200,
        maxDelayMs: pushBackoffCeilingMs(i),
        deadline,
        retryable: (e) => e instanceof PushRejected,
        sleep: deps.sleep,
        now: s.now,
    }).catch((error) => {
        throw givenUp(error, i, lost, attempts, () => s.now() >= deadline);
    });
}
/** The branch's tip (and, in pull-request mode, the release branch's), from one listing. */
async function readTip({ i, remote, read }) {
    // HEAD too: a repository with commits lists it, so a listing without it cannot prove that
    // the branch is absent.
    const heads = await read(() => remote.lsRefs([
        'HEAD',
        `refs/heads/${i.branch}`,
        ...(i.mode === 'pull-request' ? [`refs/heads/${(0,names/* releaseBranch */.CT)(i)}`] : []),
    ]));
    const tip = heads.get(`refs/heads/${i.branch}`);
    if (!tip)
        throw noBranch(i, heads.has('HEAD'));
    return { heads, tip };
}
/** The tip's root tree and the app directory's tree on it, checked to be one we may replace. */
async function readAppDirectory({ i, objects, read }, tip) {
    await read(() => objects.fetchTip(tip));
    const rootTree = (0,git_src/* rootTreeOf */.An)(objects, tip);
    // The app's own directory comes whole (its trees, not its blobs): it is small, and the
    // list of changed files reads all of it.
    const existing = await appDirectoryOn(objects, read, i, rootTree, (tree) => read(() => objects.needTrees(tree)));
    return { rootTree, existing };
}
/**
 * The app directory's tree under `rootTree` (undefined: none yet), checked to be one a release
 * may replace: a directory, an app's, and not inside another app's. Both transports read the
 * trees their own way into `objects`; `whole` reads the app directory's trees when needed.
 */
async function appDirectoryOn(objects, read, i, rootTree, whole = async () => { }) {
    const segments = appDir(i).split('/');
    const current = await read(() => (0,git_src/* entryAt */._f)(objects, rootTree, segments));
    // A release replaces a directory, never a file someone put at its path.
    if (current && current.type !== 'tree')
        throw new src/* UserError */.yo(`${appDir(i)} is a file in ${i.repository.owner}/${i.repository.repo}@${i.branch}, not an app directory: nothing was pushed.`);
    const existing = current?.sha;
    if (existing)
        await whole(existing);
    // Only an app directory is replaced or removed, and never one inside another app.
    await read(() => checkAppDirectory((t) => objects.list(t), (b) => (0,git_src/* readBlob */.gm)(objects, b), rootTree, segments, {
        repo: `${i.repository.owner}/${i.repository.repo}`,
        branch: i.branch,
        operation: i.operation,
    }));
    return existing;
}
/**
 * The release's new app directory and root tree on what is there (`rootTree`, `existing`, read
 * into `objects`). `appTrees` keeps the new tree for each current one: a retry on a tip where
 * the app did not change (another app's release won the race) reuses it.
 */
async function planRelease(objects, read, i, manifests, { rootTree, existing }, appTrees) {
    let appTree = appTrees.get(existing ?? '');
    if (appTree === undefined) {
        appTree = await read(() => buildAppTree(objects, existing, i, manifests));
        appTrees.set(existing ?? '', appTree);
    }
    const newRoot = (await read(() => (0,git_src/* replaceAt */._D)(objects, rootTree, appDir(i).split('/'), appTree))) ??
        (await (0,git_src/* mktree */.zp)(objects, []));
    if (newRoot === rootTree)
        return { appTree, newRoot, changed: false, files: [] };
    const files = changedFiles(appDir(i), existing ? await read(() => (0,git_src/* filesBelow */.DR)(objects, existing)) : new Map(), appTree ? await (0,git_src/* filesBelow */.DR)(objects, appTree) : new Map());
    return { appTree, newRoot, changed: true, files };
}
/** A dry run's diff of the app directory, as `git diff` prints it. */
function releaseDiff(objects, read, i, existing, appTree) {
    return read(async () => (0,git_src/* formatPatch */.Gu)(objects, await (0,git_src/* diffTrees */.j_)(objects, existing, appTree), `${appDir(i)}/`));
}
/** The release's commit on the tip, in the object store (not yet pushed). */
function commitRelease({ i, objects, now }, tree, tip) {
    // As git does with user.name and user.email: nothing that could end the header line.
    const clean = (s) => s.replace(/[\r\n<>]/g, '').trim();
    const signature = {
        name: clean(i.authorName),
        email: clean(i.authorEmail),
        time: Math.floor(now() / 1000),
    };
    return objects.add('commit', (0,git_src/* serializeCommit */.GS)({
        tree,
        parents: [tip],
        author: signature,
        committer: signature,
        message: commitMessage(i),
    }));
}
/** The ref the release is pushed to: the branch, or in pull-request mode a branch of its own. */
function targetRef(i, heads, tip) {
    // Pull-request mode pushes to a branch of its own (replaced: it belongs to this release).
    return i.mode === 'pull-request'
        ? {
            ref: `refs/heads/${(0,names/* releaseBranch */.CT)(i)}`,
            expected: heads.get(`refs/heads/${(0,names/* releaseBranch */.CT)(i)}`) ?? '',
        }
        : { ref: `refs/heads/${i.branch}`, expected: tip };
}
/**
 * Pushes the commit with the value we built on as the ref's expected one: a lost race is refused
 * at once (PushRejected: go again). An answer lost on the way is settled by reading the ref.
 */
async function pushRelease({ i, remote, objects, read, log }, { ref, expected, commit }, attempts, lost) {
    try {
        await remote.push({ ref, old: expected, new: commit }, objects.toPush(commit));
    }
    catch (e) {
        if (e instanceof git_src/* PushRejectedError */.$m && e.isStale && !rulesRefusal(e)) {
            log(`push ${attempts} lost a race with another writer: fetching the new tip and applying the release again`);
            throw new PushRejected(e.message);
        }
        if (!(e instanceof git_src/* PushOutcomeUnknownError */.XC))
            throw explainGit('push', e, i);
        // The answer was lost, not necessarily the push: the ref tells what happened.
        const now = (await read(() => remote.lsRefs([ref]))).get(ref);
        if (now !== commit) {
            lost.push(e);
            if (lost.length >= SERVER_FAULT_PUSHES)
                throw pushKeptFailing(i, ref, lost, attempts);
            log(`push ${attempts}: its answer was lost or unreadable (${describePushFault(e)}) and ${ref} is not our commit: applying the release again`);
            throw new PushLost(e);
        }
        log(`push ${attempts}: its answer was lost, but ${ref} is our commit: the release landed`);
    }
}
/** What the step says when the retries end: the server's faults, or the lost races. */
function givenUp(error, i, lost, attempts, pastDeadline) {
    // The last push failed by the server's fault: that is what the step says, not lost races.
    if (error instanceof PushLost) {
        const ref = i.mode === 'pull-request' ? `refs/heads/${(0,names/* releaseBranch */.CT)(i)}` : `refs/heads/${i.branch}`;
        return pushKeptFailing(i, ref, lost, attempts, pastDeadline());
    }
    if (error instanceof PushRejected) {
        return new src/* UserError */.yo(`the push was rejected ${attempts} times by concurrent writers or lost on the way (max-attempts ${i.maxAttempts}, timeout-seconds ${i.timeoutSeconds}): raise them, or serialise the jobs.`);
    }
    return error;
}
/**
 * The branch is not in the listing. Only a listing that names HEAD is one of a repository with
 * commits: without HEAD, the answer may as well be a proxy's or a failing server's as the truth.
 */
function noBranch(i, listsHead) {
    const repo = `${i.repository.owner}/${i.repository.repo}`;
    return new src/* UserError */.yo(listsHead
        ? `${repo} has no branch '${i.branch}': check 'branch' (e.g. main).`
        : `fetch of ${repo}: the ref listing (ls-refs) names neither '${i.branch}' nor HEAD: the repository has no commits yet (push a first commit to '${i.branch}'), or the answer is unexpected (a proxy or a failing git server in between; try again later). Nothing was pushed.`);
}
/** What the server did to a push whose outcome was unknown, in words (no server text but ours). */
function describePushFault(e) {
    const cause = e.cause;
    if (cause instanceof git_src/* GitHttpError */.DA) {
        const s = cause.status;
        if (cause.bodyKind === 'html')
            return `git-receive-pack answered ${s} with an HTML page (a proxy or load balancer in between${s >= 500 ? ', or an outage' : ''})`;
        return `git-receive-pack answered ${s}${s >= 500 ? ' (a server error)' : ''}`;
    }
    if (cause instanceof git_src/* GitNetworkError */.HO)
        return `the connection to git-receive-pack failed before its answer came (${cause.message.replace(/^update [^:]*: /, '')})`;
    if (cause instanceof git_src/* GitError */.XS)
        return `git-receive-pack sent an unreadable answer, not a push report (${cause.message})`;
    return `the answer to the push was lost (${String(cause)})`;
}
/** The server failed the push every time (or the last time, when time or attempts ran out). */
function pushKeptFailing(i, ref, lost, attempts, outOfTime = false) {
    const repo = `${i.repository.owner}/${i.repository.repo}`;
    const last = describePushFault(lost.at(-1));
    const same = lost.every((e) => describePushFault(e) === last);
    const when = lost.length === attempts && same
        ? lost.length === 1
            ? 'on the only attempt'
            : `on every attempt (${lost.length})`
        : `on the last of ${attempts} attempts (${lost.length} failed by the server${attempts > lost.length ? `, ${attempts - lost.length} lost races with other writers` : ''})`;
    return new src/* UserError */.yo(`push to ${repo}: ${last} ${when}${outOfTime ? `, and timeout-seconds (${i.timeoutSeconds}) ran out` : ''}; ${ref.replace(/^refs\/heads\//, '')} did not hold the release when read after it. Run the job again later (a release that is already there is a no-op); if it persists, check the git server and anything in front of it (proxy, load balancer).`);
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
/** GitHub's refusals by policy: GH006 (protected branch), GH013 (repository rules / rulesets). */
const rulesRefusal = (e) => {
    const text = [e.reason, ...e.messages].join('\n');
    return /\bGH006\b/.test(text)
        ? 'protected'
        : /\bGH013\b/.test(text)
            ? 'ruleset'
            : /protected branch hook declined/.test(e.reason)
                ? 'protected'
                : undefined;
};
/** A refusal by a signed-commits rule (branch protection or ruleset). */
const unsignedRefused = (e) => /commits must have verified signatures/i.test([e.reason, ...e.messages].join('\n'));
/** What a failed step left: a `read` comes after the push (the wait for Argo CD reads too). */
const pushedYet = (step) => step === 'read'
    ? ''
    : `; nothing was pushed${step === 'push' ? ' unless the release shows in the branch' : ''}`;
/**
 * A git failure in words a person can act on, chosen by its type and HTTP status; the server's
 * text is only shown (redacted), never searched for a status. Every git failure is explained as
 * the server's or the setup's, never as a bug here.
 */
function explainGit(step, error, i) {
    if (!(error instanceof git_src/* GitError */.XS)) {
        return error;
    }
    const repo = `${i.repository.owner}/${i.repository.repo}`;
    const said = (t) => t
        .replace(/AUTHORIZATION: basic \S+/gi, 'AUTHORIZATION: basic ***')
        .trim()
        .slice(0, 300);
    if (error instanceof git_src/* NotATreeError */.bj)
        return new src/* UserError */.yo(`'${error.path.split('/').pop()}' is a file in the deploy repository where the app's path needs a directory (${error.path}): check 'path'.`);
    if (error instanceof git_src/* PushRejectedError */.$m) {
        const rule = rulesRefusal(error);
        if (rule && unsignedRefused(error))
            return new src/* UserError */.yo(`${repo}: the branch requires signed commits (${rule === 'ruleset' ? 'GH013, a ruleset' : 'GH006, branch protection'}: "Commits must have verified signatures"), and a git push carries unsigned commits. Use transport: graphql with a GitHub App installation token: GitHub creates and signs the commit itself (createCommitOnBranch), so it shows as verified.`);
        if (rule === 'protected')
            return new src/* UserError */.yo(`${repo}@${i.branch} is a protected branch: direct pushes are refused. Use mode: pull-request.`);
        if (rule === 'ruleset')
            return new src/* UserError */.yo(`${repo}@${i.branch}: a repository ruleset refused the push (GH013): ${said(error.messages.join(' ') || error.reason)}. Use mode: pull-request, or ask for a bypass for this token.`);
        return new src/* UserError */.yo(`push to ${repo}@${i.branch} refused by the server: ${said(error.message)}`);
    }
    if (error instanceof git_src/* GitHttpError */.DA) {
        const s = error.status;
        if (s >= 300 && s < 400) {
            const to = /redirected to ([^)]*)\)/.exec(error.text)?.[1] ?? 'elsewhere';
            return new src/* UserError */.yo(`${step} of ${repo}: the server redirects to ${to}: the repository was renamed or moved; set 'repository' (or 'git-url') to its new name.`);
        }
        if (s === 401)
            return new src/* UserError */.yo(`${step} of ${repo}: the token was refused (wrong, revoked or expired).`);
        if (s === 403 && /SAML|\bSSO\b/i.test(error.text))
            return new src/* UserError */.yo(`${step} of ${repo}: the organization enforces SAML single sign-on and the token is not authorized for it: authorize the token for the organization (Configure SSO), or use an app token.`);
        if (s === 403)
            return new src/* UserError */.yo(step === 'push'
                ? `the token may read ${repo} but not write to it: give it Contents: Read and write (classic: repo; app: contents: write).`
                : `fetch of ${repo}: the token may not read it (${said(error.text)}): give it Contents: Read (classic: repo).`);
        if (s === 404)
            return new src/* UserError */.yo(`${step} of ${repo}: repository not found, or the token cannot see it (a fine-grained token must select it; an app must be installed on it).`);
        // A proxy's page is named, not pasted.
        const html = error.bodyKind === 'html';
        if ((0,src/* isTransientStatus */.Dm)(s))
            return new src/* UserError */.yo(`${step} of ${repo}: the git server kept failing (${s}${html ? ' with an HTML page' : ''}${error.afterRetries ? ', after retries' : ''})${html ? ': a proxy or load balancer in between, or an outage' : ''}; try again later${pushedYet(step)}.`);
        return new src/* UserError */.yo(`${step} of ${repo}: the git server answered ${s}${html ? ' with an HTML page: a proxy or load balancer in between' : `: ${said(error.text)}`}`);
    }
    if (error instanceof git_src/* GitNetworkError */.HO)
        return new src/* UserError */.yo(`${step} of ${repo}: the git server could not be reached (${said(error.message)}): try again later.`);
    if (error instanceof git_src/* PushOutcomeUnknownError */.XC)
        return new src/* UserError */.yo(`push to ${repo}: ${said(error.message)}`);
    if (error instanceof git_src/* CapabilityMissingError */.d4)
        return new src/* UserError */.yo(`${step} of ${repo}: ${error.message}. The server must speak git protocol v2 with partial fetches (uploadpack.allowFilter, uploadpack.allowAnySHA1InWant), as GitHub does.`);
    if (error instanceof git_src/* GitRemoteError */.J6)
        return new src/* UserError */.yo(`${step} of ${repo}: the git server reported an error: ${said(error.text)}`);
    // GitProtocolError: an answer we cannot read (a proxy's, a failing server's).
    return new src/* UserError */.yo(`${step} of ${repo}: the git server's answer is unreadable: ${said(error.message)}`);
}


/***/ }),

/***/ 3044:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  d4: () => (/* reexport */ CapabilityMissingError),
  XS: () => (/* reexport */ GitError),
  DA: () => (/* reexport */ GitHttpError),
  HO: () => (/* reexport */ GitNetworkError),
  J6: () => (/* reexport */ GitRemoteError),
  bj: () => (/* reexport */ NotATreeError),
  LI: () => (/* reexport */ ObjectStore),
  XC: () => (/* reexport */ PushOutcomeUnknownError),
  $m: () => (/* reexport */ PushRejectedError),
  i0: () => (/* reexport */ SmartHttpRemote),
  ZQ: () => (/* reexport */ commitParents),
  uT: () => (/* reexport */ createHttpClient),
  j_: () => (/* reexport */ diffTrees),
  _f: () => (/* reexport */ entryAt),
  DR: () => (/* reexport */ filesBelow),
  Gu: () => (/* reexport */ formatPatch),
  zp: () => (/* reexport */ mktree),
  Tu: () => (/* reexport */ objectId),
  gm: () => (/* reexport */ readBlob),
  _D: () => (/* reexport */ replaceAt),
  An: () => (/* reexport */ rootTreeOf),
  GS: () => (/* reexport */ serializeCommit),
  Lj: () => (/* reexport */ serializeTree),
  mo: () => (/* reexport */ treeFromFiles),
  Zh: () => (/* reexport */ writeBlob)
});

// UNUSED EXPORTS: DELIM, FLUSH, GitProtocolError, MAX_PKT, ZERO_OID, applyDelta, canonicalMode, commitTree, demuxSideband, describeHttpBody, nameBytes, parseFetchAnswer, parsePack, parsePushReport, parseRefListing, parseTree, pktBytes, pktLine, readPackets, receivePack, smartHttpAdvertisement, smartHttpPost, text, writePack

;// CONCATENATED MODULE: ./packages/git/src/errors.ts
/**
 * What can go wrong talking to a git server, as types a caller can tell apart without reading
 * the server's text: the status of an HTTP answer, a push the server refused (which ref, why), a
 * capability the server lacks, an answer we cannot read. Every one is a GitError.
 */
class GitError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'GitError';
    }
}
/** The server answered with a status other than 200 (after retries, when it was transient). */
class GitHttpError extends GitError {
    status;
    text;
    constructor(status, 
    /** What the server said (its body, or why there was none), for explanations. */
    text, options) {
        super(`git smart HTTP answered ${status}${options?.afterRetries ? ' (after retries)' : ''}: ${bodyKindOf(text) === 'text' ? text.trim().slice(0, 500) : describeHttpBody(text)}`, options);
        this.status = status;
        this.text = text;
        this.name = 'GitHttpError';
        this.afterRetries = options?.afterRetries ?? false;
    }
    afterRetries;
    /** What kind of body came with the status: a proxy's page is not the git server's word. */
    get bodyKind() {
        return bodyKindOf(this.text);
    }
}
const bodyKindOf = (text) => !text.trim() ? 'empty' : /^\s*</.test(text) ? 'html' : 'text';
/** "an HTML page", "an empty body" or "text": for errors, without pasting a proxy's page. */
function describeHttpBody(text) {
    const kind = bodyKindOf(text);
    return kind === 'html' ? 'an HTML page' : kind === 'empty' ? 'an empty body' : 'text';
}
/** No answer at all: the connection failed or timed out (after retries). */
class GitNetworkError extends GitError {
    constructor(message, options) {
        super(message, options);
        this.name = 'GitNetworkError';
    }
}
/** The server sent an answer we cannot read: a malformed pkt-line, pack, delta or side band. */
class GitProtocolError extends GitError {
    constructor(message) {
        super(message);
        this.name = 'GitProtocolError';
    }
}
/** The server reported an error in its answer (`ERR` packet, side band 3). */
class GitRemoteError extends GitError {
    text;
    constructor(text) {
        super(`remote error: ${text.trim().slice(0, 500)}`);
        this.text = text;
        this.name = 'GitRemoteError';
    }
}
/** The server lacks something we need (protocol v2, a filter, side-band, SHA-1 objects). */
class CapabilityMissingError extends GitError {
    capability;
    constructor(capability, message) {
        super(message);
        this.capability = capability;
        this.name = 'CapabilityMissingError';
    }
}
/** The server refused a ref update: `ng <ref> <reason>`, or the whole pack was not unpacked. */
class PushRejectedError extends GitError {
    ref;
    reason;
    messages;
    constructor(ref, 
    /** The server's reason ("fetch first", "stale info", "protected branch hook declined", ...). */
    reason, 
    /** What the server printed on side band 2 (GitHub's GH006/GH013 explanations are here). */
    messages = []) {
        super([`the server refused to update ${ref}: ${reason}`, ...messages.map((m) => m.trim())]
            .filter(Boolean)
            .join('\n'));
        this.ref = ref;
        this.reason = reason;
        this.messages = messages;
        this.name = 'PushRejectedError';
    }
    /** The ref moved since we read it (compare-and-swap lost): read it again and retry. */
    get isStale() {
        return /^(fetch first|stale info|non-fast-forward|failed to update ref|failed to lock|cannot lock ref)/i.test(this.reason);
    }
}
/** A push was sent but its answer was lost: it may or may not have landed. */
class PushOutcomeUnknownError extends GitError {
    ref;
    cause;
    constructor(ref, cause) {
        super(`the answer to the update of ${ref} ${cause instanceof GitProtocolError ? 'is unreadable' : 'was lost'} (${cause instanceof Error ? cause.message : String(cause)}): it may have landed`);
        this.ref = ref;
        this.cause = cause;
        this.name = 'PushOutcomeUnknownError';
    }
}
/** A tree edit met a file where its path needs a directory. */
class NotATreeError extends GitError {
    path;
    constructor(path) {
        super(`'${path}' is a file where a directory is needed`);
        this.path = path;
        this.name = 'NotATreeError';
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./packages/git/src/objects.ts
/**
 * Git's object formats, read and written in this process (SHA-1 repositories): ids, trees and
 * commits. Spawning `git hash-object` / `mktree` / `commit-tree` for each object costs more than
 * the work itself.
 */


/** The bytes of an entry's name. */
const nameBytes = (e) => e.bytes ?? Buffer.from(e.name, 'utf8');
const header = (type, size) => Buffer.from(`${type} ${size}\0`);
/** The object id git gives this content (SHA-1 repositories). */
function objectId(type, data) {
    return (0,external_node_crypto_.createHash)('sha1').update(header(type, data.length)).update(data).digest('hex');
}
/** `040000` (ls-tree's spelling, and some old tools' in trees) and `40000` are the same mode. */
const canonicalMode = (mode) => mode.replace(/^0+(?=\d)/, '');
const typeOfMode = (mode) => {
    const m = canonicalMode(mode);
    return m === '40000' ? 'tree' : m === '160000' ? 'commit' : 'blob';
};
function parseTree(data) {
    const entries = [];
    let pos = 0;
    while (pos < data.length) {
        const space = data.indexOf(0x20, pos);
        const nul = data.indexOf(0, space);
        if (space < 0 || nul < 0 || nul + 21 > data.length)
            throw new GitProtocolError('malformed tree object');
        const mode = data.toString('latin1', pos, space);
        const raw = data.subarray(space + 1, nul);
        const name = raw.toString('utf8');
        entries.push({
            mode,
            type: typeOfMode(mode),
            name,
            // Only a name that UTF-8 cannot round-trip keeps its bytes apart (the rest compare equal).
            ...(!Buffer.from(name, 'utf8').equals(raw) && { bytes: Buffer.from(raw) }),
            sha: data.toString('hex', nul + 1, nul + 21),
        });
        pos = nul + 21;
    }
    return entries;
}
/** Git's tree order: names compared bytewise, a tree's name as if it ended with '/'. */
const sortKey = (e) => e.type === 'tree' ? Buffer.concat([nameBytes(e), Buffer.from('/')]) : nameBytes(e);
function serializeTree(entries) {
    // A file and a directory of one name are not neighbours in this order ('x', 'x-y', 'x/').
    const names = new Set();
    for (const e of entries) {
        const key = nameBytes(e).toString('latin1');
        if (names.has(key))
            throw new Error(`duplicate tree entry '${e.name}'`);
        names.add(key);
    }
    const sorted = [...entries].sort((a, b) => Buffer.compare(sortKey(a), sortKey(b)));
    return Buffer.concat(sorted.flatMap((e) => [
        Buffer.from(`${canonicalMode(e.mode)} `, 'latin1'),
        nameBytes(e),
        Buffer.from([0]),
        Buffer.from(e.sha, 'hex'),
    ]));
}
/** The root tree a commit names. */
function commitTree(data) {
    const tree = /^tree ([0-9a-f]{40})$/m.exec(data.toString('utf8', 0, 64))?.[1];
    if (!tree)
        throw new GitProtocolError('malformed commit object: no tree');
    return tree;
}
/** The parents a commit names, in order (its header, up to the first blank line). */
function commitParents(data) {
    const text = data.toString('utf8');
    const end = text.indexOf('\n\n');
    const header = end < 0 ? text : text.slice(0, end);
    return [...header.matchAll(/^parent ([0-9a-f]{40})$/gm)].map((m) => m[1]);
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

// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
;// CONCATENATED MODULE: ./packages/git/src/pack.ts
/**
 * Reads the packfile an upload-pack `fetch` answers with (format: git's
 * Documentation/gitformat-pack.txt): whole objects and deltas against objects earlier in the pack
 * or already known. We never ask for a thin pack, so every delta base is in the pack itself.
 */




const TYPES = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' };
const OFS_DELTA = 6;
const REF_DELTA = 7;
const DEFAULT_LIMITS = {
    maxObjects: 100_000,
    maxObjectBytes: 100 * 2 ** 20,
    maxTotalBytes: 512 * 2 ** 20,
};
const bad = (message) => new GitProtocolError(message);
/** The objects of a pack by id, each checked against its id. A pack we cannot read is a GitProtocolError. */
function parsePack(pack, known = () => undefined, limits = {}) {
    const limit = { ...DEFAULT_LIMITS, ...limits };
    if (pack.length < 32 || pack.toString('latin1', 0, 4) !== 'PACK')
        throw bad('not a packfile');
    const version = pack.readUInt32BE(4);
    if (version !== 2 && version !== 3)
        throw bad(`unsupported pack version ${version}`);
    const count = pack.readUInt32BE(8);
    if (count > limit.maxObjects)
        throw bad(`the pack holds ${count} objects, over the limit of ${limit.maxObjects}`);
    const end = pack.length - 20;
    const trailer = pack.subarray(end);
    if (!(0,external_node_crypto_.createHash)('sha1').update(pack.subarray(0, end)).digest().equals(trailer))
        throw bad('packfile checksum mismatch');
    const byOffset = new Map();
    const byId = new Map();
    let total = 0;
    let pos = 12;
    const next = () => {
        if (pos >= end)
            throw bad('the pack ends inside an object header');
        return pack[pos++];
    };
    for (let n = 0; n < count; n++) {
        const start = pos;
        let byte = next();
        const kind = (byte >> 4) & 7;
        let size = byte & 15;
        for (let shift = 4; byte & 0x80; shift += 7) {
            if (shift > 46)
                throw bad(`pack object at ${start}: size header too long`);
            byte = next();
            size += (byte & 0x7f) * 2 ** shift;
        }
        let base;
        if (kind === OFS_DELTA) {
            byte = next();
            let distance = byte & 0x7f;
            while (byte & 0x80) {
                if (distance > 2 ** 45)
                    throw bad(`pack delta at ${start}: offset too long`);
                byte = next();
                distance = (distance + 1) * 128 + (byte & 0x7f);
            }
            base = byOffset.get(start - distance);
            if (!base)
                throw bad(`pack delta at ${start} names no earlier object`);
        }
        else if (kind === REF_DELTA) {
            if (pos + 20 > end)
                throw bad('the pack ends inside a delta base id');
            const oid = pack.toString('hex', pos, pos + 20);
            pos += 20;
            base = byId.get(oid) ?? known(oid);
            if (!base)
                throw bad(`pack delta against ${oid}, which is neither in the pack nor here`);
        }
        else if (!TYPES[kind])
            throw bad(`unknown pack object type ${kind}`);
        // The sizes are the sender's word: checked against the limits before anything is allocated.
        if (size > limit.maxObjectBytes)
            throw bad(`pack object at ${start}: ${size} bytes, over the limit of ${limit.maxObjectBytes}`);
        let buffer;
        let used;
        try {
            const out = (0,external_node_zlib_.inflateSync)(pack.subarray(pos, end), {
                info: true,
                maxOutputLength: Math.max(size, 1),
            });
            buffer = out.buffer;
            used = out.engine.bytesWritten;
        }
        catch {
            throw bad(`pack object at ${start}: its data does not inflate to ${size} bytes`);
        }
        pos += used;
        if (buffer.length !== size)
            throw bad(`pack object at ${start}: size mismatch`);
        const object = base
            ? { type: base.type, data: applyDelta(base.data, buffer, limit.maxObjectBytes) }
            : { type: TYPES[kind], data: buffer };
        total += object.data.length;
        if (total > limit.maxTotalBytes)
            throw bad(`the pack's objects exceed the limit of ${limit.maxTotalBytes} bytes`);
        byOffset.set(start, object);
        byId.set(objectId(object.type, object.data), object);
    }
    if (pos !== end)
        throw bad('packfile has trailing data');
    return byId;
}
/**
 * Applies a git delta (copy and insert instructions) to its base. The result size its header
 * claims is not allocated up front: the result is assembled from what the instructions really
 * produce, which cannot outgrow the claim (nor `maxBytes`).
 */
function applyDelta(base, delta, maxBytes = DEFAULT_LIMITS.maxObjectBytes) {
    let pos = 0;
    const byte = () => {
        if (pos >= delta.length)
            throw bad('delta ends inside an instruction');
        return delta[pos++];
    };
    const varint = () => {
        let value = 0;
        let shift = 0;
        let b;
        do {
            if (shift > 49)
                throw bad('delta size header too long');
            b = byte();
            value += (b & 0x7f) * 2 ** shift;
            shift += 7;
        } while (b & 0x80);
        return value;
    };
    if (varint() !== base.length)
        throw bad('delta base size mismatch');
    const size = varint();
    if (size > maxBytes)
        throw bad(`delta result of ${size} bytes, over the limit of ${maxBytes}`);
    const parts = [];
    let at = 0;
    while (pos < delta.length) {
        const op = byte();
        if (op & 0x80) {
            let offset = 0;
            let length = 0;
            for (let i = 0; i < 4; i++)
                if (op & (1 << i))
                    offset += byte() * 2 ** (8 * i);
            for (let i = 0; i < 3; i++)
                if (op & (0x10 << i))
                    length += byte() * 2 ** (8 * i);
            if (length === 0)
                length = 0x10000;
            if (offset + length > base.length)
                throw bad('delta copies past its base');
            if (at + length > size)
                throw bad('delta copies past its result');
            parts.push(base.subarray(offset, offset + length));
            at += length;
        }
        else if (op > 0) {
            if (at + op > size)
                throw bad('delta inserts past its result');
            if (pos + op > delta.length)
                throw bad('delta ends inside an insert');
            parts.push(delta.subarray(pos, pos + op));
            at += op;
            pos += op;
        }
        else
            throw bad('delta has a reserved opcode 0');
    }
    if (at !== size)
        throw bad('delta result size mismatch');
    return Buffer.concat(parts, size);
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

;// CONCATENATED MODULE: ./packages/git/src/pkt-line.ts
/**
 * pkt-lines (gitprotocol-common.txt): four hex digits of length, then the data; `0000` flush,
 * `0001` delim, `0002` end of response. And side bands: band 1 data, 2 progress, 3 error.
 */

const FLUSH = '0000';
const DELIM = '0001';
/** The largest pkt-line git writes or reads (LARGE_PACKET_MAX). */
const MAX_PKT = 65520;
function pktLine(line) {
    return pktHeader(Buffer.byteLength(line)) + line;
}
/** A pkt-line of bytes, for binary data such as side-band packets (the sandbox's server writes them). */
function pktBytes(data) {
    const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    return Buffer.concat([Buffer.from(pktHeader(body.length), 'latin1'), body]);
}
function pktHeader(dataBytes) {
    const size = dataBytes + 4;
    if (size > MAX_PKT)
        throw new RangeError(`pkt-line of ${size} bytes is over ${MAX_PKT}`);
    return size.toString(16).padStart(4, '0');
}
/** The packets of a body; a malformed length is a GitProtocolError, an `ERR` packet a GitRemoteError. */
function* readPackets(body) {
    let pos = 0;
    while (pos < body.length) {
        const hex = body.toString('latin1', pos, pos + 4);
        // git's hex decoder takes either case (hex2chr), so some servers write 'FFF0'.
        const size = /^[0-9a-fA-F]{4}$/.test(hex) ? Number.parseInt(hex, 16) : -1;
        if (size < 0 || size === 3 || pos + size > body.length)
            throw new GitProtocolError('malformed pkt-line in the server answer');
        if (size < 4) {
            yield { kind: size === 0 ? 'flush' : size === 1 ? 'delim' : 'end', data: Buffer.alloc(0) };
            pos += 4;
            continue;
        }
        const data = body.subarray(pos + 4, pos + size);
        if (data.toString('latin1', 0, 4) === 'ERR ')
            throw new GitRemoteError(data.toString('utf8', 4));
        yield { kind: 'data', data };
        pos += size;
    }
}
/**
 * Splits side-band-64k packets: band 1 is data, band 2 the server's messages, band 3 its errors.
 * Any other band is an answer we cannot read (git dies on it too), never silently dropped.
 */
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
        else
            throw new GitProtocolError(`side band ${p.data[0]} is not one git defines (1, 2 or 3)`);
    }
    return { data: Buffer.concat(data), ...out };
}
const pkt_line_text = (p) => p.data.toString('utf8').replace(/\n$/, '');

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js + 1 modules
var lib = __webpack_require__(4942);
// EXTERNAL MODULE: ./packages/core/src/index.ts + 6 modules
var src = __webpack_require__(2027);
;// CONCATENATED MODULE: ./packages/git/src/smart-http.ts
/**
 * Git's smart HTTP from this process (gitprotocol-http.txt): one POST per request, retried on
 * transient failures by the shared convention of @argocd-actions/core (408, 429, 5xx, no answer),
 * waiting as long as the server's Retry-After asks. Every failure is a typed GitError.
 */




/**
 * The toolkit's HTTP client: it honours the runner's proxy settings (HTTPS_PROXY, NO_PROXY) and is
 * loaded already with @actions/core, where the first global fetch() costs ~50 ms of start-up.
 * Redirects are not followed: the token would go wherever they point (git follows only its first GET).
 */
const createHttpClient = (timeoutMs = 60_000, agent = 'git/argocd-actions') => new lib/* HttpClient */.Qq(agent, undefined, {
    keepAlive: true,
    allowRedirects: false,
    socketTimeout: timeoutMs,
});
/** A transient failure inside one attempt: retried, then reported as what it was. */
class Transient extends Error {
    final;
    waitMs;
    constructor(final, waitMs) {
        super(final.message);
        this.final = final;
        this.waitMs = waitMs;
    }
}
/**
 * POSTs one request to `<url>/<service>`; the answer's body when it is 200. `retry: false` for a
 * request that must not be sent twice blindly (a push): its transient failure is thrown at once.
 */
function smartHttpPost(opts, service, request, what, onBytes = () => { }, retry = true) {
    return smartHttpRequest(opts, { service, request }, what, onBytes, retry);
}
/** GETs the capability advertisement (`info/refs?service=...`) as protocol v2 asks for it. */
function smartHttpAdvertisement(opts, service) {
    return smartHttpRequest(opts, { service }, `advertisement of ${service}`);
}
async function smartHttpRequest(opts, what_, what, onBytes = () => { }, retry = true) {
    const { service, request } = what_;
    const base = opts.url.replace(/\/+$/, '');
    const url = request === undefined ? `${base}/info/refs?service=${service}` : `${base}/${service}`;
    const retries = typeof retry === 'function' ? retry : () => retry;
    return (0,src/* withRetry */.bD)(async () => {
        const started = Date.now();
        const client = opts.client ?? createHttpClient(opts.timeoutMs, opts.agent);
        let status;
        let headers;
        let body;
        try {
            const v2 = service === 'git-upload-pack' ? { 'git-protocol': 'version=2' } : {};
            const res = request === undefined
                ? await client.request('GET', url, null, { authorization: opts.authorization, ...v2 })
                : await client.request('POST', url, external_node_stream_.Readable.from([Buffer.from(request)]), {
                    authorization: opts.authorization,
                    'content-type': `application/x-${service}-request`,
                    accept: `application/x-${service}-result`,
                    ...v2,
                });
            status = res.message.statusCode ?? 0;
            headers = res.message.headers;
            body = await readCapped(res.message, opts.maxResponseBytes ?? 512 * 2 ** 20, what);
        }
        catch (error) {
            if (error instanceof GitProtocolError)
                throw error;
            const e = new GitNetworkError(`${what}: ${error.message}`, { cause: error });
            if (retries(0))
                throw new Transient(e);
            throw e;
        }
        finally {
            if (!opts.client)
                client.dispose();
        }
        onBytes(body.length);
        opts.debug?.(`${service} ${what}: ${status}, ${body.length} bytes, ${Date.now() - started} ms`);
        if (status >= 300 && status < 400)
            throw new GitHttpError(status, `the repository moved (redirected to ${String(headers['location'] ?? '') || 'no location'})`);
        if (status !== 200) {
            const e = new GitHttpError(status, body.toString('utf8'));
            if ((0,src/* isTransientStatus */.Dm)(status) && retries(status))
                throw new Transient(e, (0,src/* retryAfterMs */.Vs)(headers['retry-after']));
            throw e;
        }
        return body;
    }, {
        attempts: opts.attempts ?? 4,
        baseMs: 250,
        maxDelayMs: 4000,
        deadline: opts.deadline,
        retryable: (e) => e instanceof Transient,
        delayOf: (e) => (e instanceof Transient ? e.waitMs : undefined),
    }).catch((error) => {
        if (!(error instanceof Transient))
            throw error;
        const e = error.final;
        throw e instanceof GitHttpError
            ? new GitHttpError(e.status, e.text, { afterRetries: true })
            : new GitNetworkError(`${e.message} (after retries)`, { cause: e.cause });
    });
}
/** The body, read until `max` bytes: a server cannot make us hold more than that. */
async function readCapped(message, max, what) {
    const chunks = [];
    let size = 0;
    for await (const chunk of message) {
        size += chunk.length;
        if (size > max) {
            message.destroy();
            throw new GitProtocolError(`${what}: the answer is over ${max} bytes`);
        }
        chunks.push(chunk);
    }
    return Buffer.concat(chunks, size);
}

;// CONCATENATED MODULE: ./packages/git/src/receive-pack.ts
/**
 * Pushes one ref update over git's smart HTTP from this process: the command names the value the
 * ref must still have (a compare-and-swap, as `--force-with-lease` does), and the pack carries
 * the objects the update needs. No `git push`: that would spawn four processes and read the
 * remote's refs once more only to learn what we already know.
 */




const ZERO_OID = '0'.repeat(40);
/**
 * Resolves when the server reports the ref updated. Throws PushRejectedError when it refused
 * (`ng`, or the pack was not unpacked), PushOutcomeUnknownError when the request may have reached
 * it but its answer did not reach us (a lost connection, a 5xx, an answer without a report):
 * the caller reads the ref to learn what happened. A push is never re-sent blindly; only a 429
 * (refused before any work) is retried here.
 */
async function receivePack(opts, update, objects) {
    const command = `${update.old || ZERO_OID} ${update.new} ${update.ref}\0report-status side-band-64k quiet agent=${opts.agent ?? 'git/argocd-actions'}\n`;
    const request = Buffer.concat([Buffer.from(pktLine(command) + FLUSH, 'utf8'), writePack(objects)]);
    let body;
    try {
        body = await smartHttpPost(opts, 'git-receive-pack', request, `update ${update.ref}`, undefined, (status) => status === 429);
    }
    catch (error) {
        if (error instanceof GitNetworkError || (error instanceof GitHttpError && error.status >= 500))
            throw new PushOutcomeUnknownError(update.ref, error);
        throw error;
    }
    parsePushReport(body, update.ref);
}
/**
 * Reads receive-pack's answer for `ref`: returns when it was updated; PushRejectedError when it
 * was refused; PushOutcomeUnknownError when the answer says neither (no report, or one we cannot
 * read): the update may have happened.
 */
function parsePushReport(body, ref) {
    let read;
    try {
        read = readReport(body);
    }
    catch (error) {
        throw new PushOutcomeUnknownError(ref, error);
    }
    const { report, messages } = read;
    const unpack = report.find((l) => l.startsWith('unpack '));
    const status = report.find((l) => l.startsWith(`ok ${ref}`) || l.startsWith(`ng ${ref} `));
    if (!unpack || !status)
        throw new PushOutcomeUnknownError(ref, new GitProtocolError(`no report-status for ${ref}${messages.length ? `: ${messages.join(' ')}` : ''}`));
    if (unpack !== 'unpack ok')
        throw new PushRejectedError(ref, `the server could not unpack: ${unpack.slice(7)}`, messages);
    if (status.startsWith('ng '))
        throw new PushRejectedError(ref, status.slice(4 + ref.length), messages);
}
/**
 * The report-status lines and the server's messages. We ask for side-band-64k; a server that does
 * not offer it answers the report as plain pkt-lines (its first line is 'unpack ...').
 */
function readReport(body) {
    const packets = [...readPackets(body)];
    const lines = (ps) => [...ps].filter((p) => p.kind === 'data').map((p) => p.data.toString('utf8').replace(/\n$/, ''));
    const first = packets.find((p) => p.kind === 'data');
    if (first && first.data.toString('latin1', 0, 7) === 'unpack ')
        return { report: lines(packets), messages: [] };
    const { data, messages, errors } = demuxSideband(packets);
    return {
        report: lines(readPackets(data)),
        messages: [
            ...messages.map((m) => m.replace(/\n$/, '')),
            ...errors.map((e) => `error: ${e.replace(/\n$/, '')}`),
        ],
    };
}

;// CONCATENATED MODULE: ./packages/git/src/remote.ts
/**
 * A git repository over smart HTTP, read and written from this process: protocol v2
 * (gitprotocol-v2.txt) `ls-refs` for branch tips and `fetch` for exact objects, and one
 * receive-pack POST per ref update (see receive-pack.ts). Each read is one POST on a kept-alive
 * connection, where `git fetch` costs two HTTP round trips and half a dozen processes.
 */





const OID = /^[0-9a-f]{40}$/;
class SmartHttpRemote {
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
        try {
            return parseRefListing(body);
        }
        catch (error) {
            throw await this.diagnose(error);
        }
    }
    /**
     * Exact objects, and what the filter lets through below them (`tree:0`: the objects alone;
     * `blob:none`: a tree with every tree below it). `deepen: 1` for a commit without its history.
     * `haves`: commits we name as known, so the server leaves out everything they reach (with
     * `done`, in the same request: no negotiation round).
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
            ...(opts.haves ?? []).map((h) => pktLine(`have ${h}\n`)),
            pktLine('done\n'),
            FLUSH,
        ].join(''), `fetch ${wants.length} object${wants.length === 1 ? '' : 's'}${opts.filter ? ` (${opts.filter})` : ''}`);
        try {
            return parseFetchAnswer(body, known, this.opts.packLimits);
        }
        catch (error) {
            throw await this.diagnose(explainFetchRefusal(error, opts.filter), opts.filter);
        }
    }
    /** One ref update (compare-and-swap on `old`) with the objects it needs; see receive-pack.ts. */
    push(update, objects) {
        return receivePack(this.opts, update, objects);
    }
    /**
     * An answer we could not read, explained when the server lacks what we need: git dies without
     * a word on a v2 request to a v0-only server, a SHA-1 request to a SHA-256 repository, or a
     * filter it does not allow. Its capability advertisement (asked only now: a release that works
     * never pays for it) tells which.
     */
    async diagnose(error, filter) {
        if (!(error instanceof GitProtocolError))
            return error;
        let advertisement;
        try {
            advertisement = await smartHttpAdvertisement(this.opts, 'git-upload-pack');
        }
        catch {
            return error;
        }
        let lines;
        try {
            lines = [...readPackets(advertisement)].filter((p) => p.kind === 'data').map(pkt_line_text);
        }
        catch {
            return error;
        }
        if (lines.some((l) => l.startsWith('# service=')) || !lines.includes('version 2'))
            return new CapabilityMissingError('version 2', 'the server does not speak git protocol v2 (it answered the v0 advertisement)');
        const format = lines.find((l) => l.startsWith('object-format='))?.slice(14);
        if (format && format !== 'sha1')
            return new CapabilityMissingError('object-format=sha1', `the repository uses ${format.toUpperCase()} object ids (object-format=${format}); this client reads SHA-1 repositories only`);
        const fetch = lines.find((l) => l === 'fetch' || l.startsWith('fetch='));
        if (filter && fetch && !/[=\s]filter\b/.test(fetch))
            return new CapabilityMissingError('filter', `the server does not serve partial fetches ('filter ${filter}'; its fetch capabilities: ${fetch.slice(6) || 'none'})`);
        return error;
    }
    post(request, what) {
        return smartHttpPost(this.opts, 'git-upload-pack', request, what, (n) => (this.bytes += n));
    }
}
/** An object id that is not SHA-1's: a SHA-256 repository is told apart from garbage. */
function unreadableId(oid) {
    return /^[0-9a-f]{64}$/.test(oid)
        ? new CapabilityMissingError('object-format=sha1', 'the repository uses SHA-256 object ids (object-format=sha256); this client reads SHA-1 repositories only')
        : // Not quoted: a hostile server could list what we sent it (the token) as an id.
            new GitProtocolError(`unexpected ls-refs answer: a ref at ${oid.length} characters that are no object id`);
}
/**
 * Reads a v2 `ls-refs` answer: one `<id> <ref>[ <attributes>]` line per ref, then a flush packet,
 * and nothing after it. Only such an answer can show that a ref is absent; anything else (an empty
 * body, a listing cut short, a line of something else) is a GitProtocolError: an answer we cannot
 * read is never "no such branch".
 */
function parseRefListing(body) {
    const packets = [...readPackets(body)];
    const unexpected = (what) => new GitProtocolError(`unexpected ls-refs answer (not a ref listing): ${what}`);
    if (!packets.length)
        throw unexpected('an empty body');
    if (packets.at(-1).kind !== 'flush')
        throw unexpected('the listing does not end with its flush packet (cut short?)');
    const refs = new Map();
    for (const p of packets.slice(0, -1)) {
        if (p.kind !== 'data')
            throw unexpected(`a ${p.kind} packet inside the listing`);
        const [oid, name] = pkt_line_text(p).split(' ');
        // 'unborn HEAD ...' (only sent to a client that asks for it): a branch without commits.
        if (oid === 'unborn')
            continue;
        // The line is not quoted: a hostile server could echo what we sent it.
        if (!oid || !name)
            throw unexpected(`a line of ${p.data.length} bytes that is not '<object id> <ref name>'`);
        if (!OID.test(oid))
            throw unreadableId(oid);
        refs.set(name, oid);
    }
    return refs;
}
/** What came instead of a packfile, without quoting the server. */
function describePackets(packets) {
    if (!packets.length)
        return 'an empty body';
    const data = packets.filter((p) => p.kind === 'data').length;
    if (!data)
        return packets.length === 1 ? `only a ${packets[0].kind} packet` : 'only special packets';
    return `${data} line${data === 1 ? '' : 's'}, none of them 'packfile'`;
}
/** upload-pack refuses a filter it does not allow with "filter '...' not supported". */
function explainFetchRefusal(error, filter) {
    if (error instanceof GitRemoteError && filter && /filter/i.test(error.text))
        return new CapabilityMissingError(`filter ${filter}`, `the server does not serve partial fetches with 'filter ${filter}' (${error.text.trim()})`);
    return error;
}
/**
 * Reads a v2 `fetch` answer: the shallow-info section, then the side-banded packfile. An answer
 * we cannot read is a GitProtocolError, an error the server sent a GitRemoteError.
 */
function parseFetchAnswer(body, known, limits) {
    const shallow = [];
    const packets = [...readPackets(body)];
    // Sections are lines up to 'packfile'; every packet after it is side-banded.
    let section = '';
    let at = 0;
    for (; at < packets.length && section !== 'packfile'; at++) {
        const p = packets[at];
        if (p.kind !== 'data')
            continue;
        const line = pkt_line_text(p);
        if (line === 'shallow-info' || line === 'packfile' || line === 'acknowledgments')
            section = line;
        else if (section === 'shallow-info' && line.startsWith('shallow '))
            shallow.push(line.slice(8));
    }
    if (section !== 'packfile')
        throw new GitProtocolError(`unexpected answer to a fetch: no packfile section (the server sent ${describePackets(packets)})`);
    const { data, errors } = demuxSideband(packets.slice(at));
    if (errors.length)
        throw new GitRemoteError(errors.join(' '));
    return { objects: parsePack(data, known, limits), shallow };
}

;// CONCATENATED MODULE: ./packages/git/src/object-store.ts


/**
 * A remote repository's objects as far as we read them, each fetched once, and the objects we
 * build on them, in memory.
 *
 * The tip comes alone (`deepen 1`, `filter tree:0`). Asking for each tree on the path with
 * `tree:0` gets that tree alone, so a release costs the depth of its path, not the number of
 * apps. (git's own lazy fetch would use a hard-coded `blob:none`: every tree below the one it
 * wants, the whole repository for the root.)
 */
class ObjectStore {
    remote;
    objects = new Map();
    /** Objects this run built: the server may not have them. */
    built = new Set();
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
            throw new GitProtocolError(`the server did not send ${oid}`);
        return object;
    }
    /** Objects not here yet, fetched in one request (e.g. the blobs a diff shows). */
    async readMany(oids) {
        const missing = [...new Set(oids)].filter((oid) => !this.objects.has(oid));
        if (missing.length)
            await this.fetch(missing, { filter: 'tree:0' });
        for (const oid of missing)
            if (!this.objects.has(oid))
                throw new GitProtocolError(`the server did not send ${oid}`);
    }
    /** A commit without its history (the branch tip). */
    async fetchTip(oid) {
        if (this.objects.has(oid))
            return;
        await this.fetch([oid], { filter: 'tree:0', deepen: 1 });
        if (!this.objects.has(oid))
            throw new GitProtocolError(`the server did not send ${oid}`);
    }
    /**
     * The commits reachable from `tip` and not from `known` (which the server may not have: then
     * it sends `tip`'s whole history), without their trees: one request, answered by the server's
     * own reachability walk.
     */
    async commitsSince(tip, known) {
        await this.fetch([tip], { filter: 'tree:0', haves: [known] });
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
            throw new GitProtocolError(`${tree} is a ${object.type}, not a tree`);
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
    async fetch(oids, opts) {
        const { objects, shallow } = await this.remote.fetch(oids, opts, (oid) => this.objects.get(oid));
        for (const [oid, object] of objects)
            this.objects.set(oid, object);
        return shallow;
    }
}

;// CONCATENATED MODULE: ./packages/git/src/tree-edit.ts
/**
 * Edits a tree without a checkout or an index: only the trees on the path from the root to the
 * app directory are read (each fetched on its own, see ObjectStore) and rewritten, in memory, so
 * the cost does not grow with the number of apps in the deploy repository.
 */


/** Whether an entry has this name, compared as bytes (a name need not be UTF-8). */
const named = (name) => {
    const bytes = Buffer.from(name, 'utf8');
    return (e) => nameBytes(e).equals(bytes);
};
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
 * trees on that path; every other entry is written back as it was (its name's bytes, its mode).
 * Directories that become empty are removed, as git cannot hold them. A file where the path needs
 * a directory is a NotATreeError.
 */
async function replaceAt(objects, rootTree, segments, replacement, above = []) {
    const [name, ...rest] = segments;
    const entries = rootTree ? await objects.list(rootTree) : [];
    const current = entries.find(named(name));
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
            throw new NotATreeError([...above, name].join('/'));
        const sha = await replaceAt(objects, current?.sha ?? '', rest, replacement, [...above, name]);
        child = sha === null ? null : { mode: '40000', type: 'tree', sha, name };
    }
    const others = entries.filter((e) => !named(name)(e));
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
        entry = (await objects.list(current)).find(named(name));
        if (!entry)
            return undefined;
        current = entry.sha;
    }
    return entry;
}
/**
 * The files that differ between two trees that are here (null or '': no tree), in git's path
 * order; subtrees with the same id are skipped unread. A file replaced by a directory (or the
 * reverse) is a deletion and additions, as git shows it without rename detection.
 */
async function diffTrees(objects, before, after, prefix = '') {
    if ((before || '') === (after || ''))
        return [];
    const list = async (t) => (t ? await objects.list(t) : []);
    const side = new Map();
    for (const e of await list(before))
        side.set(nameBytes(e).toString('latin1'), { before: e });
    for (const e of await list(after)) {
        const key = nameBytes(e).toString('latin1');
        side.set(key, { ...side.get(key), after: e });
    }
    const changes = [];
    const keys = [...side.keys()].sort((a, b) => Buffer.compare(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1')));
    for (const key of keys) {
        const { before: b, after: a } = side.get(key);
        const path = `${prefix}${(a ?? b).name}`;
        const tree = (e) => (e?.type === 'tree' ? e.sha : undefined);
        const file = (e) => e && e.type !== 'tree' ? { mode: canonicalMode(e.mode), sha: e.sha } : undefined;
        changes.push(...(await diffTrees(objects, tree(b), tree(a), `${path}/`)));
        const was = file(b);
        const now = file(a);
        if (was?.sha === now?.sha && was?.mode === now?.mode)
            continue;
        changes.push({
            status: !was ? 'A' : !now ? 'D' : 'M',
            path,
            ...(was && { before: was }),
            ...(now && { after: now }),
        });
    }
    return changes.sort((x, y) => Buffer.compare(Buffer.from(x.path), Buffer.from(y.path)));
}

// EXTERNAL MODULE: ./packages/git/node_modules/diff/libesm/patch/create.js + 2 modules
var create = __webpack_require__(1257);
;// CONCATENATED MODULE: ./packages/git/src/patch.ts
/**
 * A tree diff as the text `git diff` prints, made in this process: the blobs it shows are fetched
 * in one request, and the line diff is jsdiff's (Myers, as git's default).
 */

const ZERO = '0000000';
const patch_short = (sha) => (sha ? sha.slice(0, 7) : ZERO);
/** git's test: a NUL in the first 8000 bytes makes a file binary. */
const isBinary = (data) => data.subarray(0, 8000).includes(0);
/** `git diff --no-color` of these changes; `prefix` is put before every path (e.g. the app's directory). */
async function formatPatch(objects, changes, prefix = '') {
    // Gitlinks (160000) have no blob; everything else is read, the missing ones in one request.
    const blobs = changes
        .flatMap((c) => [c.before, c.after])
        .filter((f) => !!f && f.mode !== '160000')
        .map((f) => f.sha);
    await objects.readMany(blobs);
    const content = (f) => !f
        ? Buffer.alloc(0)
        : f.mode === '160000'
            ? Buffer.from(`Subproject commit ${f.sha}\n`)
            : objects.get(f.sha).data;
    const out = [];
    for (const c of changes) {
        const path = `${prefix}${c.path}`;
        const a = `a/${path}`;
        const b = `b/${path}`;
        out.push(`diff --git ${a} ${b}`);
        if (!c.before)
            out.push(`new file mode ${c.after.mode}`);
        else if (!c.after)
            out.push(`deleted file mode ${c.before.mode}`);
        else if (c.before.mode !== c.after.mode)
            out.push(`old mode ${c.before.mode}`, `new mode ${c.after.mode}`);
        const same = c.before && c.after && c.before.mode === c.after.mode;
        if (c.before?.sha !== c.after?.sha)
            out.push(`index ${patch_short(c.before?.sha)}..${patch_short(c.after?.sha)}${same ? ` ${c.after.mode}` : ''}`);
        const before = content(c.before);
        const after = content(c.after);
        if (isBinary(before) || isBinary(after)) {
            out.push(`Binary files ${c.before ? a : '/dev/null'} and ${c.after ? b : '/dev/null'} differ`);
            continue;
        }
        if (c.before?.sha === c.after?.sha)
            continue;
        out.push(`--- ${c.before ? a : '/dev/null'}`, `+++ ${c.after ? b : '/dev/null'}`);
        const patch = (0,create/* structuredPatch */.YB)(a, b, before.toString('utf8'), after.toString('utf8'), '', '', {
            context: 3,
        });
        const old = before.toString('utf8').split('\n');
        for (const h of patch.hunks) {
            // As git: an empty side starts at line 0, and a one-line side has no count.
            const range = (start, lines) => `${lines === 0 ? start - 1 : start}${lines === 1 ? '' : `,${lines}`}`;
            const context = funcname(old, h.oldStart - 1);
            out.push(`@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@${context ? ` ${context}` : ''}`, ...h.lines);
        }
    }
    return out.length ? `${out.join('\n')}\n` : '';
}
/**
 * git's default hunk-header context: the last line above the hunk that starts with a letter, '_'
 * or '$', without its trailing blanks, cut to 80 bytes.
 */
function funcname(lines, hunkStart) {
    for (let n = hunkStart - 1; n >= 0; n--) {
        const line = lines[n];
        if (/^[A-Za-z_$]/.test(line)) {
            const trimmed = line.replace(/\s+$/, '');
            const bytes = Buffer.from(trimmed, 'utf8');
            return bytes.length > 80 ? bytes.subarray(0, 80).toString('utf8') : trimmed;
        }
    }
    return '';
}

;// CONCATENATED MODULE: ./packages/git/src/index.ts












/***/ })

};
