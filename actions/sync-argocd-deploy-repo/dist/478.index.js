export const id = 478;
export const ids = [478];
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
var src = __webpack_require__(7631);
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


/***/ })

};
