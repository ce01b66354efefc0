export const id = 953;
export const ids = [953];
export const modules = {

/***/ 6953:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   parseEnvironmentRequest: () => (/* binding */ parseEnvironmentRequest),
/* harmony export */   readEnvironmentMap: () => (/* binding */ readEnvironmentMap)
/* harmony export */ });
/* unused harmony export DEFAULT_INFRA_FILE */
/* harmony import */ var _argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2027);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8815);
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8366);




/**
 * The environment map in the infra repository (seed 000: the release token may read infra-repo):
 *
 *   environments:
 *     dev:
 *       repository: acme/argocd-deploy-non-prod
 *       cluster: plat/use2-dev        # apps go under <cluster>/apps (or give `path` itself)
 *       namespace: web                # optional
 *       branch: main                  # optional
 *
 * so a workflow needs only `environment`. Returns input values to use where inputs are empty.
 */
const DEFAULT_INFRA_FILE = '.github/environments/argocd.yml';
function parseEnvironmentRequest(read, env) {
    const environment = read('environment').trim();
    if (!environment)
        return undefined;
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(environment)) {
        throw new _argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('environment', `is not an environment name: '${(0,_argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .clip */ .sc)(environment)}'`, 'dev');
    }
    const owner = (env.GITHUB_REPOSITORY ?? '').split('/')[0];
    const infra = (0,_argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getRepository */ .TM)(read, 'infra-repository', owner ? `${owner}/infra-repo` : undefined);
    const file = read('infra-file').trim() || DEFAULT_INFRA_FILE;
    if (file.length > 1024 ||
        !/^[A-Za-z0-9._\-/]+$/.test(file) ||
        file.startsWith('/') ||
        file.split('/').some((p) => p === '..' || p === '')) {
        throw new _argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('infra-file', `must be a path inside the infra repository, not '${(0,_argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .clip */ .sc)(file)}'`, DEFAULT_INFRA_FILE);
    }
    return { infra, file, environment };
}
async function readEnvironmentMap(octokit, req) {
    const where = `${req.infra.owner}/${req.infra.repo}:${req.file}`;
    const { data } = await (0,_argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .explained */ .to)(octokit, { action: `read the environment map ${where}`, permission: 'contents=read' }, () => octokit.rest.repos.getContent({ ...req.infra, path: req.file }));
    const content = mapFileContent(data, `GET /repos/${req.infra.owner}/${req.infra.repo}/contents/${req.file}`, where);
    let doc;
    try {
        doc = (0,yaml__WEBPACK_IMPORTED_MODULE_1__/* .parse */ .qg)(content);
    }
    catch (error) {
        throw new _argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('infra-file', `${where} is not valid YAML: ${error.message.split('\n')[0]}`, DEFAULT_INFRA_FILE);
    }
    const environments = doc?.environments;
    if (!environments || typeof environments !== 'object') {
        throw new _argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('infra-file', `${where} has no 'environments:' map`, DEFAULT_INFRA_FILE);
    }
    const entry = environments[req.environment];
    if (!entry || typeof entry !== 'object') {
        throw new _argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('environment', `'${req.environment}' is not in ${where}; known: ${Object.keys(environments).join(', ')}`, Object.keys(environments)[0] ?? 'dev');
    }
    const e = entry;
    const text = (k) => (typeof e[k] === 'string' ? e[k] : undefined);
    const values = {};
    if (text('repository'))
        values.repository = text('repository');
    if (text('branch'))
        values.branch = text('branch');
    if (text('path'))
        values.path = text('path');
    else if (text('cluster'))
        values.path = `${text('cluster').replace(/\/+$/, '')}/apps`;
    if (text('namespace'))
        values.namespace = text('namespace');
    // Named here, not as 'path': the value comes from the map, not from the workflow.
    const problem = values.path && (0,_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .relativePathProblem */ .BE)(values.path);
    if (problem) {
        throw new _argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('infra-file', `${where}: environment '${req.environment}': ${text('path') ? 'path' : 'cluster'} ${problem}`, DEFAULT_INFRA_FILE);
    }
    if (!values.repository || !values.path) {
        throw new _argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('infra-file', `${where}: environment '${req.environment}' needs repository and cluster (or path)`, DEFAULT_INFRA_FILE);
    }
    return values;
}
/**
 * The map's text from the contents API's answer, its shape checked first: a directory, a symbolic
 * link or a submodule at the path is the input's problem; a body of another shape is an
 * unexpected answer (a proxy, a server fault), never "not a file".
 */
function mapFileContent(data, request, where) {
    const listing = Array.isArray(data) &&
        data.length > 0 &&
        data.every((e) => (0,_argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .isObject */ .Gv)(e) && typeof e.type === 'string' && typeof e.path === 'string');
    const kind = listing ? 'dir' : (0,_argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .isObject */ .Gv)(data) ? data.type : undefined;
    if (kind === 'dir' || kind === 'symlink' || kind === 'submodule')
        throw new _argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('infra-file', `${where} is a ${kind === 'dir' ? 'directory' : kind}, not a file`, DEFAULT_INFRA_FILE);
    if ((0,_argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .isObject */ .Gv)(data) && kind === 'file' && data.encoding === 'none')
        throw new _argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('infra-file', `${where} is over 1 MB, more than GitHub's contents API returns`, DEFAULT_INFRA_FILE);
    if (!(0,_argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .isObject */ .Gv)(data) ||
        kind !== 'file' ||
        typeof data.content !== 'string' ||
        data.encoding !== 'base64')
        throw (0,_argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .unexpectedAnswer */ .au)(request, data, 'file (type, base64 content)', 'the environment map cannot be read; nothing was pushed');
    return Buffer.from(data.content, 'base64').toString('utf8');
}


/***/ })

};
