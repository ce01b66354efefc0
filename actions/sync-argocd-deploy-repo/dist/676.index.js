export const id = 676;
export const ids = [676];
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


/***/ })

};
