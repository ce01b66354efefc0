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
/* harmony import */ var _argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3289);
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
    const file = data;
    if (file.type !== 'file' || typeof file.content !== 'string') {
        throw new _argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('infra-file', `${where} is not a file`, DEFAULT_INFRA_FILE);
    }
    let doc;
    try {
        doc = (0,yaml__WEBPACK_IMPORTED_MODULE_1__/* .parse */ .qg)(Buffer.from(file.content, file.encoding || 'base64').toString('utf8'));
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


/***/ })

};
